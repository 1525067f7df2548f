/**
 * Thalex's numeric error codes (`error.code` of an error reply, and of `errors[]` items in a
 * mass-quote result). The spec does not list them; this is the hand-written table of
 * `TmsKtel/thalex_rust_sdk` `src/manual_models/error_code.rs` (read at commit d65f24f), in full.
 * Two of its entries merge two venue names into one code (13, 14); the names keep both halves.
 */
export const ThalexErrorCode = {
  OrderNotFound: 1,
  DuplicateOrderId: 2,
  TooManyPendingRequests: 3,
  ThrottleExceeded: 4,
  UnknownInstrument: 5,
  InvalidRequest: 6,
  NotLoggedIn: 7,
  AlreadySubscribed: 8,
  NotSubscribed: 9,
  PartitionUnavailable: 10,
  SessionExhausted: 11,
  InvalidOrderId: 12,
  /** InvalidPrice | NonPositivePrice */
  InvalidPriceOrNonPositivePrice: 13,
  /** InvalidQuantity | AmountNotAlignedWithTick */
  InvalidQuantityOrAmountNotAlignedWithTick: 14,
  PriceNotAlignedWithTick: 15,
  InstrumentExists: 16,
  UnknownProduct: 17,
  ProductExists: 18,
  AuthenticationFailed: 19,
  TemporaryFailure: 20,
  InvalidPartition: 21,
  InvalidProtGroup: 22,
  /** Mass quote on a product group without `private/set_mm_protection`. */
  ProtNotSet: 23,
  InsufficientMargin: 24,
  InvalidTimeInForce: 25,
  AccountLocked: 26,
  InsufficientFunds: 27,
  Unauthorized: 28,
  NeedTOTP: 29,
  NeedSMS: 30,
  UnknownMethod: 31,
  Require2FA: 32,
  PasswordNotAccepted: 33,
  InvalidVerificationCode: 34,
  InvalidEmailAddress: 35,
  DeprecatedInvalidSessionForMassQuoting: 36,
  InvalidState: 37,
  InvalidPhoneNumber: 38,
  UnknownAsset: 39,
  UnknownUnderlying: 40,
  InsufficientLiquidity: 41,
  ExcludedJurisdiction: 42,
  PriceCollarBreach: 43,
  /** Quote amount above the protection group's `quote_amount`. */
  QuoteExceedsProtGroupSize: 44,
  UnboundedMarketOrder: 45,
  UnsupportedBtcTransfer: 46,
  SMSThrottleExceeded: 47,
  InsufficientFeeFunds: 48,
  TooManyOpenOrders: 49,
  TotalOrderSizeTooLarge: 50,
  MqpNotEnabled: 51,
  PersistentSession: 52,
  ApiConnectionLimitReached: 53,
  AssetNotTransactable: 54,
  MaxBotsReached: 55,
  ComboTotalGrossAmountTooLarge: 56,
  ReduceOnlyMode: 57,
  RejectedOnVolumeQuota: 58,
} as const;

export type ThalexErrorCodeName = keyof typeof ThalexErrorCode;
export type ThalexErrorCode = (typeof ThalexErrorCode)[ThalexErrorCodeName];

// Reverse table built once; indexed by code, so a lookup is one array read.
const NAMES: Array<ThalexErrorCodeName | undefined> = [];
for (const name of Object.keys(ThalexErrorCode) as ThalexErrorCodeName[]) NAMES[ThalexErrorCode[name]] = name;

/** Symbolic name of a venue error code, or `Unknown(<code>)` for a code not in the table. */
export function errorCodeName(code: number): string {
  return (Number.isInteger(code) && code > 0 ? NAMES[code] : undefined) ?? `Unknown(${code})`;
}

/** True if `code` is one of the known venue codes. */
export function isThalexErrorCode(code: number): code is ThalexErrorCode {
  return Number.isInteger(code) && code > 0 && NAMES[code] !== undefined;
}

import type { InstrumentsFilter, StpAction, StpLevel } from './enums.js';
import type { Instrument } from './instrument.js';

/**
 * Params and results of the JSON-RPC methods the quoter uses, field for field as in
 * openapi.json `paths.<method>.rpc` (request `params`, success `result`).
 */

/** `public/login` params. `token`: RS512 JWT (login-token.ts). */
export interface LoginParams {
  token: string;
  /** Account number to select; the API key's default account otherwise. */
  account?: string;
}
export interface LoginResult {
  account_number: string;
}

/** `private/set_cancel_on_disconnect` params. */
export interface SetCancelOnDisconnectParams {
  /** Integer seconds: the session must send something (a ping suffices) at least this often. */
  timeout_secs: number;
}
export interface SetCancelOnDisconnectResult {
  /** Integer. */
  message_rate: number;
}

/** One level of a multi-level side on the wire: `[price, amount]`. */
export type WireLevel = [price: number, amount: number];

/** Single-level side on the wire (spec `SingleSidedSingleLevelQuote`); `a` is the AMOUNT here. */
export interface SingleLevelSide {
  /** Limit price. */
  p: number;
  /** Amount; zero deletes the quote. */
  a: number;
}

/** One side of a DoubleSidedQuote: single-level object or 0..10 `[price, amount]` levels. */
export type QuoteSide = SingleLevelSide | WireLevel[];

/**
 * Spec `DoubleSidedQuote`. An omitted side is left as it is on the venue; `[]` removes every
 * quote on that side (spec `private/mass_quote` `quotes` description).
 */
export interface DoubleSidedQuote {
  /** Instrument name. */
  i: string;
  /** Bid quote(s). */
  b?: QuoteSide;
  /** Ask quote(s). */
  a?: QuoteSide;
}

/** `private/mass_quote` params. */
export interface MassQuoteParams {
  /** At most 100. */
  quotes: DoubleSidedQuote[];
  label?: string;
  post_only?: boolean;
  /** Only effective together with `post_only` (then: book-or-cancel). */
  reject_post_only?: boolean;
  stp_level?: StpLevel;
  stp_action?: StpAction;
}

/** An item of `DoubleSidedQuoteResult.errors`: the spec marks none of its fields required. */
export interface MassQuoteSideError {
  code?: number;
  message?: string;
  /** Optional quote side. */
  side?: string;
  /** Optional price level. */
  price?: number;
}

/** `private/mass_quote` result (spec `DoubleSidedQuoteResult`); counts are of quote SIDES. */
export interface DoubleSidedQuoteResult {
  n_success: number;
  n_fail: number;
  errors: MassQuoteSideError[];
}

/** `private/cancel_mass_quote` params; without `product`, all mass quotes are cancelled. */
export interface CancelMassQuoteParams {
  product?: string;
}

/** `private/set_mm_protection` params. */
export interface SetMmProtectionParams {
  /** Product group: 'F' + underlying or 'O' + underlying, e.g. `FBTCUSD`. */
  product: string;
  /** Executed mass-quote amount allowed before remaining quotes are cancelled; ≤ quote_amount. */
  trade_amount: number;
  /** Maximum amount of a single quote. */
  quote_amount: number;
  /** @deprecated Overwrites both `trade_amount` and `quote_amount` (spec). */
  amount?: number;
}

/** `public/subscribe` and `private/subscribe` params. */
export interface ChannelsParams {
  channels: string[];
}
/** Channels actually (un)subscribed: the call succeeds even if none was valid. */
export type ChannelsResult = string[];

/** `public/instruments` params (all optional filters). */
export interface InstrumentsParams {
  /** `YYYY-MM-DD`, not earlier than today. */
  expiry_date?: string;
  underlying?: string;
  instrument_type?: InstrumentsFilter;
}

/** `error` member of an error reply (spec `ErrorResponse`). */
export interface RpcErrorBody {
  code: number;
  message: string;
}

/** Method (see methods.ts `Method`) → params/result, for typed request helpers. */
export interface RpcMethods {
  'public/login': { params: LoginParams; result: LoginResult };
  'private/set_cancel_on_disconnect': { params: SetCancelOnDisconnectParams; result: SetCancelOnDisconnectResult };
  'private/mass_quote': { params: MassQuoteParams; result: DoubleSidedQuoteResult };
  'private/cancel_mass_quote': { params: CancelMassQuoteParams; result: null };
  'private/set_mm_protection': { params: SetMmProtectionParams; result: null };
  'public/subscribe': { params: ChannelsParams; result: ChannelsResult };
  'private/subscribe': { params: ChannelsParams; result: ChannelsResult };
  'public/instruments': { params: InstrumentsParams; result: Instrument[] };
}
export type TypedMethod = keyof RpcMethods;
export type ParamsOf<M extends TypedMethod> = RpcMethods[M]['params'];
export type ResultOf<M extends TypedMethod> = RpcMethods[M]['result'];

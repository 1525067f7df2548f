/** The Thalex wire protocol: names, types, validated builders, error codes, login token. */
export { Method, type MethodName } from './methods.js';
export {
  DELAYS,
  PrivateChannel,
  PublicChannel,
  isPrivateChannel,
  priceIndexChannel,
  tickerChannel,
  type Delay,
  type PriceIndexChannel,
  type PrivateChannelName,
  type PublicChannelName,
  type TickerChannel,
} from './channels.js';
export * from './enums.js';
export type * from './instrument.js';
export type * from './rpc-types.js';
export type * from './notification-types.js';
export {
  MAX_LEVELS_PER_SIDE,
  MAX_QUOTES_PER_CALL,
  askOnlyQuote,
  assertDoubleSidedQuote,
  bidOnlyQuote,
  cancelMassQuoteParams,
  cancelSessionParams,
  channelsParams,
  doubleSidedQuote,
  loginParams,
  massQuoteParams,
  oneSidedQuote,
  setCancelOnDisconnectParams,
  setMmProtectionParams,
  singleLevelQuote,
  type MassQuoteOptions,
  type QuoteLevel,
  type QuoteSideName,
} from './builders.js';
export { ProtocolError, VenueError, type ProtocolErrorCode } from './errors.js';
export { ThalexErrorCode, errorCodeName, isThalexErrorCode, type ThalexErrorCodeName } from './error-codes.js';
export { loadPrivateKey, makeLoginToken, parsePrivateKey } from './login-token.js';

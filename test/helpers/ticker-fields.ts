import * as L from '../../src/rings/layout.js';

/** The ticker fields the decoders keep, and their place in a ring slot. */
export const TICKER_FIELDS: ReadonlyArray<readonly [string, number]> = [
  ['best_bid_price', L.F_BEST_BID_PRICE],
  ['best_bid_amount', L.F_BEST_BID_AMOUNT],
  ['best_ask_price', L.F_BEST_ASK_PRICE],
  ['best_ask_amount', L.F_BEST_ASK_AMOUNT],
  ['mark_price', L.F_MARK_PRICE],
  ['index', L.F_INDEX],
  ['mark_timestamp', L.F_MARK_TIMESTAMP],
  ['collar_low', L.F_COLLAR_LOW],
  ['collar_high', L.F_COLLAR_HIGH],
  ['iv', L.F_IV],
  ['delta', L.F_DELTA],
  ['forward', L.F_FORWARD],
];

import type { Market } from './market.js';
import { roundTo } from './numbers.js';
import type { SimSession } from './session.js';

/**
 * `ticker.<instrument>` payload (spec Ticker): the synthetic book improved by the best resting
 * quote of any session (a quote at the same price adds its amount).
 */
export function tickerJson(m: Market, sessions: Iterable<SimSession>, now: number): Record<string, unknown> {
  const name = m.inst.instrument_name;
  let bid = m.bid;
  let bidAmt = m.bidAmount;
  let ask = m.ask;
  let askAmt = m.askAmount;
  for (const s of sessions) {
    const book = s.quotes.get(name);
    const b = book?.bid[0];
    const a = book?.ask[0];
    // An empty synthetic side (NaN, options) is improved by any resting quote.
    if (b !== undefined && (b.price > bid || bid !== bid)) {
      bid = b.price;
      bidAmt = b.amount - b.filled;
    } else if (b !== undefined && b.price === bid) bidAmt = roundTo(bidAmt + b.amount - b.filled, m.inst.volume_tick_size);
    if (a !== undefined && (a.price < ask || ask !== ask)) {
      ask = a.price;
      askAmt = a.amount - a.filled;
    } else if (a !== undefined && a.price === ask) askAmt = roundTo(askAmt + a.amount - a.filled, m.inst.volume_tick_size);
  }
  const o = m.option;
  // Spec Ticker: best bid/ask price and amount are "`null` if the orderbook is empty".
  const t: Record<string, unknown> = {
    best_bid_price: bid === bid ? bid : null,
    best_bid_amount: bid === bid ? bidAmt : null,
    best_ask_price: ask === ask ? ask : null,
    best_ask_amount: ask === ask ? askAmt : null,
    last_price: m.last,
    mark_price: m.ref,
    mark_timestamp: now,
    delta: o !== undefined ? o.delta : 1,
    index: o !== undefined ? o.index : m.ref,
    volume_24h: m.volume,
    value_24h: m.volume * m.ref,
    collar_low: m.collarLow,
    collar_high: m.collarHigh,
    open_interest: 0,
  };
  if (o !== undefined) {
    // "Only included for options".
    t['iv'] = o.iv;
    t['forward'] = o.forward;
  }
  if (m.inst.type === 'perpetual') {
    t['funding_rate'] = 0.0001;
    t['funding_mark'] = 0;
    t['realised_funding_24h'] = 0;
    t['average_funding_rate_24h'] = 0.0001;
  }
  return t;
}

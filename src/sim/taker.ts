import type { OrderStatus } from '../protocol/notification-types.js';
import type { Market } from './market.js';
import { takerLimit } from './option-book.js';
import { roundTo } from './numbers.js';
import type { Portfolio } from './portfolio.js';
import type { ProtectionGroups } from './protection.js';
import type { Rng } from './rng.js';
import type { RestingLevel, SimSession } from './session.js';

/**
 * The random taker flow: a taker buys or sells a random number of lots and trades with resting
 * mass quotes priced at or better than the synthetic market, at price-time priority across
 * sessions.
 */
export class TakerFlow {
  readonly #rng: Rng;
  readonly #sessions: ReadonlyMap<number, SimSession>;
  readonly #portfolio: Portfolio;
  readonly #protection: ProtectionGroups;
  readonly #maxLots: number;

  constructor(rng: Rng, sessions: ReadonlyMap<number, SimSession>, portfolio: Portfolio, protection: ProtectionGroups, maxLots: number) {
    this.#rng = rng;
    this.#sessions = sessions;
    this.#portfolio = portfolio;
    this.#protection = protection;
    this.#maxLots = maxLots;
  }

  /** One taker arrives in market `m`. */
  take(m: Market): void {
    const takerBuys = this.#rng.next() < 0.5;
    const side: 'bid' | 'ask' = takerBuys ? 'ask' : 'bid';
    const lot = m.inst.volume_tick_size;
    let left = roundTo((1 + Math.floor(this.#rng.next() * this.#maxLots)) * lot, lot);
    // An option taker trades up to a little past the mark (option-book.ts): quotes through the
    // mark are lifted whatever the (often empty) book shows. Others: the synthetic best.
    const limit = m.option !== undefined ? takerLimit(m.ref, takerBuys, this.#rng) : takerBuys ? m.ask : m.bid;
    if (m.option === undefined) m.last = limit;
    // Price-time priority across sessions, only levels at or better than the limit.
    const resting: Array<{ s: SimSession; l: RestingLevel }> = [];
    for (const s of this.#sessions.values()) {
      const book = s.quotes.get(m.inst.instrument_name);
      if (book === undefined) continue;
      for (const l of book[side]) {
        if (side === 'bid' ? l.price >= limit : l.price <= limit) resting.push({ s, l });
      }
    }
    resting.sort((x, y) => (side === 'bid' ? y.l.price - x.l.price : x.l.price - y.l.price) || x.l.createTime - y.l.createTime);
    for (const { s, l } of resting) {
      if (left <= 0 || s.ended) break;
      const qty = roundTo(Math.min(left, l.amount - l.filled), lot);
      if (qty <= 0) continue;
      left = roundTo(left - qty, lot);
      if (m.option !== undefined) m.last = l.price;
      l.filled = roundTo(l.filled + qty, lot);
      const updates: OrderStatus[] = [];
      this.#portfolio.fill(s, m.inst, side, l, l.price, qty, 'maker', updates);
      const book = s.quotes.get(m.inst.instrument_name)!;
      if (l.filled >= l.amount - 1e-12) book[side] = book[side].filter((x) => x !== l);
      s.sink.orders(updates);
      this.#portfolio.flushTrades();
      this.#protection.executed(s, m.inst.product, qty);
    }
  }
}

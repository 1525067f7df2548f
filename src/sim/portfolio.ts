import type { OrderStatus } from '../protocol/notification-types.js';
import type { SimInstrument } from './instruments.js';
import type { Market } from './market.js';
import { roundTo } from './numbers.js';
import { orderStatus } from './order-status.js';
import type { RestingLevel, SimSession } from './session.js';

export interface Fill {
  session: number;
  instrument: string;
  side: 'bid' | 'ask';
  price: number;
  amount: number;
  tradeId: string;
  orderId: string;
}

/**
 * Positions per account and what a fill does to them: the order update, the trade-history line,
 * the portfolio notification to every session of the account, and the fills record.
 */
export class Portfolio {
  readonly fills: Fill[] = [];
  readonly #markets: ReadonlyMap<string, Market>;
  readonly #sessions: ReadonlyMap<number, SimSession>;
  readonly #now: () => number;
  readonly #positions = new Map<string, Map<string, number>>();
  /** Trade-history lines, sent after the order updates that carry their fills (as the venue does). */
  readonly #pendingTrades: Array<[SimSession, Record<string, unknown>]> = [];
  #nextTrade = 1;

  constructor(markets: ReadonlyMap<string, Market>, sessions: ReadonlyMap<number, SimSession>, now: () => number) {
    this.#markets = markets;
    this.#sessions = sessions;
    this.#now = now;
  }

  /** Level `l` traded `qty` at `price` (its `filled` already counts it): report the fill into `updates`. */
  fill(s: SimSession, inst: SimInstrument, side: 'bid' | 'ask', l: RestingLevel, price: number, qty: number, makerTaker: 'maker' | 'taker', updates: OrderStatus[]): void {
    const tradeId = `T${(this.#nextTrade++).toString().padStart(10, '0')}`;
    const now = this.#now();
    const fill = { trade_id: tradeId, price, amount: qty, time: now, maker_taker: makerTaker, leg_index: 0 };
    const full = l.filled >= l.amount - 1e-12;
    const st = orderStatus(inst, side, l, 'fill', full ? 'filled' : undefined);
    st.fills = [fill];
    updates.push(st);
    const pos = this.#positionMap(s.account);
    const after = roundTo((pos.get(inst.instrument_name) ?? 0) + (side === 'bid' ? qty : -qty), inst.volume_tick_size);
    pos.set(inst.instrument_name, after);
    this.fills.push({ session: s.id, instrument: inst.instrument_name, side, price, amount: qty, tradeId, orderId: l.orderId });
    const m = this.#markets.get(inst.instrument_name)!;
    m.volume += qty;
    this.#pendingTrades.push([
      s,
      {
        trade_id: tradeId,
        order_id: l.orderId,
        instrument_name: inst.instrument_name,
        direction: side === 'bid' ? 'buy' : 'sell',
        price,
        amount: qty,
        label: l.label ?? '',
        time: now,
        position_after: after,
        trade_type: 'normal',
        maker_taker: makerTaker,
        fee_rate: 0.0001,
        fee: roundTo(price * qty * 0.0001, 1e-8),
        index: m.ref,
        leg_index: 0,
      },
    ]);
    for (const other of this.#sessions.values()) {
      if (other.account === s.account) other.sink.portfolio([this.line(s.account, inst.instrument_name)]);
    }
  }

  /** Sends the trade-history lines of the fills reported so far (after their order updates). */
  flushTrades(): void {
    for (const [s, t] of this.#pendingTrades.splice(0)) s.sink.trades([t]);
  }

  lines(account: string): Array<Record<string, unknown>> {
    return [...this.#positionMap(account).keys()].map((name) => this.line(account, name));
  }

  line(account: string, name: string): Record<string, unknown> {
    const m = this.#markets.get(name)!;
    return { instrument_name: name, position: this.#positionMap(account).get(name) ?? 0, mark_price: m.ref, index: m.ref, average_price: m.ref, unrealised_pnl: 0, realised_pnl: 0 };
  }

  position(account: string, name: string): number {
    return this.#positionMap(account).get(name) ?? 0;
  }

  #positionMap(account: string): Map<string, number> {
    let p = this.#positions.get(account);
    if (p === undefined) {
      p = new Map();
      this.#positions.set(account, p);
    }
    return p;
  }
}

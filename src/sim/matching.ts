import { ThalexErrorCode as E } from '../protocol/error-codes.js';
import type { OrderStatus } from '../protocol/notification-types.js';
import type { SimInstrument } from './instruments.js';
import type { Market } from './market.js';
import { isMultiple } from './numbers.js';
import { orderStatus } from './order-status.js';
import type { Portfolio } from './portfolio.js';
import type { RestingLevel, SimSession } from './session.js';

/** A refused side of a mass quote (spec DoubleSidedQuoteResult errors[]). */
export interface SideError {
  code: number;
  message: string;
  side: 'bid' | 'ask';
  price?: number;
}

const MAX_LEVELS = 10;

/**
 * The sessions' mass-quote books: one side of a quote checked and placed with Thalex's replace
 * rules (identical levels keep their priority, crossing levels trade or are moved/cancelled per
 * post_only), and deletions reported as order updates.
 */
export class QuoteBook {
  readonly #markets: ReadonlyMap<string, Market>;
  readonly #instruments: ReadonlyMap<string, SimInstrument>;
  readonly #portfolio: Portfolio;
  readonly #now: () => number;
  #nextOrder = 1;
  /** Orders inserted in the same clock tick still get distinct times (time priority). */
  #insertSeq = 0;

  constructor(markets: ReadonlyMap<string, Market>, instruments: ReadonlyMap<string, SimInstrument>, portfolio: Portfolio, now: () => number) {
    this.#markets = markets;
    this.#instruments = instruments;
    this.#portfolio = portfolio;
    this.#now = now;
  }

  /** Replaces session `s`'s `side` of `inst` with `raw`'s levels; the order updates go into `updates`. */
  quoteSide(
    s: SimSession,
    inst: SimInstrument,
    side: 'bid' | 'ask',
    raw: unknown,
    label: string | undefined,
    postOnly: boolean,
    rejectPostOnly: boolean,
    updates: OrderStatus[],
  ): SideError | undefined {
    const levels = parseSide(raw);
    if (levels === undefined) return { code: E.InvalidRequest, message: 'a side is {"p","a"} or [[price, amount], …]', side };
    if (levels.length > MAX_LEVELS) return { code: E.InvalidRequest, message: `at most ${MAX_LEVELS} levels per side`, side };
    const prot = s.protection.get(inst.product);
    const m = this.#markets.get(inst.instrument_name)!;
    const collarLow = m.collarLow;
    const collarHigh = m.collarHigh;
    for (const [p, a] of levels) {
      if (!isMultiple(p, inst.tick_size)) return { code: E.PriceNotAlignedWithTick, message: `price ${p} not a multiple of ${inst.tick_size}`, side, price: p };
      if (a < 0 || !isMultiple(a, inst.volume_tick_size)) return { code: E.InvalidQuantityOrAmountNotAlignedWithTick, message: `amount ${a} not a multiple of ${inst.volume_tick_size}`, side, price: p };
      if (a > 0 && prot === undefined) return { code: E.ProtNotSet, message: `market maker protection not set for ${inst.product}`, side, price: p };
      if (prot !== undefined && a > prot.quoteAmount + 1e-12) return { code: E.QuoteExceedsProtGroupSize, message: `amount ${a} above quote_amount ${prot.quoteAmount}`, side, price: p };
      if (side === 'bid' && p > collarHigh) return { code: E.PriceCollarBreach, message: `bid ${p} above collar ${collarHigh}`, side, price: p };
      if (side === 'ask' && p < collarLow) return { code: E.PriceCollarBreach, message: `ask ${p} below collar ${collarLow}`, side, price: p };
    }
    let book = s.quotes.get(inst.instrument_name);
    if (book === undefined) {
      book = { bid: [], ask: [] };
      s.quotes.set(inst.instrument_name, book);
    }
    const old = book[side];
    const next: RestingLevel[] = [];
    const now = this.#now();
    for (const [p0, a] of levels) {
      if (a === 0) continue; // "Amount; set to zero to delete quote"
      let p = p0;
      const crosses = side === 'bid' ? p >= m.ask : p <= m.bid;
      if (crosses && postOnly) {
        if (rejectPostOnly) {
          updates.push(orderStatus(inst, side, { orderId: this.#orderId(), price: p, amount: a, filled: 0, createTime: now, label }, 'cancel', 'immediate_cancel'));
          continue;
        }
        p = side === 'bid' ? m.ask - inst.tick_size : m.bid + inst.tick_size;
        if (p <= 0) {
          updates.push(orderStatus(inst, side, { orderId: this.#orderId(), price: p0, amount: a, filled: 0, createTime: now, label }, 'cancel', 'immediate_cancel'));
          continue;
        }
      }
      // Identical price and amount: the resting order stays, with its queue priority (rule 5).
      const same = old.find((l) => l.price === p && l.amount - l.filled === a && !next.includes(l));
      if (same !== undefined) {
        next.push(same);
        continue;
      }
      const lvl: RestingLevel = { orderId: this.#orderId(), price: p, amount: a, filled: 0, createTime: now + this.#insertSeq++ * 1e-9, label };
      if (crosses && !postOnly) {
        // Not post-only: it takes the other side of the synthetic market at once.
        const px = side === 'bid' ? m.ask : m.bid;
        lvl.filled = a;
        updates.push(orderStatus(inst, side, lvl, 'insert'));
        this.#portfolio.fill(s, inst, side, lvl, px, a, 'taker', updates);
        continue;
      }
      next.push(lvl);
      updates.push(orderStatus(inst, side, lvl, 'insert'));
    }
    for (const l of old) if (!next.includes(l)) updates.push(orderStatus(inst, side, l, 'cancel', 'replaced'));
    next.sort((x, y) => (side === 'bid' ? y.price - x.price : x.price - y.price) || x.createTime - y.createTime);
    book[side] = next;
    return undefined;
  }

  /** Deletes the session's quotes (all, or one product's), reported with `reason` when `notify`. */
  deleteQuotes(s: SimSession, product: string | undefined, reason: string, notify: boolean): void {
    const updates: OrderStatus[] = [];
    for (const [name, book] of s.quotes) {
      const inst = this.#instruments.get(name)!;
      if (product !== undefined && inst.product !== product) continue;
      for (const side of ['bid', 'ask'] as const) {
        for (const l of book[side]) updates.push(orderStatus(inst, side, l, 'cancel', reason));
        book[side] = [];
      }
    }
    if (notify && updates.length > 0) s.sink.orders(updates);
  }

  /** The mass quotes of a session as OrderStatus snapshots (`change_reason: existing`). */
  openOrders(s: SimSession): OrderStatus[] {
    const out: OrderStatus[] = [];
    for (const [name, book] of s.quotes) {
      const inst = this.#instruments.get(name)!;
      for (const side of ['bid', 'ask'] as const) for (const l of book[side]) out.push(orderStatus(inst, side, l, 'existing'));
    }
    return out;
  }

  #orderId(): string {
    return `O${(this.#nextOrder++).toString().padStart(12, '0')}`;
  }
}

/** A side as `{"p","a"}` or `[[price, amount], …]`; undefined when it is neither. */
function parseSide(raw: unknown): Array<[number, number]> | undefined {
  if (Array.isArray(raw)) {
    const out: Array<[number, number]> = [];
    for (const lv of raw) {
      if (!Array.isArray(lv) || lv.length !== 2 || typeof lv[0] !== 'number' || typeof lv[1] !== 'number' || !Number.isFinite(lv[0]) || !Number.isFinite(lv[1])) return undefined;
      out.push([lv[0], lv[1]]);
    }
    return out;
  }
  if (raw !== null && typeof raw === 'object') {
    const o = raw as { p?: unknown; a?: unknown };
    if (typeof o.p !== 'number' || typeof o.a !== 'number' || !Number.isFinite(o.p) || !Number.isFinite(o.a)) return undefined;
    return [[o.p, o.a]];
  }
  return undefined;
}

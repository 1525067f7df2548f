import type { OrderStatus } from '../protocol/notification-types.js';
import { ThalexErrorCode as E } from '../protocol/error-codes.js';
import { VenueReject } from './errors.js';
import type { SimInstrument } from './instruments.js';
import { type Market, newMarket, walk } from './market.js';
import { OptionMarkets } from './option-market.js';
import { QuoteBook, type SideError } from './matching.js';
import { roundTo } from './numbers.js';
import { type Fill, Portfolio } from './portfolio.js';
import { ProtectionGroups } from './protection.js';
import { Rng } from './rng.js';
import { SimSession } from './session.js';
import { TakerFlow } from './taker.js';
import { tickerJson } from './ticker-json.js';

// What the rest of the package imports from here.
export { VenueReject, SimSession };
export type { Fill, SideError };
export type { Protection, RestingLevel, SessionSink } from './session.js';

export interface VenueOptions {
  seed: number;
  instruments: SimInstrument[];
  /** Probability per instrument per step that a taker arrives. */
  takerProbability: number;
  /** Largest taker order, in lots. */
  takerMaxLots: number;
  /** Seconds clock (injectable for deterministic tests). */
  now: () => number;
  /** Every step moves every perpetual's best bid (see market.ts walk). */
  alwaysMove?: boolean;
}

const MAX_QUOTES = 100;

/**
 * The exchange's state and rules: instruments with a seeded random-walk market (market.ts), mass
 * quotes per session with Thalex's replace rules (matching.ts), protection groups
 * (protection.ts), positions (portfolio.ts), a taker flow that fills resting quotes at price-time
 * priority (taker.ts). No I/O: the server feeds it requests and turns what it reports into
 * replies and notifications. This class wires those parts together and owns the sessions.
 */
export class Venue {
  readonly instruments: ReadonlyMap<string, SimInstrument>;
  readonly fills: Fill[];
  readonly #markets = new Map<string, Market>();
  readonly #sessions = new Map<number, SimSession>();
  readonly #rng: Rng;
  readonly #portfolio: Portfolio;
  readonly #book: QuoteBook;
  readonly #protection: ProtectionGroups;
  readonly #taker: TakerFlow;
  /** The options' marks and books, off a vol surface (null: no option listed). */
  readonly #options: OptionMarkets | null;
  readonly #indexOf = (u: string): number | undefined => this.#indexPrice(u);
  #opts: VenueOptions;

  constructor(opts: VenueOptions) {
    this.#opts = opts;
    this.#rng = new Rng(opts.seed);
    this.instruments = new Map(opts.instruments.map((i) => [i.instrument_name, i]));
    for (const inst of opts.instruments) this.#markets.set(inst.instrument_name, newMarket(inst, this.#rng));
    // The clock is read through #opts: setTakerProbability replaces it (same `now`).
    const now = (): number => this.#opts.now();
    this.#portfolio = new Portfolio(this.#markets, this.#sessions, now);
    this.fills = this.#portfolio.fills;
    this.#book = new QuoteBook(this.#markets, this.instruments, this.#portfolio, now);
    this.#protection = new ProtectionGroups(this.#book, () => this.products());
    this.#taker = new TakerFlow(this.#rng, this.#sessions, this.#portfolio, this.#protection, opts.takerMaxLots);
    const options = new OptionMarkets(this.#markets.values());
    this.#options = options.size > 0 ? options : null;
    this.#options?.remark(this.#indexOf, opts.now(), this.#rng, false);
  }

  /**
   * The index of an underlying: the reference of its first perpetual or future (the options'
   * underlying moves with it), else of its first instrument.
   */
  #indexPrice(underlying: string): number | undefined {
    let any: number | undefined;
    for (const m of this.#markets.values()) {
      if (m.inst.underlying !== underlying) continue;
      if (m.inst.type !== 'option') return m.ref;
      any ??= m.ref;
    }
    return any;
  }

  underlyings(): Set<string> {
    return new Set([...this.instruments.values()].map((i) => String(i.underlying)));
  }

  /** `price_index.<underlying>` payload (spec Index): see #indexPrice. */
  index(underlying: string): Record<string, unknown> | undefined {
    const price = this.#indexPrice(underlying);
    return price === undefined ? undefined : { index_name: underlying, price, timestamp: this.#opts.now() };
  }

  products(): Set<string> {
    return new Set([...this.instruments.values()].map((i) => i.product));
  }

  // ---- sessions ----

  addSession(s: SimSession): void {
    this.#sessions.set(s.id, s);
  }

  session(id: number): SimSession | undefined {
    return this.#sessions.get(id);
  }

  /** Changes the taker flow while running (e.g. to let a test settle after a burst of fills). */
  setTakerProbability(p: number): void {
    this.#opts = { ...this.#opts, takerProbability: p };
  }

  sessions(): SimSession[] {
    return [...this.#sessions.values()];
  }

  /**
   * The session is over (socket closed, silence, cancel_session): its quotes and groups die. The
   * order deletions are always reported (other connections of the account hear them on
   * `account.orders`); `notify` false: the socket is gone, and so is the session.
   */
  endSession(s: SimSession, notify: boolean): void {
    this.#book.deleteQuotes(s, undefined, 'session_end', true);
    const lines = [...s.protection.keys()].map((product) => ({ product, remaining_amount: 0, reason: 'session_end' }));
    s.protection.clear();
    if (notify && lines.length > 0) s.sink.protection(lines);
    if (!notify) {
      s.ended = true;
      this.#sessions.delete(s.id);
    }
  }

  // ---- protection ----

  setProtection(s: SimSession, product: string, tradeAmount: number, quoteAmount: number): void {
    this.#protection.set(s, product, tradeAmount, quoteAmount);
  }

  // ---- mass quotes ----

  massQuote(s: SimSession, params: Record<string, unknown>): { n_success: number; n_fail: number; errors: SideError[] } {
    const quotes = params['quotes'];
    if (!Array.isArray(quotes)) throw new VenueReject(E.InvalidRequest, 'quotes must be an array');
    if (quotes.length > MAX_QUOTES) throw new VenueReject(E.InvalidRequest, `at most ${MAX_QUOTES} quotes per call`);
    const label = typeof params['label'] === 'string' ? params['label'] : undefined;
    const postOnly = params['post_only'] === true;
    const rejectPostOnly = params['reject_post_only'] === true;
    if (rejectPostOnly && !postOnly) throw new VenueReject(E.InvalidRequest, 'reject_post_only requires post_only');
    let ok = 0;
    let fail = 0;
    const errors: SideError[] = [];
    const updates: OrderStatus[] = [];
    for (const q of quotes as Array<Record<string, unknown>>) {
      const name = q?.['i'];
      const inst = typeof name === 'string' ? this.instruments.get(name) : undefined;
      const sides: Array<['bid' | 'ask', unknown]> = [];
      if (q?.['b'] !== undefined) sides.push(['bid', q['b']]);
      if (q?.['a'] !== undefined) sides.push(['ask', q['a']]);
      if (inst === undefined) {
        for (const [side] of sides) errors.push({ code: E.UnknownInstrument, message: `unknown instrument ${String(name)}`, side });
        fail += sides.length;
        continue;
      }
      for (const [side, raw] of sides) {
        const r = this.#book.quoteSide(s, inst, side, raw, label, postOnly, rejectPostOnly, updates);
        if (r === undefined) ok++;
        else {
          errors.push(r);
          fail++;
        }
      }
    }
    if (updates.length > 0) s.sink.orders(updates);
    this.#portfolio.flushTrades();
    return { n_success: ok, n_fail: fail, errors };
  }

  /** Deletes the session's quotes (all, or one product's). */
  cancelMassQuote(s: SimSession, product: string | undefined): void {
    // Spec: "Cancel mass quotes across all sessions" of the account.
    for (const other of this.#sessions.values()) {
      if (other.account !== s.account) continue;
      this.#book.deleteQuotes(other, product, 'client_bulk_cancel', true);
      const lines: Array<{ product: string; remaining_amount: number; reason: string }> = [];
      for (const [p, g] of other.protection) {
        if (product === undefined || p === product) lines.push({ product: p, remaining_amount: g.remaining, reason: 'client_cancel' });
      }
      for (const l of lines) other.protection.delete(l.product);
      if (lines.length > 0) other.sink.protection(lines);
    }
  }

  // ---- market ----

  /** One market step: random walk, synthetic book, taker flow. Returns the instruments that moved. */
  step(): string[] {
    const moved: string[] = [];
    const options = this.#options;
    if (options === null) {
      for (const m of this.#markets.values()) {
        walk(m, this.#rng, this.#opts.alwaysMove === true);
        if (this.#rng.next() < this.#opts.takerProbability) this.#taker.take(m);
        moved.push(m.inst.instrument_name);
      }
      return moved;
    }
    // Underlyings first, then the options off their new index, then the takers.
    for (const m of this.#markets.values()) if (m.option === undefined) walk(m, this.#rng, this.#opts.alwaysMove === true);
    options.remark(this.#indexOf, this.#opts.now(), this.#rng, true);
    for (const m of this.#markets.values()) {
      if (this.#rng.next() < this.#opts.takerProbability) this.#taker.take(m);
      moved.push(m.inst.instrument_name);
    }
    return moved;
  }

  // ---- views ----

  ticker(name: string): Record<string, unknown> {
    return tickerJson(this.#markets.get(name)!, this.#sessions.values(), this.#opts.now());
  }

  /** The mass quotes of a session as OrderStatus snapshots (`change_reason: existing`). */
  openOrders(s: SimSession): OrderStatus[] {
    return this.#book.openOrders(s);
  }

  portfolio(account: string): Array<Record<string, unknown>> {
    return this.#portfolio.lines(account);
  }

  portfolioLine(account: string, name: string): Record<string, unknown> {
    return this.#portfolio.line(account, name);
  }

  position(account: string, name: string): number {
    return this.#portfolio.position(account, name);
  }

  /** Live quote levels of every session of an account (inspection for tests and benchmarks). */
  liveQuotes(account?: string): Array<{ session: number; instrument: string; side: 'bid' | 'ask'; price: number; amount: number; orderId: string }> {
    const out = [];
    for (const s of this.#sessions.values()) {
      if (account !== undefined && s.account !== account) continue;
      for (const [name, book] of s.quotes) {
        for (const side of ['bid', 'ask'] as const) {
          for (const l of book[side]) out.push({ session: s.id, instrument: name, side, price: l.price, amount: roundTo(l.amount - l.filled, 1e-9), orderId: l.orderId });
        }
      }
    }
    return out;
  }

  market(name: string): { ref: number; bid: number; ask: number } | undefined {
    const m = this.#markets.get(name);
    return m === undefined ? undefined : { ref: m.ref, bid: m.bid, ask: m.ask };
  }
}

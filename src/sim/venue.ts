import type { OrderStatus } from '../protocol/notification-types.js';
import { ThalexErrorCode as E } from '../protocol/error-codes.js';
import type { SimInstrument } from './instruments.js';
import { Rng } from './rng.js';

/** One resting mass-quote level: an order at the venue. */
export interface RestingLevel {
  orderId: string;
  price: number;
  amount: number;
  filled: number;
  createTime: number;
  label: string | undefined;
}

export interface SideError {
  code: number;
  message: string;
  side: 'bid' | 'ask';
  price?: number;
}

/** A request-level refusal, answered as `{"id":…,"error":{code,message}}`. */
export class VenueReject extends Error {
  constructor(
    readonly venueCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Protection {
  tradeAmount: number;
  quoteAmount: number;
  remaining: number;
}

/** What the venue needs to tell a session (the server turns these into notifications). */
export interface SessionSink {
  orders(updates: OrderStatus[]): void;
  trades(trades: Array<Record<string, unknown>>): void;
  portfolio(lines: Array<Record<string, unknown>>): void;
  protection(lines: Array<{ product: string; remaining_amount: number; reason: string }>): void;
}

export class SimSession {
  readonly quotes = new Map<string, { bid: RestingLevel[]; ask: RestingLevel[] }>();
  readonly protection = new Map<string, Protection>();
  cancelOnDisconnect = false;
  ended = false;

  constructor(
    readonly id: number,
    readonly account: string,
    readonly sink: SessionSink,
  ) {}
}

interface Market {
  inst: SimInstrument;
  ref: number;
  bid: number;
  ask: number;
  bidAmount: number;
  askAmount: number;
  last: number | null;
  volume: number;
}

export interface Fill {
  session: number;
  instrument: string;
  side: 'bid' | 'ask';
  price: number;
  amount: number;
  tradeId: string;
  orderId: string;
}

export interface VenueOptions {
  seed: number;
  instruments: SimInstrument[];
  /** Probability per instrument per step that a taker arrives. */
  takerProbability: number;
  /** Largest taker order, in lots. */
  takerMaxLots: number;
  /** Seconds clock (injectable for deterministic tests). */
  now: () => number;
}

const MAX_QUOTES = 100;
const MAX_LEVELS = 10;

/**
 * The exchange's state and rules: instruments with a seeded random-walk market, mass quotes per
 * session with Thalex's replace rules, protection groups, positions, a taker flow that fills
 * resting quotes at price-time priority. No I/O: the server feeds it requests and turns what it
 * reports into replies and notifications.
 */
export class Venue {
  readonly instruments: ReadonlyMap<string, SimInstrument>;
  readonly #markets = new Map<string, Market>();
  readonly #sessions = new Map<number, SimSession>();
  readonly #positions = new Map<string, Map<string, number>>();
  readonly #rng: Rng;
  #opts: VenueOptions;
  readonly fills: Fill[] = [];
  /** Trade-history lines, sent after the order updates that carry their fills (as the venue does). */
  readonly #pendingTrades: Array<[SimSession, Record<string, unknown>]> = [];
  #nextOrder = 1;
  #nextTrade = 1;
  #insertSeq = 0;

  constructor(opts: VenueOptions) {
    this.#opts = opts;
    this.#rng = new Rng(opts.seed);
    this.instruments = new Map(opts.instruments.map((i) => [i.instrument_name, i]));
    for (const inst of opts.instruments) {
      const m: Market = { inst, ref: inst.startPrice, bid: 0, ask: 0, bidAmount: 0, askAmount: 0, last: null, volume: 0 };
      this.#reprice(m);
      this.#markets.set(inst.instrument_name, m);
    }
  }

  underlyings(): Set<string> {
    return new Set([...this.instruments.values()].map((i) => String(i.underlying)));
  }

  /** `price_index.<underlying>` payload (spec Index): the reference of its first instrument. */
  index(underlying: string): Record<string, unknown> | undefined {
    for (const m of this.#markets.values()) {
      if (m.inst.underlying === underlying) return { index_name: underlying, price: m.ref, timestamp: this.#opts.now() };
    }
    return undefined;
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
    this.#deleteQuotes(s, undefined, 'session_end', true);
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
    if (!this.products().has(product)) throw new VenueReject(E.UnknownProduct, `unknown product ${product}`);
    if (!(tradeAmount > 0 && quoteAmount > 0) || tradeAmount > quoteAmount) {
      throw new VenueReject(E.InvalidProtGroup, 'trade_amount and quote_amount must be positive, trade_amount ≤ quote_amount');
    }
    s.protection.set(product, { tradeAmount, quoteAmount, remaining: tradeAmount });
    s.sink.protection([{ product, remaining_amount: tradeAmount, reason: 'refill' }]);
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
        const r = this.#quoteSide(s, inst, side, raw, label, postOnly, rejectPostOnly, updates);
        if (r === undefined) ok++;
        else {
          errors.push(r);
          fail++;
        }
      }
    }
    if (updates.length > 0) s.sink.orders(updates);
    this.#flushTrades();
    return { n_success: ok, n_fail: fail, errors };
  }

  #quoteSide(
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
    const collarLow = m.ref * 0.9;
    const collarHigh = m.ref * 1.1;
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
    const now = this.#opts.now();
    for (const [p0, a] of levels) {
      if (a === 0) continue; // "Amount; set to zero to delete quote"
      let p = p0;
      const crosses = side === 'bid' ? p >= m.ask : p <= m.bid;
      if (crosses && postOnly) {
        if (rejectPostOnly) {
          updates.push(this.#status(inst, side, { orderId: this.#orderId(), price: p, amount: a, filled: 0, createTime: now, label }, 'cancel', 'immediate_cancel'));
          continue;
        }
        p = side === 'bid' ? m.ask - inst.tick_size : m.bid + inst.tick_size;
        if (p <= 0) {
          updates.push(this.#status(inst, side, { orderId: this.#orderId(), price: p0, amount: a, filled: 0, createTime: now, label }, 'cancel', 'immediate_cancel'));
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
        updates.push(this.#status(inst, side, lvl, 'insert'));
        this.#fill(s, inst, side, lvl, px, a, 'taker', updates);
        continue;
      }
      next.push(lvl);
      updates.push(this.#status(inst, side, lvl, 'insert'));
    }
    for (const l of old) if (!next.includes(l)) updates.push(this.#status(inst, side, l, 'cancel', 'replaced'));
    next.sort((x, y) => (side === 'bid' ? y.price - x.price : x.price - y.price) || x.createTime - y.createTime);
    book[side] = next;
    return undefined;
  }

  /** Deletes the session's quotes (all, or one product's). */
  cancelMassQuote(s: SimSession, product: string | undefined): void {
    // Spec: "Cancel mass quotes across all sessions" of the account.
    for (const other of this.#sessions.values()) {
      if (other.account !== s.account) continue;
      this.#deleteQuotes(other, product, 'client_bulk_cancel', true);
      const lines: Array<{ product: string; remaining_amount: number; reason: string }> = [];
      for (const [p, g] of other.protection) {
        if (product === undefined || p === product) lines.push({ product: p, remaining_amount: g.remaining, reason: 'client_cancel' });
      }
      for (const l of lines) other.protection.delete(l.product);
      if (lines.length > 0) other.sink.protection(lines);
    }
  }

  #deleteQuotes(s: SimSession, product: string | undefined, reason: string, notify: boolean): void {
    const updates: OrderStatus[] = [];
    for (const [name, book] of s.quotes) {
      const inst = this.instruments.get(name)!;
      if (product !== undefined && inst.product !== product) continue;
      for (const side of ['bid', 'ask'] as const) {
        for (const l of book[side]) updates.push(this.#status(inst, side, l, 'cancel', reason));
        book[side] = [];
      }
    }
    if (notify && updates.length > 0) s.sink.orders(updates);
  }

  // ---- market ----

  /** One market step: random walk, synthetic book, taker flow. Returns the instruments that moved. */
  step(): string[] {
    const moved: string[] = [];
    for (const m of this.#markets.values()) {
      m.ref = Math.max(m.inst.tick_size * 10, m.ref * (1 + 0.0002 * this.#rng.normal()));
      this.#reprice(m);
      if (this.#rng.next() < this.#opts.takerProbability) this.#taker(m);
      moved.push(m.inst.instrument_name);
    }
    return moved;
  }

  #reprice(m: Market): void {
    const t = m.inst.tick_size;
    const half = Math.max(t, m.ref * 0.0005);
    m.bid = Math.floor((m.ref - half) / t) * t;
    m.ask = Math.ceil((m.ref + half) / t) * t;
    if (m.ask <= m.bid) m.ask = m.bid + t;
    m.bid = roundTo(m.bid, t);
    m.ask = roundTo(m.ask, t);
    const lot = m.inst.volume_tick_size;
    m.bidAmount = roundTo((1 + Math.floor(this.#rng.next() * 50)) * lot, lot);
    m.askAmount = roundTo((1 + Math.floor(this.#rng.next() * 50)) * lot, lot);
  }

  /** A taker buys or sells; it trades with resting mass quotes priced at or better than the market. */
  #taker(m: Market): void {
    const takerBuys = this.#rng.next() < 0.5;
    const side: 'bid' | 'ask' = takerBuys ? 'ask' : 'bid';
    const lot = m.inst.volume_tick_size;
    let left = roundTo((1 + Math.floor(this.#rng.next() * this.#opts.takerMaxLots)) * lot, lot);
    m.last = takerBuys ? m.ask : m.bid;
    // Price-time priority across sessions, only levels at or better than the synthetic best.
    const resting: Array<{ s: SimSession; l: RestingLevel }> = [];
    for (const s of this.#sessions.values()) {
      const book = s.quotes.get(m.inst.instrument_name);
      if (book === undefined) continue;
      for (const l of book[side]) {
        if (side === 'bid' ? l.price >= m.bid : l.price <= m.ask) resting.push({ s, l });
      }
    }
    resting.sort((x, y) => (side === 'bid' ? y.l.price - x.l.price : x.l.price - y.l.price) || x.l.createTime - y.l.createTime);
    for (const { s, l } of resting) {
      if (left <= 0 || s.ended) break;
      const qty = roundTo(Math.min(left, l.amount - l.filled), lot);
      if (qty <= 0) continue;
      left = roundTo(left - qty, lot);
      l.filled = roundTo(l.filled + qty, lot);
      const updates: OrderStatus[] = [];
      this.#fill(s, m.inst, side, l, l.price, qty, 'maker', updates);
      const book = s.quotes.get(m.inst.instrument_name)!;
      if (l.filled >= l.amount - 1e-12) book[side] = book[side].filter((x) => x !== l);
      s.sink.orders(updates);
      this.#flushTrades();
      this.#checkProtection(s, m.inst.product, qty);
    }
  }

  #fill(s: SimSession, inst: SimInstrument, side: 'bid' | 'ask', l: RestingLevel, price: number, qty: number, makerTaker: 'maker' | 'taker', updates: OrderStatus[]): void {
    const tradeId = `T${(this.#nextTrade++).toString().padStart(10, '0')}`;
    const now = this.#opts.now();
    const fill = { trade_id: tradeId, price, amount: qty, time: now, maker_taker: makerTaker, leg_index: 0 };
    const full = l.filled >= l.amount - 1e-12;
    const st = this.#status(inst, side, l, 'fill', full ? 'filled' : undefined);
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
      if (other.account === s.account) other.sink.portfolio([this.portfolioLine(s.account, inst.instrument_name)]);
    }
  }

  #flushTrades(): void {
    for (const [s, t] of this.#pendingTrades.splice(0)) s.sink.trades([t]);
  }

  #checkProtection(s: SimSession, product: string, qty: number): void {
    const g = s.protection.get(product);
    if (g === undefined) return;
    g.remaining = roundTo(g.remaining - qty, 1e-9);
    if (g.remaining <= 0) {
      this.#deleteQuotes(s, product, 'mm_protection', true);
      s.protection.delete(product);
    }
    s.sink.protection([{ product, remaining_amount: g.remaining, reason: 'executions' }]);
  }

  // ---- views ----

  ticker(name: string): Record<string, unknown> {
    const m = this.#markets.get(name)!;
    let bid = m.bid;
    let bidAmt = m.bidAmount;
    let ask = m.ask;
    let askAmt = m.askAmount;
    for (const s of this.#sessions.values()) {
      const book = s.quotes.get(name);
      const b = book?.bid[0];
      const a = book?.ask[0];
      if (b !== undefined && b.price > bid) {
        bid = b.price;
        bidAmt = b.amount - b.filled;
      } else if (b !== undefined && b.price === bid) bidAmt = roundTo(bidAmt + b.amount - b.filled, m.inst.volume_tick_size);
      if (a !== undefined && a.price < ask) {
        ask = a.price;
        askAmt = a.amount - a.filled;
      } else if (a !== undefined && a.price === ask) askAmt = roundTo(askAmt + a.amount - a.filled, m.inst.volume_tick_size);
    }
    const t: Record<string, unknown> = {
      best_bid_price: bid,
      best_bid_amount: bidAmt,
      best_ask_price: ask,
      best_ask_amount: askAmt,
      last_price: m.last,
      mark_price: m.ref,
      mark_timestamp: this.#opts.now(),
      delta: m.inst.type === 'option' ? 0.5 : 1,
      index: m.ref,
      volume_24h: m.volume,
      value_24h: m.volume * m.ref,
      collar_low: roundTo(m.ref * 0.9, m.inst.tick_size),
      collar_high: roundTo(m.ref * 1.1, m.inst.tick_size),
      open_interest: 0,
    };
    if (m.inst.type === 'perpetual') {
      t['funding_rate'] = 0.0001;
      t['funding_mark'] = 0;
      t['realised_funding_24h'] = 0;
      t['average_funding_rate_24h'] = 0.0001;
    }
    return t;
  }

  /** The mass quotes of a session as OrderStatus snapshots (`change_reason: existing`). */
  openOrders(s: SimSession): OrderStatus[] {
    const out: OrderStatus[] = [];
    for (const [name, book] of s.quotes) {
      const inst = this.instruments.get(name)!;
      for (const side of ['bid', 'ask'] as const) for (const l of book[side]) out.push(this.#status(inst, side, l, 'existing'));
    }
    return out;
  }

  portfolio(account: string): Array<Record<string, unknown>> {
    return [...this.#positionMap(account).keys()].map((name) => this.portfolioLine(account, name));
  }

  portfolioLine(account: string, name: string): Record<string, unknown> {
    const m = this.#markets.get(name)!;
    return { instrument_name: name, position: this.#positionMap(account).get(name) ?? 0, mark_price: m.ref, index: m.ref, average_price: m.ref, unrealised_pnl: 0, realised_pnl: 0 };
  }

  position(account: string, name: string): number {
    return this.#positionMap(account).get(name) ?? 0;
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

  #positionMap(account: string): Map<string, number> {
    let p = this.#positions.get(account);
    if (p === undefined) {
      p = new Map();
      this.#positions.set(account, p);
    }
    return p;
  }

  #orderId(): string {
    return `O${(this.#nextOrder++).toString().padStart(12, '0')}`;
  }

  #status(inst: SimInstrument, side: 'bid' | 'ask', l: RestingLevel, change: string, deleteReason?: string): OrderStatus {
    const gone = deleteReason !== undefined;
    const remaining = gone ? 0 : roundTo(l.amount - l.filled, inst.volume_tick_size);
    let status: string;
    if (deleteReason === 'filled') status = 'filled';
    else if (gone) status = l.filled > 0 ? 'cancelled_partially_filled' : 'cancelled';
    else status = l.filled > 0 ? 'partially_filled' : 'open';
    const o: Record<string, unknown> = {
      order_id: l.orderId,
      order_type: 'limit',
      time_in_force: 'good_till_cancelled',
      instrument_name: inst.instrument_name,
      direction: side === 'bid' ? 'buy' : 'sell',
      price: l.price,
      amount: l.amount,
      filled_amount: l.filled,
      remaining_amount: remaining,
      status,
      fills: [],
      change_reason: change,
      insert_reason: 'client_request',
      create_time: l.createTime,
      persistent: false,
    };
    if (l.label !== undefined) o['label'] = l.label;
    if (deleteReason !== undefined) o['delete_reason'] = deleteReason;
    return o as unknown as OrderStatus;
  }
}

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

function isMultiple(v: number, step: number): boolean {
  const k = v / step;
  return Math.abs(k - Math.round(k)) < 1e-7;
}

function roundTo(v: number, step: number): number {
  const d = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return Number((Math.round(v / step) * step).toFixed(Math.min(d + 2, 12)));
}

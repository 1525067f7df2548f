/**
 * Inline mode: the same pricer function, called on the main thread inside `publishTick`, writing
 * the same quote-slot format. For cheap pricers (the default one prices in well under 1 µs) this
 * beats any thread handoff; a slow pricer delays the event loop by its full cost on every tick.
 */
import { F_RECV_NS, TICK_FIELDS } from '../rings/layout.js';
import { QF_SOURCE_SEQ, QUOTE_STATUS_EMPTY, QUOTE_STATUS_OK } from '../rings/quote-layout.js';
import { QS_PRICING_NS, QS_RECV_NS, QuoteSlots } from '../rings/quote-slot.js';
import { seqNewer } from '../rings/seq.js';
import { TickerRing } from '../rings/ticker-ring.js';
import { price as defaultPrice } from './default-pricer.js';
import { PricingConfigError } from './errors.js';
import { PRICER_PARAMS } from '../rings/control-layout.js';
import { QuoteOut } from './pricer.js';
import type { InstrumentSpec, PriceFn } from './pricer.js';
import type { QuoteSource } from './quote-source.js';

export interface InlinePricerOptions {
  instruments: readonly InstrumentSpec[];
  rings?: readonly TickerRing[];
  ringSlots?: number;
  /** The pricer function itself (already imported); default pricer when omitted. */
  price?: PriceFn;
  params?: ArrayLike<number> | readonly ArrayLike<number>[];
  /**
   * Time one pricing call in this many (power of two; 0 = never, the default): performance.now()
   * allocates in Node 20, and this runs on the main thread. Untimed quotes carry NaN.
   */
  timePricingEvery?: number;
}

export class InlinePricer implements QuoteSource {
  readonly count: number;
  readonly rings: readonly TickerRing[];
  readonly slots: QuoteSlots;
  private readonly price: PriceFn;
  private readonly outs: QuoteOut[] = [];
  private readonly params: Float64Array[] = [];
  private readonly positions: Float64Array;
  private readonly tick = new Float64Array(TICK_FIELDS);
  private readonly lastPriced: Int32Array;
  private readonly lastWriteSeq: Int32Array;
  private readonly lastSourceSeq: Int32Array;
  private closed = false;
  private readonly timeMask: number;
  private timed = 0;
  /** Quotes dropped by `pollQuote` because they were priced from an older tick than one returned. */
  staleQuotes = 0;

  constructor(options: InlinePricerOptions) {
    const n = options.instruments.length;
    if (n === 0) throw new PricingConfigError('at least one instrument is required');
    if (options.rings !== undefined && options.rings.length !== n) {
      throw new PricingConfigError(`${options.rings.length} rings for ${n} instruments`);
    }
    const every = options.timePricingEvery ?? 0;
    if (!Number.isInteger(every) || every < 0 || (every & (every - 1)) !== 0) {
      throw new PricingConfigError(`timePricingEvery ${every} must be 0 or a power of two`);
    }
    this.timeMask = every > 0 ? every - 1 : -1;
    this.count = n;
    this.rings = options.rings ?? options.instruments.map(() => TickerRing.create(options.ringSlots));
    this.slots = QuoteSlots.create(n);
    this.price = options.price ?? defaultPrice;
    this.positions = new Float64Array(n);
    this.lastPriced = new Int32Array(n);
    this.lastWriteSeq = new Int32Array(n);
    this.lastSourceSeq = new Int32Array(n);
    const p = options.params;
    const perInstrument = p !== undefined && p.length > 0 && typeof (p as ArrayLike<unknown>)[0] === 'object';
    for (let i = 0; i < n; i++) {
      this.outs.push(new QuoteOut({ ...options.instruments[i]! }));
      const row = new Float64Array(PRICER_PARAMS);
      const src = p === undefined ? undefined : perInstrument ? (p as readonly ArrayLike<number>[])[i] : (p as ArrayLike<number>);
      if (src !== undefined) for (let k = 0; k < Math.min(src.length, PRICER_PARAMS); k++) row[k] = src[k]!;
      this.params.push(row);
    }
  }

  /** Price the latest tick of `i` now (skips if already priced) and write its slot. */
  publishTick(i: number): void {
    const ring = this.rings[i]!;
    if (ring.latestSeq() === this.lastPriced[i]) return;
    this.priceNow(i);
  }

  /**
   * Write a tick into `i`'s ring and price it; returns the tick seq. Convenience form (doubles
   * passed as arguments may be boxed); the hot path uses `publishFrom`.
   */
  publish(
    i: number,
    bidPrice: number,
    bidAmount: number,
    askPrice: number,
    askAmount: number,
    mark: number,
    index: number,
    markTs: number,
    collarLow: number,
    collarHigh: number,
    recvNs: number,
  ): number {
    const s = this.rings[i]!.publish(bidPrice, bidAmount, askPrice, askAmount, mark, index, markTs, collarLow, collarHigh, recvNs);
    this.priceNow(i);
    return s;
  }

  /** Write the tick staged in `src` (F_ constants) into `i`'s ring and price it. No allocation. */
  publishFrom(i: number, src: Float64Array): number {
    const s = this.rings[i]!.publishFrom(src);
    this.priceNow(i);
    return s;
  }

  pollQuote(i: number, out: Float64Array): boolean {
    const got = this.slots.read(i, out, this.lastWriteSeq[i]!);
    if (got <= 0) return false;
    this.lastWriteSeq[i] = got;
    const src = out[QF_SOURCE_SEQ]!;
    if (seqNewer(this.lastSourceSeq[i]!, src)) {
      this.staleQuotes++;
      return false;
    }
    this.lastSourceSeq[i] = src;
    return true;
  }

  /** Inline pricing is synchronous: the answer is already there (or never will be). */
  /** Inline quotes exist as soon as publishTick returns: nothing is ever late. */
  awaitResults(_onResult: () => void): boolean {
    return true;
  }

  awaitQuoteSpin(i: number, sourceSeq: number, _maxSpins: number): boolean {
    const s = this.slots.sourceSeq(i);
    return s !== 0 && !seqNewer(sourceSeq, s);
  }

  setParams(i: number, params: ArrayLike<number>): void {
    const row = this.params[i]!;
    const n = Math.min(params.length, PRICER_PARAMS);
    for (let k = 0; k < n; k++) row[k] = params[k]!;
    row.fill(0, n);
    this.reprice(i);
  }

  setPosition(i: number, position: number): void {
    this.positions[i] = position;
    this.reprice(i);
  }

  isQuotable(_i: number): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private reprice(i: number): void {
    if (this.rings[i]!.latestSeq() !== 0) this.priceNow(i);
  }

  private priceNow(i: number): void {
    const tick = this.tick;
    const got = this.rings[i]!.readLatest(tick);
    if (got <= 0) return;
    this.lastPriced[i] = got;
    const out = this.outs[i]!;
    out.clear();
    const stamps = out.stamps;
    stamps[QS_RECV_NS] = tick[F_RECV_NS]!;
    if (this.timeMask !== -1 && (this.timed++ & this.timeMask) === 0) {
      const t0 = performance.now();
      this.price(tick, this.positions[i]!, this.params[i]!, out);
      stamps[QS_PRICING_NS] = (performance.now() - t0) * 1e6;
    } else {
      this.price(tick, this.positions[i]!, this.params[i]!, out);
      stamps[QS_PRICING_NS] = NaN;
    }
    const status = out.bidCount + out.askCount === 0 ? QUOTE_STATUS_EMPTY : QUOTE_STATUS_OK;
    this.slots.write(i, got, status, out);
  }
}

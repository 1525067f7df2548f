/**
 * Quote slots over a SharedArrayBuffer: one slot per instrument, one writer per slot set (a
 * pricing worker, or the inline pricer on the main thread), read by the main thread. The layout
 * and seqlock invariant are in `quote-layout.ts`. Latest wins: a slot keeps only the newest quote.
 * No method allocates.
 */
import {
  MAX_LEVELS,
  QF_ASK_COUNT,
  QF_ASKS,
  QF_BID_COUNT,
  QF_BIDS,
  QF_PRICING_NS,
  QF_RECV_NS,
  QF_SOURCE_SEQ,
  QF_STATUS,
  QF_WRITE_SEQ,
  Q_SEQ,
  Q_SOURCE_SEQ,
  QUOTE_FIELDS,
  QUOTE_HEADER_STRIDE,
  quoteBodyOffsetBytes,
  quoteSlotsBytes,
} from './quote-layout.js';
import { RingLayoutError } from './errors.js';

/** Indices of `QuoteLevels.stamps`. */
export const QS_RECV_NS = 0;
export const QS_PRICING_NS = 1;

/**
 * The writer's view of one priced quote (the pricer's output buffer satisfies it). The two
 * timestamps travel in a Float64Array, not as arguments: a double passed to a call V8 does not
 * inline is boxed into a fresh HeapNumber, which on this path would mean one allocation per quote.
 */
export interface QuoteLevels {
  /** [QS_RECV_NS] recv time of the source tick; [QS_PRICING_NS] pricing time (NaN = not measured). */
  readonly stamps: Float64Array;
  readonly bidPrices: Float64Array;
  readonly bidAmounts: Float64Array;
  readonly askPrices: Float64Array;
  readonly askAmounts: Float64Array;
  bidCount: number;
  askCount: number;
}

/** `read` result when the writer kept the slot busy for every bounded attempt. */
export const QUOTE_CONTENDED = -1;
const kMaxQuoteReadAttempts = 64;
const kLastStableSeq = 0x7ffffffe;

export class QuoteSlots {
  readonly sab: SharedArrayBuffer;
  readonly count: number;
  private readonly h: Int32Array;
  private readonly f: Float64Array;

  /** Attach to `count` slots laid out in `sab` (see `QuoteSlots.create`). */
  constructor(sab: SharedArrayBuffer, count: number) {
    if (!Number.isInteger(count) || count <= 0) throw new RingLayoutError(`quote slot count ${count} must be positive`);
    if (sab.byteLength < quoteSlotsBytes(count)) {
      throw new RingLayoutError(`buffer of ${sab.byteLength} B too small for ${count} quote slots`);
    }
    this.sab = sab;
    this.count = count;
    this.h = new Int32Array(sab, 0, count * QUOTE_HEADER_STRIDE);
    this.f = new Float64Array(sab, quoteBodyOffsetBytes(count), count * QUOTE_FIELDS);
  }

  static create(count: number): QuoteSlots {
    return new QuoteSlots(new SharedArrayBuffer(quoteSlotsBytes(Math.max(1, count))), count);
  }

  // ---- writer side (single writer per slot) ----

  /** Publish a quote into slot `i`; returns the new (even) slot sequence. No allocation. */
  write(i: number, sourceSeq: number, status: number, q: QuoteLevels): number {
    const h = this.h;
    const hi = i * QUOTE_HEADER_STRIDE;
    const v = Atomics.load(h, hi + Q_SEQ); // single writer: nobody else moves it
    const stable = v >= kLastStableSeq ? 2 : v + 2;
    Atomics.exchange(h, hi + Q_SEQ, stable - 1); // odd; RMW fences it before the body stores
    const f = this.f;
    const base = i * QUOTE_FIELDS;
    const nb = q.bidCount < MAX_LEVELS ? q.bidCount : MAX_LEVELS;
    const na = q.askCount < MAX_LEVELS ? q.askCount : MAX_LEVELS;
    f[base + QF_SOURCE_SEQ] = sourceSeq;
    f[base + QF_RECV_NS] = q.stamps[QS_RECV_NS]!;
    f[base + QF_PRICING_NS] = q.stamps[QS_PRICING_NS]!;
    f[base + QF_STATUS] = status;
    f[base + QF_BID_COUNT] = nb;
    f[base + QF_ASK_COUNT] = na;
    const bp = q.bidPrices;
    const ba = q.bidAmounts;
    for (let k = 0, o = base + QF_BIDS; k < nb; k++, o += 2) {
      f[o] = bp[k]!;
      f[o + 1] = ba[k]!;
    }
    const ap = q.askPrices;
    const aa = q.askAmounts;
    for (let k = 0, o = base + QF_ASKS; k < na; k++, o += 2) {
      f[o] = ap[k]!;
      f[o + 1] = aa[k]!;
    }
    Atomics.store(h, hi + Q_SEQ, stable);
    Atomics.store(h, hi + Q_SOURCE_SEQ, sourceSeq);
    return stable;
  }

  // ---- reader side ----

  /**
   * Copy slot `i` into `out` (length ≥ QUOTE_FIELDS, QF_ constants) if it holds a stable quote
   * whose slot sequence differs from `lastWriteSeq`; returns that sequence (also in
   * out[QF_WRITE_SEQ]). Returns 0 if the slot was never written or nothing is new (out
   * untouched), QUOTE_CONTENDED if the writer kept it busy for every bounded attempt. Never torn.
   */
  read(i: number, out: Float64Array, lastWriteSeq: number): number {
    const h = this.h;
    const hi = i * QUOTE_HEADER_STRIDE + Q_SEQ;
    const f = this.f;
    const base = i * QUOTE_FIELDS;
    for (let attempt = 0; attempt < kMaxQuoteReadAttempts; attempt++) {
      const a = Atomics.load(h, hi);
      if (a === 0 || a === lastWriteSeq) return 0;
      if ((a & 1) === 1) continue; // being written: a quote write is ~50 stores, retry
      const nb = f[base + QF_BID_COUNT]!;
      const na = f[base + QF_ASK_COUNT]!;
      for (let k = 0; k < QF_BIDS; k++) out[k] = f[base + k]!;
      // Copy only the levels in use (bounded so a torn count cannot overrun `out`).
      const nbc = nb >= 0 && nb <= MAX_LEVELS ? nb * 2 : 0;
      const nac = na >= 0 && na <= MAX_LEVELS ? na * 2 : 0;
      for (let k = 0; k < nbc; k++) out[QF_BIDS + k] = f[base + QF_BIDS + k]!;
      for (let k = 0; k < nac; k++) out[QF_ASKS + k] = f[base + QF_ASKS + k]!;
      if (Atomics.load(h, hi) === a) {
        out[QF_WRITE_SEQ] = a;
        return a;
      }
    }
    return QUOTE_CONTENDED;
  }

  /** Ticker seq of the newest stable quote in slot `i` (0 = none). One atomic load. */
  sourceSeq(i: number): number {
    return Atomics.load(this.h, i * QUOTE_HEADER_STRIDE + Q_SOURCE_SEQ);
  }

  /** Current slot sequence of slot `i` (0 = never written, odd = being written). */
  writeSeq(i: number): number {
    return Atomics.load(this.h, i * QUOTE_HEADER_STRIDE + Q_SEQ);
  }
}

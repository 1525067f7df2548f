/**
 * One instrument's ticker ring over a SharedArrayBuffer: a single writer (the main thread, or the
 * native decoder following the same layout) and any number of readers (pricing workers, the
 * inline pricer). The layout and the seqlock invariant are in `layout.ts`; this file implements
 * them without allocating per call.
 *
 * Sequences are positive Int32s 1 … 2^31-1 that restart at 1 (0 = none yet; see `seq.ts`). At
 * 1000 ticks/s on one instrument the wrap comes after ~25 days; compare with `seqNewer`, not `>`.
 *
 * Memory ordering:
 *   writer: F_SEQ_BEGIN = s; fence; fields; fence; F_SEQ_END = s; Atomics.store(H_SEQ, s)
 *   reader: s = Atomics.load(H_SEQ); e = F_SEQ_END; barrier; fields; barrier; b = F_SEQ_BEGIN;
 *           accept iff b == e == s, else retry with the newer H_SEQ (bounded).
 * A writer lapping the reader (writing s + slots during the copy) changes F_SEQ_BEGIN before any
 * field, so the reader sees b != s. The fences are Atomics RMW/loads on the Int32 header: JS has no
 * standalone fence, and V8 never moves plain typed-array accesses across an Atomics op. On x86-64
 * (TSO: stores stay in order, loads stay in order) that is sufficient; on weakly ordered CPUs the
 * writer side is still fenced by the RMWs but the reader side relies on acquire loads only, which
 * is weaker than a full load-load fence. The stress test in test/rings checks it on the target.
 */
import {
  DEFAULT_RING_SLOTS,
  F_SEQ_BEGIN,
  F_SEQ_END,
  F_BEST_BID_PRICE,
  F_BEST_BID_AMOUNT,
  F_BEST_ASK_PRICE,
  F_BEST_ASK_AMOUNT,
  F_MARK_PRICE,
  F_INDEX,
  F_MARK_TIMESTAMP,
  F_COLLAR_LOW,
  F_COLLAR_HIGH,
  F_RECV_NS,
  F_IV,
  F_DELTA,
  F_FORWARD,
  H_SEQ,
  H_SLOTS,
  H_WRITING,
  HEADER_INTS,
  SLOTS_OFFSET_BYTES,
  TICK_FIELDS,
  ringBytes,
} from './layout.js';
import { RingLayoutError } from './errors.js';
import { nextSeq } from './seq.js';

/**
 * A reader gives up after this many consecutive torn reads and returns READ_CONTENDED. Each retry
 * follows a newer H_SEQ, so failing needs the writer to lap the whole ring 64 times during 64
 * copies of TICK_FIELDS doubles; it is a safety bound, not an expected path.
 */
export const kMaxReadAttempts = 64;
/** `readLatest` result when every bounded attempt was torn (caller retries later). */
export const READ_CONTENDED = -1;

export class TickerRing {
  readonly sab: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly slots: number;
  private readonly header: Int32Array;
  private readonly f: Float64Array;
  private readonly mask: number;
  /** Writer-side copy of H_SEQ (single writer: only the publishing thread uses it). */
  private seq: number;

  /**
   * Attach to a ring already laid out in `sab` at `byteOffset` (8-byte aligned): reads H_SLOTS.
   * Use `TickerRing.create` to make a new one.
   */
  constructor(sab: SharedArrayBuffer, byteOffset = 0) {
    if (byteOffset % 8 !== 0) throw new RingLayoutError(`ring byteOffset ${byteOffset} is not 8-byte aligned`);
    if (sab.byteLength < byteOffset + SLOTS_OFFSET_BYTES) throw new RingLayoutError('buffer too small for a ring header');
    const header = new Int32Array(sab, byteOffset, HEADER_INTS);
    const slots = Atomics.load(header, H_SLOTS);
    if (slots <= 0 || (slots & (slots - 1)) !== 0) {
      throw new RingLayoutError(`ring H_SLOTS = ${slots} is not a power of two`);
    }
    if (sab.byteLength < byteOffset + ringBytes(slots)) {
      throw new RingLayoutError(`buffer of ${sab.byteLength} B too small for a ${slots}-slot ring at ${byteOffset}`);
    }
    this.sab = sab;
    this.byteOffset = byteOffset;
    this.slots = slots;
    this.header = header;
    this.f = new Float64Array(sab, byteOffset + SLOTS_OFFSET_BYTES, slots * TICK_FIELDS);
    this.mask = slots - 1;
    this.seq = Atomics.load(header, H_SEQ);
  }

  /** Lay out a new ring (in a new SharedArrayBuffer unless one is given) and attach to it. */
  static create(slots: number = DEFAULT_RING_SLOTS, sab?: SharedArrayBuffer, byteOffset = 0): TickerRing {
    if (!Number.isInteger(slots) || slots <= 0 || (slots & (slots - 1)) !== 0) {
      throw new RingLayoutError(`ring slots ${slots} must be a positive power of two`);
    }
    const buf = sab ?? new SharedArrayBuffer(ringBytes(slots));
    if (buf.byteLength < byteOffset + ringBytes(slots)) throw new RingLayoutError('buffer too small for the ring');
    const header = new Int32Array(buf, byteOffset, HEADER_INTS);
    Atomics.store(header, H_SEQ, 0);
    Atomics.store(header, H_WRITING, 0);
    Atomics.store(header, H_SLOTS, slots);
    return new TickerRing(buf, byteOffset);
  }

  /**
   * Write one tick and make it visible; returns its sequence. Single writer only. Missing prices
   * are NaN. Convenience form: V8 boxes each non-integer double passed to a call it does not
   * inline (a HeapNumber per argument), so hot paths use `publishFrom` with a staging array.
   */
  publish(
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
    iv = Number.NaN,
    delta = Number.NaN,
    forward = Number.NaN,
  ): number {
    const s = nextSeq(this.seq);
    this.seq = s;
    const f = this.f;
    const h = this.header;
    const base = ((s - 1) & this.mask) * TICK_FIELDS;
    f[base + F_SEQ_BEGIN] = s;
    // RMW = full fence (x86 xchg): F_SEQ_BEGIN is visible before any field of the new tick.
    Atomics.exchange(h, H_WRITING, s);
    f[base + F_BEST_BID_PRICE] = bidPrice;
    f[base + F_BEST_BID_AMOUNT] = bidAmount;
    f[base + F_BEST_ASK_PRICE] = askPrice;
    f[base + F_BEST_ASK_AMOUNT] = askAmount;
    f[base + F_MARK_PRICE] = mark;
    f[base + F_INDEX] = index;
    f[base + F_MARK_TIMESTAMP] = markTs;
    f[base + F_COLLAR_LOW] = collarLow;
    f[base + F_COLLAR_HIGH] = collarHigh;
    f[base + F_RECV_NS] = recvNs;
    f[base + F_IV] = iv;
    f[base + F_DELTA] = delta;
    f[base + F_FORWARD] = forward;
    // Fields before F_SEQ_END.
    Atomics.exchange(h, H_WRITING, s);
    f[base + F_SEQ_END] = s;
    Atomics.store(h, H_SEQ, s);
    return s;
  }

  /**
   * Write the tick staged in `src` (indexed by the F_ constants; F_SEQ_BEGIN/F_SEQ_END ignored)
   * and make it visible; returns its sequence. Single writer only. No allocation.
   */
  publishFrom(src: Float64Array): number {
    const s = nextSeq(this.seq);
    this.seq = s;
    const f = this.f;
    const h = this.header;
    const base = ((s - 1) & this.mask) * TICK_FIELDS;
    f[base + F_SEQ_BEGIN] = s;
    Atomics.exchange(h, H_WRITING, s); // F_SEQ_BEGIN before the fields
    for (let k = 1; k < F_SEQ_END; k++) f[base + k] = src[k]!;
    Atomics.exchange(h, H_WRITING, s); // the fields before F_SEQ_END
    f[base + F_SEQ_END] = s;
    Atomics.store(h, H_SEQ, s);
    return s;
  }

  /**
   * Copy the newest whole tick into `out` (length ≥ TICK_FIELDS, indexed by the F_ constants) and
   * return its sequence; 0 if nothing was published yet, READ_CONTENDED if every bounded attempt
   * was torn (`out` is then unspecified). Never returns a torn tick. No allocation.
   */
  readLatest(out: Float64Array): number {
    const h = this.header;
    const f = this.f;
    const mask = this.mask;
    for (let attempt = 0; attempt < kMaxReadAttempts; attempt++) {
      const s = Atomics.load(h, H_SEQ);
      if (s === 0) return 0;
      const base = ((s - 1) & mask) * TICK_FIELDS;
      const end = f[base + F_SEQ_END];
      Atomics.load(h, H_SLOTS); // barrier: F_SEQ_END before the fields
      for (let k = 1; k < F_SEQ_END; k++) out[k] = f[base + k];
      Atomics.load(h, H_SLOTS); // barrier: the fields before F_SEQ_BEGIN
      const begin = f[base + F_SEQ_BEGIN];
      if (begin === s && end === s) {
        out[F_SEQ_BEGIN] = s;
        out[F_SEQ_END] = s;
        return s;
      }
    }
    return READ_CONTENDED;
  }

  /** Sequence of the last fully published tick (0 = none yet). One atomic load. */
  latestSeq(): number {
    return Atomics.load(this.header, H_SEQ);
  }

  /** The Int32 header view, for `Atomics.wait` on H_SEQ by readers that sleep on one ring. */
  get headerView(): Int32Array {
    return this.header;
  }
}

/**
 * The SharedArrayBuffer layout of one instrument's ticker ring. Imported by both thread sides
 * (main-thread decoder/publisher, pricing workers) and mirrored in native/src/layout.h.
 *
 * A ring is an Int32Array header followed by `slots` Float64 slots of TICK_FIELDS each.
 *
 *   header (Int32, HEADER_INTS):
 *     [H_SEQ]    sequence of the last fully published tick (0 = none yet)
 *     [H_SLOTS]  number of slots (power of two)
 *   slot i (Float64 × TICK_FIELDS), the slot of sequence s is (s - 1) & (slots - 1):
 *     [F_SEQ_BEGIN] sequence being written; set before the fields
 *     fields …
 *     [F_SEQ_END]   same sequence, written after the fields
 *
 * Invariant (seqlock, single writer): the writer stores F_SEQ_BEGIN = s, the fields, then
 * F_SEQ_END = s, then Atomics.store(header, H_SEQ, s) and Atomics.notify. A reader takes
 * s = Atomics.load(header, H_SEQ), reads the slot, and accepts it only if F_SEQ_BEGIN ==
 * F_SEQ_END == s after the read; otherwise it retries with a newer s. Float64 stores are not
 * atomic across threads in JS, so the begin/end pair, not the header, proves the slot is whole;
 * the Atomics.store/load on the Int32 header orders the plain stores before it (JS memory model:
 * sequentially consistent atomics synchronize-with the plain accesses that precede them).
 * Missing prices (a null best bid, say) are NaN.
 */
export const HEADER_INTS = 4;
export const H_SEQ = 0;
export const H_SLOTS = 1;
/**
 * Added (optional for other writers): the sequence whose slot the JS writer is filling. The JS
 * writer stores it with Atomics.store right after F_SEQ_BEGIN, which doubles as the store barrier
 * between F_SEQ_BEGIN and the fields. Readers do not rely on it; the native writer may leave it 0.
 */
export const H_WRITING = 2;

export const F_SEQ_BEGIN = 0;
export const F_BEST_BID_PRICE = 1;
export const F_BEST_BID_AMOUNT = 2;
export const F_BEST_ASK_PRICE = 3;
export const F_BEST_ASK_AMOUNT = 4;
export const F_MARK_PRICE = 5;
export const F_INDEX = 6;
export const F_MARK_TIMESTAMP = 7;
export const F_COLLAR_LOW = 8;
export const F_COLLAR_HIGH = 9;
/** Local receive time of the ticker frame, ns from process.hrtime.bigint() origin, as a double. */
export const F_RECV_NS = 10;
/**
 * Option fields (spec Ticker: `iv` "Implied volatility calculated at time of marking. Only
 * included for options", `delta` "Delta calculated at time of marking", `forward` "Forward price
 * at time of marking. Only included for options"). NaN until a ticker carries them, so a perpetual
 * leaves iv and forward NaN. iv is a fraction (0.55 = 55 %; INFERRED: the spec gives no unit).
 * Appended after F_RECV_NS so that the older indices, which custom pricers use, keep their meaning.
 */
export const F_IV = 11;
export const F_DELTA = 12;
export const F_FORWARD = 13;
export const F_SEQ_END = 14;
export const TICK_FIELDS = 15;

export const DEFAULT_RING_SLOTS = 8;

/** Bytes of a ring with `slots` slots. Header padded to 8 bytes so the Float64 part aligns. */
export function ringBytes(slots: number): number {
  return HEADER_INTS * 4 + slots * TICK_FIELDS * 8;
}
export const SLOTS_OFFSET_BYTES = HEADER_INTS * 4;

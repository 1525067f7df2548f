/**
 * The SharedArrayBuffer layout of a set of quote slots (one slot per instrument), written by ONE
 * pricing worker (or the inline pricer) and read by the main thread. Imported by both sides.
 *
 *   Int32 header, QUOTE_HEADER_STRIDE ints (one 64-byte cache line) per slot:
 *     [Q_SEQ]        seqlock counter: 0 = never written, odd = being written, even = stable.
 *     [Q_SOURCE_SEQ] ticker-ring seq the newest stable quote was priced from (stored after Q_SEQ
 *                    turns even), so the main thread can spin on one Int32 for "my tick is priced".
 *   Float64 body, QUOTE_FIELDS doubles per slot, at QUOTE_BODY_OFFSET_BYTES:
 *     QF_SOURCE_SEQ, QF_RECV_NS (recv time of that tick), QF_PRICING_NS, QF_STATUS,
 *     QF_BID_COUNT, QF_ASK_COUNT, then MAX_LEVELS bid (price, amount) pairs at QF_BIDS and
 *     MAX_LEVELS ask pairs at QF_ASKS (best first).
 *
 * Invariant (seqlock, single writer per slot; "latest wins": a slot holds only the newest quote):
 *   writer: v = Q_SEQ; Atomics.exchange(Q_SEQ, v + 1) (odd; RMW = fence); body fields;
 *           Atomics.store(Q_SEQ, v + 2) (even); Atomics.store(Q_SOURCE_SEQ, source seq).
 *   reader: a = Atomics.load(Q_SEQ); if a is 0 or odd, not readable now; copy the body;
 *           b = Atomics.load(Q_SEQ); accept iff a == b. "New since I last read" = a differs from
 *           the a of the last accepted read.
 * Even values run 2, 4, … 0x7ffffffe and then restart at 2.
 */
export const QUOTE_HEADER_STRIDE = 16;
export const Q_SEQ = 0;
export const Q_SOURCE_SEQ = 1;

export const MAX_LEVELS = 10;

export const QF_SOURCE_SEQ = 0;
export const QF_RECV_NS = 1;
export const QF_PRICING_NS = 2;
export const QF_STATUS = 3;
export const QF_BID_COUNT = 4;
export const QF_ASK_COUNT = 5;
/** Filled by the reader: the Q_SEQ value of the copy (not stored in shared memory). */
export const QF_WRITE_SEQ = 6;
export const QF_BIDS = 8;
export const QF_ASKS = QF_BIDS + 2 * MAX_LEVELS;
export const QUOTE_FIELDS = QF_ASKS + 2 * MAX_LEVELS; // 48 doubles = 6 cache lines

/** QF_STATUS values. */
export const QUOTE_STATUS_OK = 0;
/** The pricer produced no level on either side (no usable price): pull the quote. */
export const QUOTE_STATUS_EMPTY = 1;

export function quoteSlotsBytes(slots: number): number {
  return slots * QUOTE_HEADER_STRIDE * 4 + slots * QUOTE_FIELDS * 8;
}
export function quoteBodyOffsetBytes(slots: number): number {
  return slots * QUOTE_HEADER_STRIDE * 4;
}

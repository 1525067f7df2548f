/**
 * Sequence arithmetic shared by rings and quote slots. Sequences are positive Int32s that run
 * 1 … SEQ_MAX and then restart at 1; 0 always means "nothing yet".
 */
export const SEQ_MAX = 0x7fffffff;
const HALF = 0x40000000;

/** The sequence after `s` (skips 0 on wrap). */
export function nextSeq(s: number): number {
  return s >= SEQ_MAX ? 1 : s + 1;
}

/** True if `a` is newer than `b` (serial-number comparison, tolerant of one wrap). 0 is oldest. */
export function seqNewer(a: number, b: number): boolean {
  if (b === 0) return a !== 0;
  if (a === 0) return false;
  return a > b ? a - b < HALF : b - a > HALF;
}

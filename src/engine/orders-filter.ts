import { indexOf, startsWith } from '../codec/byte-scan.js';

/**
 * Does an order-update frame carry anything the engine acts on? Each requote makes the venue
 * report our new orders (`change_reason: insert`) and the ones they replaced (`delete_reason:
 * replaced`); the engine ignores both, and parsing them was its largest source of garbage. A
 * frame needs parsing when it holds a fill (a non-empty `fills` array) or a deletion for any other
 * reason (filled, mm_protection, session_end, immediate_cancel, …). Byte scan, no allocation.
 *
 * It may skip a frame only when it can tell: every `"fills"` is followed by exactly `:[]` and
 * every `"delete_reason"` by exactly `:"replaced"`, as the venue's compact JSON spells them.
 * Any other spelling (a space, a non-empty or non-list `fills`) makes it parse the frame, so that
 * a fill is never missed and anything malformed is reported.
 */
const FILLS = Buffer.from('"fills"', 'latin1');
const NO_FILLS = Buffer.from(':[]', 'latin1');
const DELETE = Buffer.from('"delete_reason"', 'latin1');
const REPLACED = Buffer.from(':"replaced"', 'latin1');
/** The compact shape the venue sends: anything else is parsed (and reported if malformed). */
const LIST_START = Buffer.from('"notification":[', 'latin1');

export function ordersFrameMatters(data: Uint8Array, start: number, end: number): boolean {
  if (indexOf(data, LIST_START, start, end) < 0) return true;
  return anyOtherThan(data, FILLS, NO_FILLS, start, end) || anyOtherThan(data, DELETE, REPLACED, start, end);
}

/** Is some `key` in `data[start, end)` not followed by `value`? */
function anyOtherThan(data: Uint8Array, key: Uint8Array, value: Uint8Array, start: number, end: number): boolean {
  let p = indexOf(data, key, start, end);
  while (p >= 0) {
    const v = p + key.length;
    if (!startsWith(data, value, v, end)) return true;
    p = indexOf(data, key, v, end);
  }
  return false;
}

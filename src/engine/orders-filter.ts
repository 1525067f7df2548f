import { indexOf, startsWith } from '../codec/byte-scan.js';

/**
 * Does an order-update frame carry anything the engine acts on? Each requote makes the venue
 * report our new orders (`change_reason: insert`) and the ones they replaced (`delete_reason:
 * replaced`); the engine ignores both, and parsing them was its largest source of garbage. A
 * frame needs parsing when it holds a fill (a non-empty `fills` array) or a deletion for any other
 * reason (filled, mm_protection, session_end, immediate_cancel, …). Byte scan, no allocation.
 */
const FILLS = Buffer.from('"fills":[{', 'latin1');
const DELETE = Buffer.from('"delete_reason":"', 'latin1');
const REPLACED = Buffer.from('replaced"', 'latin1');
/** The compact shape the venue sends: anything else is parsed (and reported if malformed). */
const LIST_START = Buffer.from('"notification":[', 'latin1');

export function ordersFrameMatters(data: Uint8Array, start: number, end: number): boolean {
  if (indexOf(data, LIST_START, start, end) < 0) return true;
  if (indexOf(data, FILLS, start, end) >= 0) return true;
  let p = indexOf(data, DELETE, start, end);
  while (p >= 0) {
    const v = p + DELETE.length;
    if (!startsWith(data, REPLACED, v, end)) return true;
    p = indexOf(data, DELETE, v, end);
  }
  return false;
}

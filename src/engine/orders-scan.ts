/**
 * One pass over a `session.orders` frame, without parsing it into objects: what the engine needs
 * from each order update (spec `schemas.OrderStatus`) is its instrument, its side, whether it is
 * gone (a `delete_reason`, or status filled / cancelled / cancelled_partially_filled) or partly
 * filled, and whether `mm_protection` deleted it. Every requote makes the venue report our new
 * orders (`change_reason: insert`) and the ones they replaced (`delete_reason: replaced`), and a
 * bulk cancel reports every order it deleted: these are the frames this pass handles.
 *
 * It hands a frame back to the JSON path (returns false, having changed nothing) whenever it
 * cannot be sure: a non-empty `fills` (a fill is never read by bytes), an escape in a key, a
 * nested object, an order without instrument or direction (the JSON path reports it), more
 * orders than it has room for, or anything not in the venue's compact shape.
 */
import { bytesEqual, skipWs, startsWith } from '../codec/byte-scan.js';
import { literalEnd, stringEnd } from '../codec/json-scan.js';
import { NameIndex } from '../codec/name-index.js';

/** The venue's compact frame: exactly this head, the list, `}`. Any other shape goes to JSON. */
const HEAD = Buffer.from('{"channel_name":"session.orders","notification":[', 'latin1');
const MAX_ORDERS = 512;

const QUOTE = 0x22;

/** Keys read, told apart by length and a byte or two (checked in full below). */
const K_INSTRUMENT = Buffer.from('instrument_name', 'latin1');
const K_DIRECTION = Buffer.from('direction', 'latin1');
const K_STATUS = Buffer.from('status', 'latin1');
const K_DELETE = Buffer.from('delete_reason', 'latin1');
const K_FILLS = Buffer.from('fills', 'latin1');
const V_REPLACED = Buffer.from('replaced', 'latin1');
const V_MM = Buffer.from('mm_protection', 'latin1');
const V_BUY = Buffer.from('buy', 'latin1');
const V_SELL = Buffer.from('sell', 'latin1');
const V_FILLED = Buffer.from('filled', 'latin1');
const V_CANCELLED = Buffer.from('cancelled', 'latin1');
const V_CANCELLED_PF = Buffer.from('cancelled_partially_filled', 'latin1');
const V_PARTIAL = Buffer.from('partially_filled', 'latin1');

/** Flags of one scanned order. */
export const O_GONE = 1;
export const O_PARTIAL = 2;
export const O_BY_PROTECTION = 4;
export const O_REPLACED = 8;

/** Where a scanned order goes: instrument index (−1 unknown), side 0 bid / 1 ask, O_* flags. */
export interface OrdersScanSink {
  onScannedOrder(instrument: number, side: number, flags: number, nowMs: number): void;
}

export class OrdersScanner {
  readonly #names: NameIndex;
  readonly #inst = new Int32Array(MAX_ORDERS);
  readonly #side = new Uint8Array(MAX_ORDERS);
  readonly #flags = new Uint8Array(MAX_ORDERS);

  constructor(instruments: readonly string[]) {
    this.#names = new NameIndex(instruments);
  }

  #instrument(d: Uint8Array, s: number, e: number): number {
    return this.#names.find(d, s, e);
  }

  /** Handles the frame in `d[start, end)` and returns true, or returns false having done nothing. */
  scan(d: Uint8Array, start: number, end: number, sink: OrdersScanSink, nowMs: number): boolean {
    if (!startsWith(d, HEAD, start, end)) return false;
    let p = skipWs(d, start + HEAD.length, end);
    let n = 0;
    for (;;) {
      if (n === 0 && d[p] === 0x5d) break; // an empty list
      if (d[p] !== 0x7b || n === MAX_ORDERS) return false;
      p = this.#order(d, p + 1, end, n);
      if (p < 0) return false;
      n++;
      p = skipWs(d, p, end);
      if (d[p] === 0x2c) {
        p = skipWs(d, p + 1, end);
        continue;
      }
      if (d[p] === 0x5d) break;
      return false;
    }
    // After the list: `}` and nothing else but whitespace.
    p = skipWs(d, p + 1, end);
    if (d[p] !== 0x7d || skipWs(d, p + 1, end) !== end) return false;
    for (let k = 0; k < n; k++) sink.onScannedOrder(this.#inst[k]!, this.#side[k]!, this.#flags[k]!, nowMs);
    return true;
  }

  /** Reads one order object after its `{`; returns the index after its `}`, or −1 (JSON path). */
  #order(d: Uint8Array, p: number, end: number, n: number): number {
    let inst = -2;
    let side = -1;
    // As JSON.parse, the last of a repeated key wins: each key's reading is assigned, not added.
    let del = 0;
    let status = 0;
    p = skipWs(d, p, end);
    if (d[p] === 0x7d) return -1; // an empty order: the JSON path reports it
    for (;;) {
      if (d[p] !== QUOTE) return -1;
      const ks = p + 1;
      const ke = stringEnd(d, p, end);
      if (ke < 0) return -1;
      p = skipWs(d, ke + 1, end);
      if (d[p] !== 0x3a) return -1;
      p = skipWs(d, p + 1, end);
      const c = d[p];
      if (c === QUOTE) {
        const vs = p + 1;
        const ve = stringEnd(d, p, end);
        if (ve < 0) return -1;
        p = ve + 1;
        if (bytesEqual(d, ks, ke, K_INSTRUMENT)) inst = this.#instrument(d, vs, ve);
        else if (bytesEqual(d, ks, ke, K_DIRECTION)) side = bytesEqual(d, vs, ve, V_BUY) ? 0 : bytesEqual(d, vs, ve, V_SELL) ? 1 : -1;
        else if (bytesEqual(d, ks, ke, K_DELETE)) del = bytesEqual(d, vs, ve, V_REPLACED) ? O_REPLACED : bytesEqual(d, vs, ve, V_MM) ? O_GONE | O_BY_PROTECTION : O_GONE;
        else if (bytesEqual(d, ks, ke, K_STATUS)) status = bytesEqual(d, vs, ve, V_FILLED) || bytesEqual(d, vs, ve, V_CANCELLED) || bytesEqual(d, vs, ve, V_CANCELLED_PF) ? O_GONE : bytesEqual(d, vs, ve, V_PARTIAL) ? O_PARTIAL : 0;
        else if (bytesEqual(d, ks, ke, K_FILLS)) return -1; // `fills` must be a list: the JSON path reports it
      } else if (c === 0x5b) {
        // Only an empty `fills` (or another empty list) is read here; a fill goes to JSON.
        const q = skipWs(d, p + 1, end);
        if (d[q] !== 0x5d) return -1;
        p = q + 1;
      } else if (c === 0x7b) {
        return -1;
      } else {
        // A number, true, false or null, up to the next `,` or `}`: none of the keys read here.
        if (bytesEqual(d, ks, ke, K_FILLS) || bytesEqual(d, ks, ke, K_INSTRUMENT) || bytesEqual(d, ks, ke, K_DIRECTION)) return -1;
        if (bytesEqual(d, ks, ke, K_DELETE)) del = O_GONE; // JSON: any delete_reason but "replaced" deletes
        else if (bytesEqual(d, ks, ke, K_STATUS)) status = 0;
        p = literalEnd(d, p, end);
        if (p < 0) return -1;
      }
      p = skipWs(d, p, end);
      if (d[p] === 0x2c) {
        p = skipWs(d, p + 1, end);
        continue;
      }
      if (d[p] === 0x7d) break;
      return -1;
    }
    // Without a known-or-unknown instrument name and a side, the JSON path reports the order.
    if (inst === -2 || side < 0) return -1;
    this.#inst[n] = inst;
    this.#side[n] = side;
    this.#flags[n] = del | status;
    return p + 1;
  }
}

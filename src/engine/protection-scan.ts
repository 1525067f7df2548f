/**
 * One pass over a `session.mm_protection` frame, without parsing it into objects. Each line is
 * `{product, remaining_amount, reason}` (spec `SessionMmProtectionPayloadInner`); a cancel-all's
 * notice lists every product, 100 lines for 100 products, and JSON.parse of that frame alone
 * cost ~24–34 µs, in front of the cancel's reply.
 *
 * It hands the frame back to the JSON path (returns false, having changed nothing) whenever it
 * cannot be sure: a product the engine does not quote, a reason not in the spec, a line without
 * all three fields, a number with an exponent or more than 15 digits, an escape, a nested value,
 * or anything not in the venue's compact shape.
 */
import { bytesEqual, skipWs, startsWith } from '../codec/byte-scan.js';
import { exactNumber, literalEnd, stringEnd } from '../codec/json-scan.js';
import { NameIndex } from '../codec/name-index.js';

const HEAD = Buffer.from('{"channel_name":"session.mm_protection","notification":[', 'latin1');
const MAX_LINES = 1024;
const QUOTE = 0x22;
const K_PRODUCT = Buffer.from('product', 'latin1');
const K_REMAINING = Buffer.from('remaining_amount', 'latin1');
const K_REASON = Buffer.from('reason', 'latin1');
/** The venue's own line, key by key (the simulator's and the spec's order): read without key dispatch. */
const C_PRODUCT = Buffer.from('"product":"', 'latin1');
const C_REMAINING = Buffer.from(',"remaining_amount":', 'latin1');
const C_REASON = Buffer.from(',"reason":"', 'latin1');

/** The spec's reasons (SessionMmProtectionPayloadInner.reason); a line's reason is an index into it. */
export const PROTECTION_REASONS = ['refill', 'executions', 'client_cancel', 'session_end', 'failover'] as const;

/** Where a scanned line goes: product index (into the scanner's list), amount, reason index. */
export interface ProtectionScanSink {
  onScannedProtection(product: number, remaining: number, reason: number, nowMs: number): void;
}

export class ProtectionScanner {
  readonly #products: NameIndex;
  readonly #reasons = new NameIndex(PROTECTION_REASONS);
  readonly #product = new Int32Array(MAX_LINES);
  readonly #remaining = new Float64Array(MAX_LINES);
  readonly #reason = new Uint8Array(MAX_LINES);

  constructor(products: readonly string[]) {
    this.#products = new NameIndex(products);
  }

  /** Handles the frame in `d[start, end)` and returns true, or returns false having done nothing. */
  scan(d: Uint8Array, start: number, end: number, sink: ProtectionScanSink, nowMs: number): boolean {
    if (!startsWith(d, HEAD, start, end)) return false;
    let p = skipWs(d, start + HEAD.length, end);
    let n = 0;
    for (;;) {
      if (n === 0 && d[p] === 0x5d) break; // an empty list
      if (d[p] !== 0x7b || n === MAX_LINES) return false;
      p = this.#line(d, p + 1, end, n);
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
    for (let k = 0; k < n; k++) sink.onScannedProtection(this.#product[k]!, this.#remaining[k]!, this.#reason[k]!, nowMs);
    return true;
  }

  /** Reads one line after its `{`; returns the index after its `}`, or −1 (JSON path). */
  #line(d: Uint8Array, p: number, end: number, n: number): number {
    const q = this.#compactLine(d, p, end, n);
    return q >= 0 ? q : this.#anyLine(d, p, end, n);
  }

  /** `"product":"…","remaining_amount":…,"reason":"…"}` exactly, or −1 (then #anyLine reads it). */
  #compactLine(d: Uint8Array, p: number, end: number, n: number): number {
    if (!startsWith(d, C_PRODUCT, p, end)) return -1;
    const ps = p + C_PRODUCT.length;
    const pe = stringEnd(d, ps - 1, end);
    if (pe < 0 || !startsWith(d, C_REMAINING, pe + 1, end)) return -1;
    const rs = pe + 1 + C_REMAINING.length;
    const re = literalEnd(d, rs, end);
    if (re < 0 || !startsWith(d, C_REASON, re, end)) return -1;
    const ws = re + C_REASON.length;
    const we = stringEnd(d, ws - 1, end);
    if (we < 0 || d[we + 1] !== 0x7d) return -1;
    const product = this.#products.find(d, ps, pe);
    const reason = this.#reasons.find(d, ws, we);
    const remaining = exactNumber(d, rs, re);
    if (product < 0 || reason < 0 || remaining !== remaining) return -1;
    this.#product[n] = product;
    this.#remaining[n] = remaining;
    this.#reason[n] = reason;
    return we + 2;
  }

  /** Any key order, other keys skipped. */
  #anyLine(d: Uint8Array, p: number, end: number, n: number): number {
    // As JSON.parse, the last of a repeated key wins.
    let product = -1;
    let remaining = Number.NaN;
    let reason = -1;
    p = skipWs(d, p, end);
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
        if (bytesEqual(d, ks, ke, K_PRODUCT)) product = this.#products.find(d, vs, ve);
        else if (bytesEqual(d, ks, ke, K_REASON)) reason = this.#reasons.find(d, vs, ve);
        else if (bytesEqual(d, ks, ke, K_REMAINING)) return -1;
      } else if (c === 0x7b || c === 0x5b) {
        return -1;
      } else {
        const e = literalEnd(d, p, end);
        if (e < 0) return -1;
        if (bytesEqual(d, ks, ke, K_REMAINING)) remaining = exactNumber(d, p, e);
        else if (bytesEqual(d, ks, ke, K_PRODUCT) || bytesEqual(d, ks, ke, K_REASON)) return -1;
        p = e;
      }
      p = skipWs(d, p, end);
      if (d[p] === 0x2c) {
        p = skipWs(d, p + 1, end);
        continue;
      }
      if (d[p] === 0x7d) break;
      return -1;
    }
    // remaining !== remaining: absent, true/false/null, or not exact here.
    if (product < 0 || reason < 0 || remaining !== remaining) return -1;
    this.#product[n] = product;
    this.#remaining[n] = remaining;
    this.#reason[n] = reason;
    return p + 1;
  }
}

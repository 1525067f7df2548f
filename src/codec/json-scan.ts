/**
 * JSON token ends and values read straight from bytes, for the one-pass frame scanners
 * (engine/orders-scan.ts, engine/protection-scan.ts): no decoding, no allocation. Each answers −1
 * (or NaN) where it cannot be sure, and the caller then hands the frame to JSON.parse.
 */
import { startsWith } from './byte-scan.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const TRUE = Buffer.from('true', 'latin1');
const FALSE = Buffer.from('false', 'latin1');
const NULL = Buffer.from('null', 'latin1');
/** Powers of ten exact in a double (10^0 … 10^22). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Index of the closing quote of the JSON string whose opening quote is at `p`, or −1 when it has
 * an escape (its bytes would not be its value: the JSON path decodes it), a control character
 * (not JSON, RFC 8259 §7) or no end.
 */
export function stringEnd(d: Uint8Array, p: number, end: number): number {
  for (let q = p + 1; q < end; q++) {
    const c = d[q]!;
    if (c === QUOTE) return q;
    if (c === BACKSLASH || c < 0x20) return -1;
  }
  return -1;
}

const digits = (d: Uint8Array, p: number, end: number): number => {
  while (p < end && d[p]! >= 0x30 && d[p]! <= 0x39) p++;
  return p;
};

/** End of the number, true, false or null at `p` (RFC 8259 §3, §6), or −1 if it is none of them. */
export function literalEnd(d: Uint8Array, p: number, end: number): number {
  const c = d[p];
  if (c === 0x74) return startsWith(d, TRUE, p, end) ? p + 4 : -1;
  if (c === 0x66) return startsWith(d, FALSE, p, end) ? p + 5 : -1;
  if (c === 0x6e) return startsWith(d, NULL, p, end) ? p + 4 : -1;
  let q = p;
  if (d[q] === 0x2d) q++;
  if (d[q] === 0x30) q++;
  else {
    const e = digits(d, q, end);
    if (e === q || d[q] === 0x30) return -1;
    q = e;
  }
  if (d[q] === 0x2e) {
    const e = digits(d, q + 1, end);
    if (e === q + 1) return -1;
    q = e;
  }
  if (d[q] === 0x65 || d[q] === 0x45) {
    q++;
    if (d[q] === 0x2b || d[q] === 0x2d) q++;
    const e = digits(d, q, end);
    if (e === q) return -1;
    q = e;
  }
  return q;
}

/**
 * The value of the JSON number `d[s, e)` (already delimited by literalEnd) when it has no exponent
 * and at most 15 significant digits: an exact integer divided by an exact power of ten, one
 * correctly rounded operation, so the same double as JSON.parse's. NaN otherwise (the caller
 * parses the frame instead).
 */
export function exactNumber(d: Uint8Array, s: number, e: number): number {
  let p = s;
  const negative = d[p] === 0x2d;
  if (negative) p++;
  let m = 0;
  let n = 0;
  let frac = -1;
  for (; p < e; p++) {
    const c = d[p]!;
    if (c === 0x2e && frac < 0) {
      frac = 0;
      continue;
    }
    if (c < 0x30 || c > 0x39) return Number.NaN; // an exponent, or not a number
    m = m * 10 + (c - 0x30);
    if (m !== 0) n++;
    if (frac >= 0) frac++;
  }
  if (n > 15) return Number.NaN;
  const v = frac > 0 ? m / POW10[frac]! : m;
  return negative ? -v : v;
}

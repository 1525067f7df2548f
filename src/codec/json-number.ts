/**
 * JSON numbers with a fixed maximum of fraction digits, written as bytes. Integer digit arithmetic
 * on the scaled value (|x| × 10^d rounded, < 2^51), int32 operations wherever the value fits: a
 * Double-typed `%` or division per digit is what made a first version slow. No string, no
 * allocation. Larger scaled values take an exact slow path (toFixed below 1e21, BigInt above:
 * neither ever writes an exponent).
 */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
export const MAX_EXACT = 2 ** 53;
/**
 * Fast-path bound on |value| × 10^d. Below 2^51 the product's rounding error stays under 0.5, so a
 * value on the d-decimal grid (the nearest double to k / 10^d) scales back to exactly k; between
 * 2^51 and 2^53 it may not (35674341778576.59 × 100 = 3567434177857659.5), and the exact slow path
 * takes over.
 */
export const MAX_FAST = 2 ** 51;
const TWO31 = 2 ** 31;
/** Most bytes writeFixed writes for a value that takes the fast path: "-" + 16 digits + "." + "0.…". */
export const FAST_NUMBER_MAX_BYTES = 40;

/** "00" … "99" as byte pairs: two digits per division. */
const DIGITS2 = new Uint8Array(200);
for (let k = 0; k < 100; k++) {
  DIGITS2[2 * k] = 0x30 + Math.trunc(k / 10);
  DIGITS2[2 * k + 1] = 0x30 + (k % 10);
}

/** Decimal digits of a non-negative int32. */
function digitCount(x: number): number {
  if (x < 100_000) return x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : x < 10_000 ? 4 : 5;
  return x < 1_000_000 ? 6 : x < 10_000_000 ? 7 : x < 100_000_000 ? 8 : x < 1_000_000_000 ? 9 : 10;
}

/** Writes exactly `n` digits of the non-negative int32 `x` (zero-padded on the left) ending at pos + n. */
function writeDigits(buf: Uint8Array, pos: number, x: number, n: number): number {
  let k = pos + n;
  while (k - pos >= 2) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) << 1;
    buf[--k] = DIGITS2[r + 1]!;
    buf[--k] = DIGITS2[r]!;
    x = q;
  }
  if (k > pos) buf[--k] = 0x30 + x;
  return pos + n;
}

const ONE = new Float64Array(1);

/**
 * Writes `value` (finite: the caller checked) with at most `decimals` (0…22) fraction digits,
 * trailing zeros cut, never an exponent, `-0` (and anything that rounds to zero) as `0`; returns
 * the new position. Rounds half away from zero on the scaled magnitude.
 */
export function writeFixed(buf: Uint8Array, pos: number, value: number, decimals: number): number {
  ONE[0] = value;
  return writeFixedAt(buf, pos, ONE, 0, decimals);
}

/**
 * writeFixed of `src[at]`. The value stays in the typed array: a double passed as an argument to a
 * call V8 does not inline is boxed (a HeapNumber per call), an index is not.
 */
export function writeFixedAt(buf: Uint8Array, pos: number, src: Float64Array, at: number, decimals: number): number {
  const value = src[at]!;
  const neg = value < 0;
  const pow = POW10[decimals]!;
  const scaled = Math.round((neg ? -value : value) * pow);
  if (scaled === 0) {
    buf[pos] = 0x30;
    return pos + 1;
  }
  if (!(scaled < MAX_FAST)) return writeSlow(buf, pos, src, at, decimals);
  if (neg) buf[pos++] = 0x2d; // -
  let ip = decimals === 0 ? scaled : Math.floor(scaled / pow);
  let frac = scaled - ip * pow;
  if (frac < 0) {
    // The division rounded up across an integer: one step back (ip × pow is exact, < 2^53).
    ip -= 1;
    frac += pow;
  }
  if (ip < TWO31) {
    const x = ip | 0;
    pos = writeDigits(buf, pos, x, digitCount(x));
  } else {
    const hi = Math.floor(ip / 1e9) | 0; // < 2^53 / 1e9 < 2^31
    const lo = (ip - hi * 1e9) | 0;
    pos = writeDigits(buf, pos, hi, digitCount(hi));
    pos = writeDigits(buf, pos, lo, 9);
  }
  if (frac === 0) return pos;
  buf[pos++] = 0x2e; // .
  let d = decimals;
  if (decimals <= 9) {
    let f = frac | 0; // < 10^9 < 2^31
    for (;;) {
      const q = (f / 10) | 0;
      if (f - q * 10 !== 0) break;
      f = q;
      d--;
    }
    return writeDigits(buf, pos, f, d);
  }
  // More than 9 decimals (rare: no Thalex tick is that fine): the fraction may exceed int32.
  while (frac % 10 === 0) {
    frac /= 10;
    d--;
  }
  if (d > 9) {
    const hi = Math.floor(frac / 1e9) | 0;
    pos = writeDigits(buf, pos, hi, d - 9);
    return writeDigits(buf, pos, (frac - hi * 1e9) | 0, 9);
  }
  return writeDigits(buf, pos, frac | 0, d);
}

/** Exact for any finite double; cold path (|value| ≥ 2^51 / 10^decimals). */
function writeSlow(buf: Uint8Array, pos: number, src: Float64Array, at: number, decimals: number): number {
  const value = src[at]!;
  let s: string;
  if (Math.abs(value) < 1e21) {
    // toFixed is exact (the double's decimal expansion rounded to `decimals`) below 1e21.
    s = value.toFixed(decimals);
    if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  } else {
    // Every double ≥ 2^53 is an integer; toFixed would switch to exponent notation here.
    s = BigInt(value).toString();
  }
  if (s === '-0') s = '0';
  for (let k = 0; k < s.length; k++) buf[pos++] = s.charCodeAt(k);
  return pos;
}

/** Bytes writeFixed may need for `value` (an upper bound). */
export function fixedMaxBytes(value: number, decimals: number): number {
  return Math.abs(value) * POW10[decimals]! < MAX_FAST ? FAST_NUMBER_MAX_BYTES : 340;
}

/** Number of decimals that represent multiples of `step` exactly (0.001 → 3, 5 → 0, 0.5 → 1, 0.25 → 2). */
export function decimalsOf(step: number): number {
  for (let d = 0; d <= 12; d++) {
    const x = step * POW10[d]!;
    if (Math.abs(x - Math.round(x)) < 1e-9 * Math.max(1, x)) return d;
  }
  return 12;
}

/**
 * JSON numbers with a fixed maximum of fraction digits, written as bytes. Integer digit arithmetic
 * on the scaled value (|x| × 10^d rounded, < 2^51), int32 operations wherever the value fits: a
 * Double-typed `%` or division per digit is what made a first version slow. No string, no
 * allocation. Larger scaled values take an exact slow path (toFixed below 1e21, BigInt above:
 * neither ever writes an exponent). writeNumberView, the encoder's hot path, writes the same text
 * through a DataView, four digits per store.
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

/**
 * "0000" … "9999" as little-endian int32 words, for the encoder's DataView writes: four digit
 * bytes per store. A Uint8Array byte store costs about as much as a 4-byte DataView store (V8
 * checks and reloads the array for each), so fewer, wider stores make digits cheap. The tables
 * are module-private: V8 folds those into the code, but reloads an exported binding (and checks
 * it for TDZ) on every use.
 */
const W4 = new Int32Array(10_000);
/** k's digits without the padding, at the low end of the word (a leading digit group). */
const W4_LEAD = new Int32Array(10_000);
/** Number of digits of k (the width of W4_LEAD[k]). */
const N4 = new Uint8Array(10_000);
for (let k = 0; k < 10_000; k++) {
  W4[k] = (0x30 + ((k / 1000) | 0)) | ((0x30 + (((k / 100) | 0) % 10)) << 8) | ((0x30 + (((k / 10) | 0) % 10)) << 16) | ((0x30 + (k % 10)) << 24);
  N4[k] = k < 10 ? 1 : k < 100 ? 2 : k < 1000 ? 3 : 4;
  // `>>` keeps it int32: the top byte is an ASCII digit, its sign bit 0.
  W4_LEAD[k] = W4[k]! >> ((4 - N4[k]!) << 3);
}
/**
 * Short fractions, at d × 1024 + f for 1 ≤ d ≤ 3 and 0 < f < 10^d: `.` and f as d digits,
 * zero-padded, in one word, and how many of its bytes to keep (trailing zeros cut; the rest is
 * scratch).
 */
const FRAC_WORD = new Int32Array(4096);
const FRAC_LEN = new Uint8Array(4096);
for (let d = 1; d <= 3; d++) {
  for (let f = 1; f < 10 ** d; f++) {
    let tz = 0;
    while ((f / 10 ** tz) % 10 === 0) tz++;
    FRAC_WORD[d * 1024 + f] = ((W4[f]! >> ((4 - d) << 3)) << 8) | 0x2e;
    FRAC_LEN[d * 1024 + f] = 1 + d - tz;
  }
}
/**
 * 10^k as int32 for k ≤ 9; above, 2^31 - 1: larger than any fraction the fast path sees (scaled <
 * 2^31 - 1), so the carry test below stays false and the whole scaled value is the fraction.
 */
const UNIT = Int32Array.from({ length: 23 }, (_, k) => (k <= 9 ? 10 ** k : 0x7fff_ffff));
/** POW10, module-private (see W4). */
const SCALE = Float64Array.from(POW10);

/**
 * The encoder's number writer: writeFixedAt of `src[at]`, same text, through the DataView `v`
 * over `buf`. Fast path, int32 only: 0 < |x| × 10^d < 2^31 - 1 and an integer part < 10^8;
 * everything else goes to writeOther. Writes whole words: up to 3 bytes past the returned
 * position get scratch values, which the caller's next writes must overwrite.
 *
 * Inlined, a number costs about half what a call does, and the encoder calls this at two sites:
 * both fit V8's inlining budget (920 bytecodes per function, each candidate counted × 1.2) only
 * while its bytecode stays under ~418 bytes (406 now; `node --print-bytecode
 * --print-bytecode-filter=writeNumberView`). Hence plain operators rather than Math.floor/imul,
 * table lookups rather than branches, cold cases in separate functions.
 */
export function writeNumberView(v: DataView, buf: Uint8Array, p: number, src: Float64Array, at: number, d: number): number {
  const x = src[at]!;
  const mag = x < 0 ? -x : x;
  const scaled = Math.round(mag * SCALE[d]!);
  if (!(scaled < 0x7fff_ffff && scaled !== 0 && mag < 99_999_999)) return writeOther(v, buf, p, src, at, d);
  // ⌊|x|⌋ × 10^d ≤ scaled ≤ (⌊|x|⌋ + 1) × 10^d (the product rounds monotonically): the integer
  // part is ⌊|x|⌋ (`| 0`: |x| < 2^31), or one more when the rounding carried, so no division by
  // 10^d; it stays < 10^8.
  const unit = UNIT[d]!;
  let ip = mag | 0;
  let frac = (scaled - ip * unit) | 0;
  if (frac >= unit) {
    ip = (ip + 1) | 0;
    frac = (frac - unit) | 0;
  }
  if (x < 0) buf[p++] = 0x2d; // -
  // Integer part: up to 4 leading digits, then 4 more if ip ≥ 10^4.
  const big = ip >= 10_000;
  const hi = big ? (ip / 10_000) | 0 : ip;
  v.setInt32(p, W4_LEAD[hi]!, true);
  p += N4[hi]!;
  if (big) {
    v.setInt32(p, W4[ip - hi * 10_000]!, true);
    p += 4;
  }
  if (frac === 0) return p;
  if (d >= 4) return writeFraction(v, p, frac, d);
  v.setInt32(p, FRAC_WORD[d * 1024 + frac]!, true);
  return p + FRAC_LEN[d * 1024 + frac]!;
}

/** writeNumberView off its fast path: zero, or writeFixedAt. */
function writeOther(v: DataView, buf: Uint8Array, p: number, src: Float64Array, at: number, d: number): number {
  const x = src[at]!;
  if (Math.round((x < 0 ? -x : x) * POW10[d]!) !== 0) return writeFixedAt(buf, p, src, at, d);
  v.setUint8(p, 0x30); // -0 and anything that rounds to zero
  return p + 1;
}

/** `.` and `frac` (0 < frac < 10^d, 4 ≤ d ≤ 22) as d digits, zero-padded, trailing zeros cut. */
function writeFraction(v: DataView, p: number, frac: number, d: number): number {
  v.setUint8(p++, 0x2e);
  while (frac % 10 === 0) {
    frac = (frac / 10) | 0;
    d--;
  }
  // Leading zeros beyond the 10 digits an int32 has (d > 10: ticks finer than 1e-10).
  for (; d > 10; d--) v.setUint8(p++, 0x30);
  // d ≤ 10 digits: 1–2, then up to two words of 4, each zero-padded.
  if (d > 8) {
    const hi = (frac / 100_000_000) | 0; // ≤ 21
    const m = d - 8;
    v.setInt32(p, W4[hi]! >> ((4 - m) << 3), true);
    frac -= hi * 100_000_000;
    p += m;
    d = 8;
  }
  if (d > 4) {
    const hi = (frac / 10_000) | 0;
    v.setInt32(p, W4[hi]! >> ((8 - d) << 3), true);
    v.setInt32(p + d - 4, W4[frac - hi * 10_000]!, true);
    return p + d;
  }
  v.setInt32(p, W4[frac]! >> ((4 - d) << 3), true);
  return p + d;
}

/** Writes the int32 `x` ≥ 0 in decimal through `v` (same scratch-byte rule as writeNumberView). */
export function writeIntView(v: DataView, p: number, x: number): number {
  // A leading group of 1–4 digits, then groups of 4 (x < 2^31: at most 10 digits).
  if (x < 10_000) {
    v.setInt32(p, W4_LEAD[x]!, true);
    return p + N4[x]!;
  }
  if (x < 100_000_000) {
    const hi = (x / 10_000) | 0;
    v.setInt32(p, W4_LEAD[hi]!, true);
    p += N4[hi]!;
    v.setInt32(p, W4[x - hi * 10_000]!, true);
    return p + 4;
  }
  const hi = (x / 100_000_000) | 0; // ≤ 21
  v.setInt32(p, W4_LEAD[hi]!, true);
  p += N4[hi]!;
  const lo = x - hi * 100_000_000;
  const mid = (lo / 10_000) | 0;
  v.setInt32(p, W4[mid]!, true);
  v.setInt32(p + 4, W4[lo - mid * 10_000]!, true);
  return p + 8;
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

/**
 * Writes `value` as a JSON number with at most `decimals` fraction digits (trailing zeros cut),
 * never in exponent notation, into `buf` at `pos`; returns the new position. Integer digit
 * arithmetic on the scaled value: no string, no allocation. Values whose scaled form is not an
 * exact integer in a double (|v × 10^d| ≥ 2^53) take a slow, exact path through toFixed.
 * The caller has checked that `value` is finite.
 */
const POW10 = Array.from({ length: 19 }, (_, k) => 10 ** k);
const MAX_EXACT = 2 ** 53;
const scratch = new Uint8Array(24);

export function writeFixed(buf: Uint8Array, pos: number, value: number, decimals: number): number {
  let scaled = Math.round(value * POW10[decimals]!);
  if (scaled === 0) {
    buf[pos] = 0x30;
    return pos + 1;
  }
  if (!(scaled < MAX_EXACT && scaled > -MAX_EXACT)) return writeSlow(buf, pos, value, decimals);
  if (scaled < 0) {
    buf[pos++] = 0x2d; // -
    scaled = -scaled;
  }
  // Digits, least significant first, into scratch.
  let n = 0;
  while (scaled > 0) {
    const q = Math.floor(scaled / 10);
    scratch[n++] = scaled - q * 10;
    scaled = q;
  }
  // Cut trailing zeros of the fraction.
  let d = decimals;
  let low = 0;
  while (d > 0 && scratch[low] === 0) {
    low++;
    d--;
  }
  // Pad so there is at least one integer digit.
  while (n < low + d + 1) scratch[n++] = 0;
  for (let k = n - 1; k >= low; k--) {
    if (k === low + d - 1) buf[pos++] = 0x2e; // .
    buf[pos++] = 0x30 + scratch[k]!;
  }
  return pos;
}

function writeSlow(buf: Uint8Array, pos: number, value: number, decimals: number): number {
  let s = value.toFixed(decimals);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0') s = '0';
  for (let k = 0; k < s.length; k++) buf[pos++] = s.charCodeAt(k);
  return pos;
}

/** Number of decimals that represent multiples of `step` exactly (0.001 → 3, 5 → 0, 0.5 → 1). */
export function decimalsOf(step: number): number {
  for (let d = 0; d <= 12; d++) {
    const x = step * POW10[d]!;
    if (Math.abs(x - Math.round(x)) < 1e-9 * Math.max(1, x)) return d;
  }
  return 12;
}

/** Decimal helpers for the simulator: venue amounts and prices are multiples of a tick. */

/** Whether `v` is a whole multiple of `step`, up to float noise. */
export function isMultiple(v: number, step: number): boolean {
  const k = v / step;
  return Math.abs(k - Math.round(k)) < 1e-7;
}

/** `v` rounded to a multiple of `step`, without binary float tails in what is sent (0.30000000000000004). */
export function roundTo(v: number, step: number): number {
  const d = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return Number((Math.round(v / step) * step).toFixed(Math.min(d + 2, 12)));
}

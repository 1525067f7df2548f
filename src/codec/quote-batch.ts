import { MAX_LEVELS } from '../engine/live-quotes.js';

/** Per side of a batched quote: leave the side out (kept at the venue), or send these levels. */
export const SIDE_OMIT = 0;
/** Send the levels (zero levels: `[]`, which removes the side). */
export const SIDE_LEVELS = 1;

/**
 * The instruments and sides of the next `private/mass_quote`, in flat typed arrays that live as
 * long as the engine: filling a batch allocates nothing. At most 100 instruments (spec).
 */
export class QuoteBatch {
  static readonly MAX_QUOTES = 100;
  count = 0;
  readonly instrument = new Int32Array(QuoteBatch.MAX_QUOTES);
  /** [entry][side] → SIDE_OMIT | SIDE_LEVELS */
  readonly mode = new Int32Array(QuoteBatch.MAX_QUOTES * 2);
  /** [entry][side] → level count */
  readonly levels = new Int32Array(QuoteBatch.MAX_QUOTES * 2);
  /** [entry][side][level] */
  readonly price = new Float64Array(QuoteBatch.MAX_QUOTES * 2 * MAX_LEVELS);
  readonly amount = new Float64Array(QuoteBatch.MAX_QUOTES * 2 * MAX_LEVELS);

  clear(): void {
    this.count = 0;
  }

  get full(): boolean {
    return this.count >= QuoteBatch.MAX_QUOTES;
  }

  /** Adds an instrument; returns its entry index. Set its sides with `setSide`. */
  add(instrument: number): number {
    const e = this.count++;
    this.instrument[e] = instrument;
    this.mode[e * 2] = SIDE_OMIT;
    this.mode[e * 2 + 1] = SIDE_OMIT;
    this.levels[e * 2] = 0;
    this.levels[e * 2 + 1] = 0;
    return e;
  }

  setSide(entry: number, side: number, prices: Float64Array, amounts: Float64Array, n: number): void {
    const k = entry * 2 + side;
    this.mode[k] = SIDE_LEVELS;
    this.levels[k] = n;
    const base = k * MAX_LEVELS;
    for (let l = 0; l < n; l++) {
      this.price[base + l] = prices[l]!;
      this.amount[base + l] = amounts[l]!;
    }
  }
}

import { CodecError } from './errors.js';

// The constants below as module-private consts for the methods, which fill batches on the hot
// path: V8 folds a private const into the code, but reloads an exported binding (and checks it
// for TDZ) on every use.
const LEVELS = 10;
const QUOTES = 100;
const OMIT = 0;
const MULTI = 1;
const SINGLE = 2;

/** Levels per side (spec mass_quote: "a maximum of 10 level quotes on each side per instrument"). */
export const LEVELS_PER_SIDE = LEVELS;
/** Quotes per request (spec mass_quote `quotes`: "maximum 100"). */
export const QUOTES_PER_BATCH = QUOTES;

/** Per side of a batched quote: leave the side out (kept at the venue). */
export const SIDE_OMIT = OMIT;
/** Send the levels as `[[p,a],…]`; zero levels is `[]`, which removes the side. */
export const SIDE_LEVELS = MULTI;
/** Send level 0 as the single-level object `{"p":…,"a":…}`. */
export const SIDE_SINGLE = SINGLE;

export const BID = 0;
export const ASK = 1;

/**
 * The instruments and sides of the next `private/mass_quote`, in flat typed arrays that live as
 * long as the engine: filling a batch allocates nothing. Indexing: side slot k = entry × 2 + side
 * (BID 0, ASK 1); level l of slot k at k × LEVELS_PER_SIDE + l. `instrument[e]` is the encoder's
 * index of the instrument (the order it was registered in).
 */
export class QuoteBatch {
  static readonly MAX_QUOTES = QUOTES;
  count = 0;
  readonly instrument = new Int32Array(QUOTES);
  /** [entry][side] → SIDE_OMIT | SIDE_LEVELS | SIDE_SINGLE */
  readonly mode = new Int32Array(QUOTES * 2);
  /** [entry][side] → level count */
  readonly levels = new Int32Array(QUOTES * 2);
  /** [entry][side][level] */
  readonly price = new Float64Array(QUOTES * 2 * LEVELS);
  readonly amount = new Float64Array(QUOTES * 2 * LEVELS);

  clear(): void {
    this.count = 0;
  }

  get full(): boolean {
    return this.count >= QUOTES;
  }

  /** Adds an instrument with both sides omitted; returns its entry index. */
  add(instrument: number): number {
    if (this.count >= QUOTES) throw new CodecError('CODEC_ERR_TOO_MANY_QUOTES', `at most ${QUOTES} quotes per mass_quote`);
    const e = this.count++;
    this.instrument[e] = instrument;
    const k = e * 2;
    this.mode[k] = OMIT;
    this.mode[k + 1] = OMIT;
    this.levels[k] = 0;
    this.levels[k + 1] = 0;
    return e;
  }

  /** Multi-level side `[[p,a],…]` from the first `n` entries of the arrays (n = 0: `[]`). */
  setSide(entry: number, side: number, prices: Float64Array, amounts: Float64Array, n: number): void {
    if (n > LEVELS || n < 0) throw new CodecError('CODEC_ERR_TOO_MANY_LEVELS', `${n} levels, at most ${LEVELS} per side`);
    const k = entry * 2 + side;
    this.mode[k] = MULTI;
    this.levels[k] = n;
    const base = k * LEVELS;
    const price = this.price;
    const amount = this.amount;
    for (let l = 0; l < n; l++) {
      price[base + l] = prices[l]!;
      amount[base + l] = amounts[l]!;
    }
  }

  /** `[]`: remove every quote on that side. */
  setEmpty(entry: number, side: number): void {
    const k = entry * 2 + side;
    this.mode[k] = MULTI;
    this.levels[k] = 0;
  }

  /** Single-level object `{"p":price,"a":amount}`. */
  setSingle(entry: number, side: number, price: number, amount: number): void {
    const k = entry * 2 + side;
    this.mode[k] = SINGLE;
    this.levels[k] = 1;
    this.price[k * LEVELS] = price;
    this.amount[k * LEVELS] = amount;
  }

  /** Appends one level to a multi-level side (call setEmpty first); returns the level count. */
  pushLevel(entry: number, side: number, price: number, amount: number): number {
    const k = entry * 2 + side;
    const n = this.levels[k]!;
    if (n >= LEVELS) throw new CodecError('CODEC_ERR_TOO_MANY_LEVELS', `at most ${LEVELS} levels per side`);
    this.mode[k] = MULTI;
    this.price[k * LEVELS + n] = price;
    this.amount[k * LEVELS + n] = amount;
    this.levels[k] = n + 1;
    return n + 1;
  }
}

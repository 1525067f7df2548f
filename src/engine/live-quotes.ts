/** Levels per side Thalex accepts in one mass quote (spec: "max 10 levels per side"). */
export const MAX_LEVELS = 10;

export const BID = 0;
export const ASK = 1;

/** What to do with one side of one instrument in the next mass quote. */
export const SIDE_KEEP = 0;
/** Send the new levels (possibly zero levels: `[]` removes the side). */
export const SIDE_SEND = 1;

/**
 * The quotes we believe are live at the venue, per instrument and side, in flat typed arrays
 * (no object per level or per quote). "Live" means last sent and not known to be deleted: a
 * side the venue rejected, or quotes it deleted (protection trip, session end, cancel-all), are
 * cleared so the next quote is sent in full.
 *
 * The diff exists for two reasons: Thalex keeps queue priority only when a level is re-sent
 * with the same price and amount (spec, mass_quote rule 5), so unchanged sides are omitted
 * (rule 2: an omitted side is kept); and every message counts against the session's rate.
 */
export class LiveQuotes {
  readonly instruments: number;
  // [instrument][side][level] → price / amount
  readonly #prices: Float64Array;
  readonly #amounts: Float64Array;
  // [instrument][side] → level count, or -1 when unknown (nothing live we know of)
  readonly #counts: Int32Array;
  // [instrument] → Σ amounts live on both sides; and the total over all instruments
  readonly #exposure: Float64Array;
  #total = 0;

  constructor(instruments: number) {
    this.instruments = instruments;
    this.#prices = new Float64Array(instruments * 2 * MAX_LEVELS);
    this.#amounts = new Float64Array(instruments * 2 * MAX_LEVELS);
    this.#counts = new Int32Array(instruments * 2).fill(-1);
    this.#exposure = new Float64Array(instruments);
  }

  /** Σ of the amounts we believe live on both sides of `instrument`. */
  exposure(instrument: number): number {
    return this.#exposure[instrument]!;
  }

  /** Σ of the amounts we believe live on every instrument and side. */
  get totalExposure(): number {
    return this.#total;
  }

  #sideSum(k: number): number {
    const n = this.#counts[k]!;
    let s = 0;
    for (let l = 0; l < n; l++) s += this.#amounts[k * MAX_LEVELS + l]!;
    return s;
  }

  #reexpose(instrument: number): void {
    const e = this.#sideSum(instrument * 2) + this.#sideSum(instrument * 2 + 1);
    this.#total += e - this.#exposure[instrument]!;
    this.#exposure[instrument] = e;
  }

  /** Live level count of a side; -1 when nothing is known to be live. */
  count(instrument: number, side: number): number {
    return this.#counts[instrument * 2 + side]!;
  }

  price(instrument: number, side: number, level: number): number {
    return this.#prices[(instrument * 2 + side) * MAX_LEVELS + level]!;
  }

  amount(instrument: number, side: number, level: number): number {
    return this.#amounts[(instrument * 2 + side) * MAX_LEVELS + level]!;
  }

  /**
   * SIDE_SEND when `n` candidate levels differ from the live side: a different level count, an
   * amount that changed, or a price that moved by at least `priceThreshold` (0: any move).
   * An unknown side with zero candidate levels needs nothing; an unknown side with levels must
   * be sent.
   */
  diff(instrument: number, side: number, prices: Float64Array, amounts: Float64Array, n: number, priceThreshold: number): number {
    const k = instrument * 2 + side;
    const live = this.#counts[k]!;
    if (live < 0) return n === 0 ? SIDE_KEEP : SIDE_SEND;
    if (live !== n) return SIDE_SEND;
    const base = k * MAX_LEVELS;
    for (let l = 0; l < n; l++) {
      if (this.#amounts[base + l] !== amounts[l]) return SIDE_SEND;
      const d = this.#prices[base + l]! - prices[l]!;
      if (d !== 0 && (priceThreshold === 0 || d >= priceThreshold || -d >= priceThreshold)) return SIDE_SEND;
    }
    return SIDE_KEEP;
  }

  /** Records a side as sent. */
  commit(instrument: number, side: number, prices: Float64Array, amounts: Float64Array, n: number): void {
    const k = instrument * 2 + side;
    const base = k * MAX_LEVELS;
    for (let l = 0; l < n; l++) {
      this.#prices[base + l] = prices[l]!;
      this.#amounts[base + l] = amounts[l]!;
    }
    this.#counts[k] = n;
    this.#reexpose(instrument);
  }

  /** Records a side as sent, from `n` levels at `offset` of flat arrays (no view allocated). */
  commitFrom(instrument: number, side: number, prices: Float64Array, amounts: Float64Array, offset: number, n: number): void {
    const k = instrument * 2 + side;
    const base = k * MAX_LEVELS;
    for (let l = 0; l < n; l++) {
      this.#prices[base + l] = prices[offset + l]!;
      this.#amounts[base + l] = amounts[offset + l]!;
    }
    this.#counts[k] = n;
    this.#reexpose(instrument);
  }

  /** The venue rejected or deleted this side: nothing known to be live any more. */
  forget(instrument: number, side: number): void {
    this.#counts[instrument * 2 + side] = -1;
    this.#reexpose(instrument);
  }

  forgetInstrument(instrument: number): void {
    this.#counts[instrument * 2] = -1;
    this.#counts[instrument * 2 + 1] = -1;
    this.#reexpose(instrument);
  }

  forgetAll(): void {
    this.#counts.fill(-1);
    this.#exposure.fill(0);
    this.#total = 0;
  }

  /** Any side with at least one level live? */
  hasLive(instrument: number): boolean {
    return this.#counts[instrument * 2]! > 0 || this.#counts[instrument * 2 + 1]! > 0;
  }
}

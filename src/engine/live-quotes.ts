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
 * (no object per level or per quote). "Live" means last sent and not known to be deleted. A side
 * is in one of three states:
 *
 * - known, with its levels (0 levels: nothing there — a new session, or the venue deleted it:
 *   protection trip, session end, cancel-all);
 * - unknown (count -1): something may be there that is not what we sent — a partial fill, a
 *   refused side or request, a lost reply. It is always sent next time, `[]` included, so a pull
 *   deletes whatever remains; its exposure is the larger of its last two sends (a refused
 *   replacement leaves the older one; a partial fill leaves less than the last one).
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
  // [instrument][side] → level count, or -1 when unknown
  readonly #counts: Int32Array;
  // [instrument][side] → Σ amounts of the last send and of the one before (the unknown bound)
  readonly #lastSum: Float64Array;
  readonly #prevSum: Float64Array;
  // [instrument][side] → exposure counted now; per instrument; and the total
  readonly #sideExposure: Float64Array;
  readonly #exposure: Float64Array;
  #total = 0;

  constructor(instruments: number) {
    this.instruments = instruments;
    this.#prices = new Float64Array(instruments * 2 * MAX_LEVELS);
    this.#amounts = new Float64Array(instruments * 2 * MAX_LEVELS);
    this.#counts = new Int32Array(instruments * 2); // a new session holds nothing
    this.#lastSum = new Float64Array(instruments * 2);
    this.#prevSum = new Float64Array(instruments * 2);
    this.#sideExposure = new Float64Array(instruments * 2);
    this.#exposure = new Float64Array(instruments);
  }

  /** Σ of the amounts that may be live on both sides of `instrument` (unknown sides at their bound). */
  exposure(instrument: number): number {
    return this.#exposure[instrument]!;
  }

  /** Σ of the amounts that may be live on one side of `instrument`. */
  sideExposure(instrument: number, side: number): number {
    return this.#sideExposure[instrument * 2 + side]!;
  }

  /** Σ of the amounts that may be live on every instrument and side. */
  get totalExposure(): number {
    return this.#total;
  }

  #setSideExposure(instrument: number, k: number, e: number): void {
    const d = e - this.#sideExposure[k]!;
    if (d === 0) return;
    this.#sideExposure[k] = e;
    this.#exposure[instrument] = this.#sideExposure[instrument * 2]! + this.#sideExposure[instrument * 2 + 1]!;
    this.#total += d;
  }

  /** Live level count of a side; -1 when unknown (something may be live). */
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
   * amount that changed, or a price that moved by at least `priceThreshold` (0: any move). An
   * unknown side is always sent: with zero levels that is `[]`, which deletes what may remain.
   */
  diff(instrument: number, side: number, prices: Float64Array, amounts: Float64Array, n: number, priceThreshold: number): number {
    const k = instrument * 2 + side;
    const live = this.#counts[k]!;
    if (live < 0) return SIDE_SEND;
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
    this.commitFrom(instrument, side, prices, amounts, 0, n);
  }

  /** Records a side as sent, from `n` levels at `offset` of flat arrays (no view allocated). */
  commitFrom(instrument: number, side: number, prices: Float64Array, amounts: Float64Array, offset: number, n: number): void {
    const k = instrument * 2 + side;
    const base = k * MAX_LEVELS;
    let sum = 0;
    for (let l = 0; l < n; l++) {
      this.#prices[base + l] = prices[offset + l]!;
      const a = amounts[offset + l]!;
      this.#amounts[base + l] = a;
      sum += a;
    }
    this.#counts[k] = n;
    this.#prevSum[k] = this.#lastSum[k]!;
    this.#lastSum[k] = sum;
    this.#setSideExposure(instrument, k, sum);
  }

  /** The venue's side may no longer be what we sent (partial fill, refusal, lost reply): unknown. */
  forget(instrument: number, side: number): void {
    const k = instrument * 2 + side;
    this.#counts[k] = -1;
    this.#setSideExposure(instrument, k, Math.max(this.#lastSum[k]!, this.#prevSum[k]!));
  }

  forgetInstrument(instrument: number): void {
    this.forget(instrument, 0);
    this.forget(instrument, 1);
  }

  /** The venue holds nothing of ours on this instrument (its quotes were deleted). */
  clearInstrument(instrument: number): void {
    for (let k = instrument * 2; k < instrument * 2 + 2; k++) {
      this.#counts[k] = 0;
      this.#lastSum[k] = 0;
      this.#prevSum[k] = 0;
      this.#setSideExposure(instrument, k, 0);
    }
  }

  /** The venue holds nothing of ours (session over, cancel-all confirmed). */
  clearAll(): void {
    this.#counts.fill(0);
    this.#lastSum.fill(0);
    this.#prevSum.fill(0);
    this.#sideExposure.fill(0);
    this.#exposure.fill(0);
    this.#total = 0;
  }

  /** Could anything of ours be live on this instrument (levels, or an unknown side)? */
  hasLive(instrument: number): boolean {
    return this.#counts[instrument * 2] !== 0 || this.#counts[instrument * 2 + 1] !== 0;
  }
}

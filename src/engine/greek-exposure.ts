/**
 * How much the OTHER instruments' open quotes could move the portfolio's delta and vega if they
 * all filled: the net delta and vega limits count them as filled, as the product position limit
 * counts the product's other open bids and asks, so that many instruments filling at once (a
 * taker sweeping the chain within one venue step, before the engine hears of any fill) cannot
 * carry the portfolio past a limit. A bid adds delta × amount and vega × amount, an ask
 * subtracts them; each side's worst case is kept apart (up and down).
 *
 * Per batch: `begin` totals what may be live; `plan` of an instrument replaces its share by the
 * larger of what is live and what the batch plans (until the frame is answered the venue may
 * hold either). Typed arrays, nothing allocated: it runs for every instrument planned.
 */
import { ASK, BID, type LiveQuotes } from './live-quotes.js';
import type { PortfolioGreeks } from './portfolio-greeks.js';

/** Indices of `others` output. */
export const GX_DELTA_UP = 0;
export const GX_DELTA_DOWN = 1;
export const GX_VEGA_UP = 2;
export const GX_VEGA_DOWN = 3;
export const GX_SLOTS = 4;

export class GreekExposure {
  readonly #n: number;
  readonly #live: LiveQuotes;
  readonly #greeks: PortfolioGreeks;
  /** Per instrument, what it adds to the totals (GX_SLOTS each), as last computed. */
  readonly #share: Float64Array;
  /** Totals over every instrument, GX_ slots. */
  readonly #total = new Float64Array(GX_SLOTS);
  /** Scratch [bid, ask]: amounts travel in an array, not as (boxed) double arguments. */
  readonly #amounts = new Float64Array(2);

  constructor(n: number, live: LiveQuotes, greeks: PortfolioGreeks) {
    this.#n = n;
    this.#live = live;
    this.#greeks = greeks;
    this.#share = new Float64Array(n * GX_SLOTS);
  }

  /** Totals from what may be live now (start of a batch). */
  begin(): void {
    this.#total.fill(0);
    this.#share.fill(0);
    const a = this.#amounts;
    for (let i = 0; i < this.#n; i++) {
      a[0] = this.#live.sideExposure(i, BID);
      a[1] = this.#live.sideExposure(i, ASK);
      this.#set(i, a);
    }
  }

  /** What every instrument but `i` could add, into `out` (GX_ slots). */
  others(i: number, out: Float64Array): void {
    const t = this.#total;
    const s = this.#share;
    const at = i * GX_SLOTS;
    for (let k = 0; k < GX_SLOTS; k++) out[k] = t[k]! - s[at + k]!;
  }

  /**
   * The batch plans `planned` = [bid, ask] amounts on `i` (its greeks as they are now): count the
   * larger of that and what is live.
   */
  plan(i: number, planned: Float64Array): void {
    const a = this.#amounts;
    const lb = this.#live.sideExposure(i, BID);
    const la = this.#live.sideExposure(i, ASK);
    a[0] = planned[0]! > lb ? planned[0]! : lb;
    a[1] = planned[1]! > la ? planned[1]! : la;
    this.#set(i, a);
  }

  /** Replaces i's share of the totals by that of amounts = [bid, ask] at its current greeks. */
  #set(i: number, amounts: Float64Array): void {
    const bid = amounts[0]!;
    const ask = amounts[1]!;
    let d = this.#greeks.delta[i]!;
    let v = this.#greeks.vega[i]!;
    if (d !== d) d = 0;
    if (v !== v) v = 0;
    const s = this.#share;
    const t = this.#total;
    const at = i * GX_SLOTS;
    for (let k = 0; k < GX_SLOTS; k++) t[k] -= s[at + k]!;
    // A bid fill moves delta by +d, an ask fill by −d: each lands in the direction of its sign.
    s[at + GX_DELTA_UP] = d > 0 ? bid * d : -ask * d;
    s[at + GX_DELTA_DOWN] = d > 0 ? ask * d : -bid * d;
    s[at + GX_VEGA_UP] = bid * v;
    s[at + GX_VEGA_DOWN] = ask * v;
    for (let k = 0; k < GX_SLOTS; k++) t[k] += s[at + k]!;
  }
}

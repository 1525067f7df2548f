/**
 * The simulator's option marks: Black-76 on a forward that moves with the index, with a smile.
 *
 *   F(T)  = index × e^(carry·T)
 *   x     = ln(K/F) / (σ_atm·√T)                 (standardised moneyness, clamped to ±6)
 *   σ     = σ_atm(T) × (1 + skew·x + curvature·x²)
 *   σ_atm(T) = level × (1 + term·(√T − √0.1))     (level mean-reverts around its start)
 *
 * Every option ticker's `mark_price`, `iv`, `delta` and `forward` come from the same formula, so
 * they agree with each other as Black-76 demands (a pricer can check mark = B76(forward, iv)).
 * Collars (spec Ticker: `collar_low` "checks new asks", `collar_high` "checks new bids") sit a
 * tenth of the mark, at least ten ticks, either side of it.
 */
import { black76Delta, black76Price, SECONDS_PER_YEAR } from '../pricing/black76.js';
import type { Rng } from './rng.js';

export interface VolSurfaceOptions {
  /** ATM vol at the start (fraction). Default 0.55. */
  atmVol?: number;
  /** Vol change per standard deviation of moneyness, relative. Default −0.04 (puts richer). */
  skew?: number;
  /** Relative vol added per squared standard deviation. Default 0.025. */
  curvature?: number;
  /** Term structure slope per √year. Default 0.1. */
  term?: number;
  /** Annual carry of the forward over the index. Default 0.05. */
  carry?: number;
  /** Relative ATM vol move per step (standard deviation). Default 0.002. */
  volOfVol?: number;
}

export interface OptionMark {
  mark: number;
  iv: number;
  delta: number;
  forward: number;
  collarLow: number;
  collarHigh: number;
}

export class VolSurface {
  readonly #start: number;
  #level: number;
  readonly #skew: number;
  readonly #curv: number;
  readonly #term: number;
  readonly #carry: number;
  readonly #vov: number;

  constructor(opts: VolSurfaceOptions = {}) {
    this.#start = opts.atmVol ?? 0.55;
    this.#level = this.#start;
    this.#skew = opts.skew ?? -0.04;
    this.#curv = opts.curvature ?? 0.025;
    this.#term = opts.term ?? 0.1;
    this.#carry = opts.carry ?? 0.05;
    this.#vov = opts.volOfVol ?? 0.002;
  }

  /** Moves the ATM level one step (mean-reverting, so a long run stays near the start). */
  step(rng: Rng): void {
    this.#level *= 1 + this.#vov * rng.normal() + 0.01 * (this.#start / this.#level - 1);
  }

  get atmLevel(): number {
    return this.#level;
  }

  forward(index: number, years: number): number {
    return index * Math.exp(this.#carry * years);
  }

  atmVol(years: number): number {
    return Math.max(0.05, this.#level * (1 + this.#term * (Math.sqrt(years) - Math.sqrt(0.1))));
  }

  vol(strike: number, forward: number, years: number): number {
    const atm = this.atmVol(years);
    let x = Math.log(strike / forward) / (atm * Math.sqrt(years));
    if (x > 6) x = 6;
    else if (x < -6) x = -6;
    return Math.min(5, Math.max(0.05, atm * (1 + this.#skew * x + this.#curv * x * x)));
  }

  /** The mark of one option at `now` (Unix seconds); null once expired. */
  mark(isCall: boolean, strike: number, expiry: number, index: number, now: number, tick: number): OptionMark | null {
    const years = (expiry - now) / SECONDS_PER_YEAR;
    if (!(years > 0)) return null;
    const forward = this.forward(index, years);
    const iv = this.vol(strike, forward, years);
    const mark = black76Price(isCall, forward, strike, years, iv);
    const width = Math.max(0.1 * mark, 10 * tick);
    return {
      mark,
      iv,
      delta: black76Delta(isCall, forward, strike, years, iv),
      forward,
      collarLow: Math.max(tick, Math.ceil((mark - width) / tick) * tick),
      collarHigh: Math.floor((mark + width) / tick) * tick,
    };
  }
}

/**
 * The option side of the simulated market: for every option instrument, its mark (from the vol
 * surface, on the index of its underlying at venue time), its thin synthetic book and its collars;
 * what the venue reads when it builds an option's ticker, checks a quote against the collar and
 * lets a taker trade. Spec Ticker: `iv` and `forward` "Only included for options"; `delta`
 * "Delta calculated at time of marking"; best bid/ask "or `null` if the orderbook is empty".
 */
import { thinBook, takerLimit, type ThinBook } from './option-book.js';
import type { SimInstrument } from './instruments.js';
import type { Rng } from './rng.js';
import { VolSurface, type OptionMark, type VolSurfaceOptions } from './vol-surface.js';

export interface OptionState {
  readonly inst: SimInstrument;
  readonly isCall: boolean;
  readonly strike: number;
  readonly expiry: number;
  /** Null once expired (the venue then stops publishing the option). */
  mark: OptionMark | null;
  readonly book: ThinBook;
}

export class OptionMarkets {
  readonly surface: VolSurface;
  readonly #states = new Map<string, OptionState>();

  constructor(instruments: readonly SimInstrument[], surface: VolSurfaceOptions = {}) {
    this.surface = new VolSurface(surface);
    for (const inst of instruments) {
      if (inst.type !== 'option' || typeof inst.strike_price !== 'number' || typeof inst.expiration_timestamp !== 'number') continue;
      this.#states.set(inst.instrument_name, {
        inst,
        isCall: inst.option_type === 'call',
        strike: inst.strike_price,
        expiry: inst.expiration_timestamp,
        mark: null,
        book: { bid: Number.NaN, bidAmount: Number.NaN, ask: Number.NaN, askAmount: Number.NaN },
      });
    }
  }

  get size(): number {
    return this.#states.size;
  }

  state(name: string): OptionState | undefined {
    return this.#states.get(name);
  }

  /**
   * Re-marks every option from the index of its underlying at `now` (Unix seconds) and redraws
   * its book. `moveVol`: also step the vol level (once per market step, not per re-mark).
   */
  remark(indexOf: (underlying: string) => number | undefined, now: number, rng: Rng, moveVol: boolean): void {
    if (moveVol) this.surface.step(rng);
    for (const s of this.#states.values()) this.#remarkOne(s, indexOf(String(s.inst.underlying)), now, rng);
  }

  /** Re-marks one option (at the venue's step, or its first ticker). */
  remarkOne(name: string, index: number | undefined, now: number, rng: Rng): OptionState | undefined {
    const s = this.#states.get(name);
    if (s !== undefined) this.#remarkOne(s, index, now, rng);
    return s;
  }

  #remarkOne(s: OptionState, index: number | undefined, now: number, rng: Rng): void {
    if (index === undefined || !(index > 0)) return;
    s.mark = this.surface.mark(s.isCall, s.strike, s.expiry, index, now, s.inst.tick_size);
    if (s.mark !== null) thinBook(s.mark.mark, s.inst.tick_size, s.inst.volume_tick_size, rng, s.book);
  }

  /** The worst price a taker accepts on `name` now (see option-book.ts), NaN when unmarked. */
  takerLimit(name: string, buys: boolean, rng: Rng): number {
    const m = this.#states.get(name)?.mark;
    return m === null || m === undefined ? Number.NaN : takerLimit(m.mark, buys, rng);
  }
}

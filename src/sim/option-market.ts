/**
 * The option side of the simulated market: every option's mark (the vol surface on the index of
 * its underlying at venue time), its thin synthetic book and its collars, written into its
 * Market, which the ticker, the collar check and the taker flow then read like any other.
 * Spec Ticker: `iv` and `forward` "Only included for options"; `delta` "Delta calculated at time
 * of marking"; best bid/ask "or `null` if the orderbook is empty".
 */
import type { Market } from './market.js';
import { thinBook, type ThinBook } from './option-book.js';
import type { Rng } from './rng.js';
import { VolSurface, type VolSurfaceOptions } from './vol-surface.js';

export class OptionMarkets {
  readonly surface: VolSurface;
  readonly #markets: Market[];
  readonly #book: ThinBook = { bid: Number.NaN, bidAmount: Number.NaN, ask: Number.NaN, askAmount: Number.NaN };

  constructor(markets: Iterable<Market>, surface: VolSurfaceOptions = {}) {
    this.surface = new VolSurface(surface);
    this.#markets = [...markets].filter(
      (m) => m.inst.type === 'option' && typeof m.inst.strike_price === 'number' && typeof m.inst.expiration_timestamp === 'number',
    );
  }

  get size(): number {
    return this.#markets.length;
  }

  /**
   * Re-marks every option from the index of its underlying at `now` (Unix seconds) and redraws
   * its book. `moveVol`: also step the vol level (once per market step).
   */
  remark(indexOf: (underlying: string) => number | undefined, now: number, rng: Rng, moveVol: boolean): void {
    if (moveVol) this.surface.step(rng);
    for (const m of this.#markets) {
      const index = indexOf(String(m.inst.underlying));
      if (index === undefined || !(index > 0)) continue;
      const t = m.inst.tick_size;
      const mark = this.surface.mark(m.inst.option_type === 'call', m.inst.strike_price!, m.inst.expiration_timestamp!, index, now, t);
      // Expired: a marked option keeps its last mark; one never marked stays a plain random walk.
      if (mark === null) continue;
      m.ref = mark.mark;
      m.collarLow = mark.collarLow;
      m.collarHigh = mark.collarHigh;
      m.option = { iv: mark.iv, delta: mark.delta, forward: mark.forward, index };
      const b = thinBook(mark.mark, t, m.inst.volume_tick_size, rng, this.#book);
      m.bid = b.bid;
      m.ask = b.ask;
      m.bidAmount = b.bidAmount;
      m.askAmount = b.askAmount;
    }
  }
}

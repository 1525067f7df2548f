/**
 * The portfolio's net delta and net vega over the quoted instruments, from the engine's positions
 * and each instrument's latest tick: what the options pricer skews by and what the net delta and
 * vega limits are checked against. Delta per contract is the ticker's `delta` (spec Ticker: "Delta
 * calculated at time of marking"; 1 for a perpetual), else Black-76's; vega per contract (USD per
 * vol point) is Black-76's on the ticker's forward and iv. Positions in instruments the engine does
 * not quote are not seen (a hedge held elsewhere counts for nothing here).
 *
 * Main thread, cold path: run when a position changes and from housekeeping, never per tick.
 */
import { B76_DELTA, B76_FORWARD, B76_SLOTS, B76_STRIKE, B76_T, B76_VEGA, B76_VOL, black76Into, SECONDS_PER_YEAR } from '../pricing/black76.js';
import { F_DELTA, F_FORWARD, F_INDEX, F_IV, F_MARK_TIMESTAMP, TICK_FIELDS } from '../rings/layout.js';
import type { TickerRing } from '../rings/ticker-ring.js';
import type { InstrumentInfo } from './bootstrap.js';

export class PortfolioGreeks {
  /** Per contract of instrument i, from its last tick (NaN until it has one). */
  readonly delta: Float64Array;
  readonly vega: Float64Array;
  netDelta = 0;
  netVega = 0;
  readonly #inst: readonly InstrumentInfo[];
  readonly #rings: readonly TickerRing[];
  readonly #tick = new Float64Array(TICK_FIELDS);
  readonly #io = new Float64Array(B76_SLOTS);

  constructor(instruments: readonly InstrumentInfo[], rings: readonly TickerRing[]) {
    this.#inst = instruments;
    this.#rings = rings;
    this.delta = new Float64Array(instruments.length).fill(Number.NaN);
    this.vega = new Float64Array(instruments.length).fill(Number.NaN);
  }

  /** Refreshes the per-contract greeks from the rings, then the net ones from `positionOf(i)`. */
  update(positionOf: (i: number) => number): void {
    let netDelta = 0;
    let netVega = 0;
    const t = this.#tick;
    for (let i = 0; i < this.#inst.length; i++) {
      if (this.#rings[i]!.readLatest(t) > 0) this.refreshOne(i, t);
      const pos = positionOf(i);
      if (pos !== 0 && pos === pos) {
        const d = this.delta[i]!;
        const v = this.vega[i]!;
        if (d === d) netDelta += pos * d;
        if (v === v) netVega += pos * v;
      }
    }
    this.netDelta = netDelta;
    this.netVega = netVega;
  }

  /**
   * The per-contract greeks of instrument `i` from tick `t` (F_ fields), the net ones untouched:
   * the risk check calls it with the tick it is checking. Allocates nothing.
   */
  refreshOne(i: number, t: Float64Array): void {
    const inst = this.#inst[i]!;
    if (inst.optionType === undefined) {
      // Perpetuals and futures: one unit of the underlying per contract, no vega.
      const d = t[F_DELTA]!;
      this.delta[i] = d === d ? d : 1;
      this.vega[i] = 0;
      return;
    }
    const io = this.#io;
    let f = t[F_FORWARD]!;
    if (!(f > 0)) f = t[F_INDEX]!;
    const now = t[F_MARK_TIMESTAMP]! > 0 ? t[F_MARK_TIMESTAMP]! : Date.now() / 1000;
    io[B76_FORWARD] = f;
    io[B76_STRIKE] = inst.strike ?? Number.NaN;
    io[B76_T] = Math.max(0, ((inst.expiry ?? now) - now) / SECONDS_PER_YEAR);
    io[B76_VOL] = t[F_IV]!;
    black76Into(io, inst.optionType === 'call');
    const d = t[F_DELTA]!;
    this.delta[i] = d === d ? d : io[B76_DELTA]!;
    const v = io[B76_VEGA]! / 100;
    this.vega[i] = v === v ? v : 0;
  }
}

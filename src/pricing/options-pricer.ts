/**
 * The options pricer: Black-76 on the ticker's forward and mark implied vol, quoted as a width in
 * vol points around the mark vol. Instruments that are not options (no `optionType` in their spec)
 * are priced by the default pricer with the same parameter row, so one pricer serves a chain and
 * its hedge perpetual; its DP_ parameters (0 … 7) and the OP_ ones below share the row.
 *
 *   σ_c     = iv − vegaSkew × netVega / 100               (portfolio long vega → lower vols)
 *   shift   = −deltaSkew × netDelta × δ                    (portfolio long delta → cheaper calls)
 *   bid_k   = floor_tick(B76(σ_c − w/2 − k·step) + shift)   ask_k = ceil_tick(B76(σ_c + w/2 + k·step) + shift)
 *   size    = vegaSize / vega-per-vol-point, in [min_order_amount, maxSize], down to the lot
 *
 * The top level is at least `minWidthTicks` ticks wide (a far wing's width in vol points is less
 * than a tick). Prices never go through the collar (spec Ticker: `collar_high` "checks new bids",
 * `collar_low` "checks new asks"): bids are capped at collar_high, asks raised to collar_low. A
 * bid never reaches the best ask nor an ask the best bid (post-only quotes would be refused). At
 * the net delta or vega limit only the reducing side is quoted (greek-limits.ts).
 *
 * The forward is the ticker's `forward` (else its `index`), time runs from the ticker's
 * `mark_timestamp` (else the wall clock) to the instrument's `expiration_timestamp`. Worker-safe:
 * imports only pure modules and the neutral ring layout. Allocates nothing.
 */
import { F_BEST_ASK_PRICE, F_BEST_BID_PRICE, F_COLLAR_HIGH, F_COLLAR_LOW, F_DELTA, F_FORWARD, F_INDEX, F_IV, F_MARK_TIMESTAMP } from '../rings/layout.js';
import { MAX_LEVELS } from '../rings/quote-layout.js';
import { B76_DELTA, B76_FORWARD, B76_PRICE, B76_SLOTS, B76_STRIKE, B76_T, B76_VEGA, B76_VOL, black76Into, SECONDS_PER_YEAR } from './black76.js';
import { price as defaultPrice, DEFAULT_PRICER_PARAMS } from './default-pricer.js';
import {
  GL_DELTA,
  GL_DELTA_LIMIT,
  GL_NET_DELTA,
  GL_NET_VEGA,
  GL_SLOTS,
  GL_VEGA,
  GL_VEGA_LIMIT,
  SIDE_ASK,
  SIDE_BID,
  sidesWithinGreekLimits,
} from './greek-limits.js';
import { roundDownTo, roundUpTo } from './pricer.js';
import type { QuoteOut } from './pricer.js';

/** Full width of the top level in vol points (2 = mark iv ± 1 %). */
export const OP_WIDTH_VOL = DEFAULT_PRICER_PARAMS;
/** Floor on the top level's full width, in ticks (0 = 1 tick). */
export const OP_MIN_WIDTH_TICKS = DEFAULT_PRICER_PARAMS + 1;
/** Target vega of one level, USD per vol point; size = vegaSize / vega (0: flat OP_SIZE). */
export const OP_VEGA_SIZE = DEFAULT_PRICER_PARAMS + 2;
/** Flat size when OP_VEGA_SIZE is 0. */
export const OP_SIZE = DEFAULT_PRICER_PARAMS + 3;
/** Cap on a level's amount (0 = none). */
export const OP_MAX_SIZE = DEFAULT_PRICER_PARAMS + 4;
/** Levels per side, 1 … MAX_LEVELS (0 = 1). */
export const OP_LEVELS = DEFAULT_PRICER_PARAMS + 5;
/** Distance between levels in vol points (0 = half the width). */
export const OP_LEVEL_STEP_VOL = DEFAULT_PRICER_PARAMS + 6;
/** Price shift per unit of portfolio delta per unit of the option's delta (USD). */
export const OP_DELTA_SKEW = DEFAULT_PRICER_PARAMS + 7;
/** Vol shift in vol points per USD of portfolio vega (per vol point). */
export const OP_VEGA_SKEW = DEFAULT_PRICER_PARAMS + 8;
/** No quote this close to expiry, seconds. */
export const OP_MIN_EXPIRY_SECS = DEFAULT_PRICER_PARAMS + 9;
/** |net delta| at which only delta-reducing sides are quoted (0 = none). */
export const OP_DELTA_LIMIT = DEFAULT_PRICER_PARAMS + 10;
/** |net vega| (USD per vol point) at which only vega-reducing sides are quoted (0 = none). */
export const OP_VEGA_LIMIT = DEFAULT_PRICER_PARAMS + 11;
/** Written by the engine, not the user: the portfolio's net delta (contracts of the underlying). */
export const OP_NET_DELTA = DEFAULT_PRICER_PARAMS + 12;
/** Written by the engine, not the user: the portfolio's net vega (USD per vol point). */
export const OP_NET_VEGA = DEFAULT_PRICER_PARAMS + 13;
export const OPTIONS_PRICER_PARAMS = DEFAULT_PRICER_PARAMS + 14;

/** The names users write in config, and their row index. */
export const OPTIONS_PARAM_NAMES: Readonly<Record<string, number>> = {
  widthVol: OP_WIDTH_VOL,
  minWidthTicks: OP_MIN_WIDTH_TICKS,
  vegaSize: OP_VEGA_SIZE,
  optionSize: OP_SIZE,
  optionMaxSize: OP_MAX_SIZE,
  optionLevels: OP_LEVELS,
  levelStepVol: OP_LEVEL_STEP_VOL,
  deltaSkew: OP_DELTA_SKEW,
  vegaSkew: OP_VEGA_SKEW,
  minExpirySecs: OP_MIN_EXPIRY_SECS,
  deltaLimit: OP_DELTA_LIMIT,
  vegaLimit: OP_VEGA_LIMIT,
};

/** Defaults of an options row (cold path). */
export function defaultOptionsParams(into: Float64Array): Float64Array {
  into[OP_WIDTH_VOL] = 2;
  into[OP_MIN_WIDTH_TICKS] = 2;
  into[OP_VEGA_SIZE] = 0;
  into[OP_SIZE] = 0;
  into[OP_MAX_SIZE] = 0;
  into[OP_LEVELS] = 1;
  into[OP_LEVEL_STEP_VOL] = 0;
  into[OP_MIN_EXPIRY_SECS] = 300;
  return into;
}

/** Black-76 in- and outputs (one per thread: workers each load their own copy of this module). */
const io = new Float64Array(B76_SLOTS);
const gl = new Float64Array(GL_SLOTS);

/** `x > 0` is false for NaN too: one test covers unset and missing. */
function positive(x: number): boolean {
  return x > 0;
}

export function price(tick: Float64Array, position: number, params: Float64Array, out: QuoteOut): void {
  const spec = out.instrument;
  const kind = spec.optionType;
  if (kind === undefined) {
    defaultPrice(tick, position, params, out);
    return;
  }
  const isCall = kind === 'call';
  const strike = spec.strike ?? Number.NaN;
  const expiry = spec.expiry ?? Number.NaN;
  let forward = tick[F_FORWARD]!;
  if (!positive(forward)) forward = tick[F_INDEX]!;
  const iv = tick[F_IV]!;
  if (!(positive(forward) && positive(iv) && positive(strike))) return; // nothing to price from
  let now = tick[F_MARK_TIMESTAMP]!;
  if (!positive(now)) now = Date.now() / 1000;
  const secs = expiry - now;
  if (!(secs > params[OP_MIN_EXPIRY_SECS]!) || !(secs > 0)) return;
  const t = secs / SECONDS_PER_YEAR;

  const tickSize = spec.tickSize;
  const lot = spec.volumeTickSize;
  const min = spec.minOrderAmount > 0 ? spec.minOrderAmount : lot;

  // Greeks of one contract: vega per vol point; the ticker's delta when it has one.
  io[B76_FORWARD] = forward;
  io[B76_STRIKE] = strike;
  io[B76_T] = t;
  io[B76_VOL] = iv;
  black76Into(io, isCall);
  const vegaPt = io[B76_VEGA]! / 100;
  let delta = tick[F_DELTA]!;
  if (delta !== delta) delta = io[B76_DELTA]!;
  const netDelta = params[OP_NET_DELTA]!;
  const netVega = params[OP_NET_VEGA]!;
  gl[GL_NET_DELTA] = netDelta;
  gl[GL_NET_VEGA] = netVega;
  gl[GL_DELTA] = delta;
  gl[GL_VEGA] = vegaPt;
  gl[GL_DELTA_LIMIT] = params[OP_DELTA_LIMIT]!;
  gl[GL_VEGA_LIMIT] = params[OP_VEGA_LIMIT]!;
  const sides = sidesWithinGreekLimits(gl);
  if (sides === 0) return;

  // Size: equal vega per quote, so a far wing is not quoted in the same size as the at-the-money.
  const vegaSize = params[OP_VEGA_SIZE]!;
  let size = positive(vegaSize) ? (positive(vegaPt) ? vegaSize / vegaPt : Number.POSITIVE_INFINITY) : params[OP_SIZE]!;
  if (!positive(size)) size = min;
  const maxSize = params[OP_MAX_SIZE]!;
  if (positive(maxSize) && size > maxSize) size = maxSize;
  if (size === Number.POSITIVE_INFINITY) size = min;
  let amount = roundDownTo(size, lot);
  if (amount > size) amount = roundDownTo(amount - lot / 2, lot);
  if (amount < min) amount = min;

  // Centre and width in vol; skews (NaN-safe: an unset skew or greek is 0).
  const vegaSkew = params[OP_VEGA_SKEW]!;
  const deltaSkew = params[OP_DELTA_SKEW]!;
  const volShift = vegaSkew === vegaSkew && netVega === netVega ? (-vegaSkew * netVega) / 100 : 0;
  const shift = deltaSkew === deltaSkew && netDelta === netDelta ? -deltaSkew * netDelta * delta : 0;
  const centre = iv + volShift;
  const widthVol = params[OP_WIDTH_VOL]!;
  const half = (positive(widthVol) ? widthVol : 0) / 200;
  const stepParam = params[OP_LEVEL_STEP_VOL]!;
  const step = positive(stepParam) ? stepParam / 100 : half > 0 ? half : 0.005;
  const levelsParam = params[OP_LEVELS]!;
  const levels = positive(levelsParam) ? (levelsParam >= MAX_LEVELS ? MAX_LEVELS : Math.floor(levelsParam) || 1) : 1;
  const floorParam = params[OP_MIN_WIDTH_TICKS]!;
  const floorWidth = (positive(floorParam) ? floorParam : 1) * tickSize;

  // Hard bounds: the collar, the opposite best, a positive price.
  const collarHigh = tick[F_COLLAR_HIGH]!;
  const collarLow = tick[F_COLLAR_LOW]!;
  const bestBid = tick[F_BEST_BID_PRICE]!;
  const bestAsk = tick[F_BEST_ASK_PRICE]!;
  let bidCap = positive(collarHigh) ? roundDownTo(collarHigh, tickSize) : Number.POSITIVE_INFINITY;
  // The rounding forgives binary noise (1e-9 of a tick), which must not carry a price over the
  // collar itself: a collar_high of 17499.999999999996 rounded to 17500.
  if (bidCap > collarHigh) bidCap = roundDownTo(bidCap - tickSize, tickSize);
  if (positive(bestAsk)) {
    const b = roundUpTo(bestAsk, tickSize) - tickSize;
    if (b < bidCap) bidCap = b;
  }
  let askFloor = positive(collarLow) ? roundUpTo(collarLow, tickSize) : tickSize;
  if (askFloor < collarLow) askFloor = roundUpTo(askFloor + tickSize, tickSize);
  if (positive(bestBid)) {
    const a = roundDownTo(bestBid, tickSize) + tickSize;
    if (a > askFloor) askFloor = a;
  }
  if (askFloor < tickSize) askFloor = tickSize;

  let prevBid = Number.POSITIVE_INFINITY;
  let prevAsk = 0;
  for (let k = 0; k < levels; k++) {
    const vb = centre - half - k * step;
    const va = centre + half + k * step;
    io[B76_VOL] = vb > 0 ? vb : 0;
    black76Into(io, isCall);
    let b = io[B76_PRICE]! + shift;
    io[B76_VOL] = va;
    black76Into(io, isCall);
    let a = io[B76_PRICE]! + shift;
    if (k === 0 && a - b < floorWidth) {
      const mid = (a + b) / 2;
      b = mid - floorWidth / 2;
      a = mid + floorWidth / 2;
    }
    if ((sides & SIDE_BID) !== 0) {
      let bid = roundDownTo(b, tickSize);
      if (bid > bidCap) bid = bidCap;
      if (bid >= prevBid) bid = roundDownTo(prevBid - tickSize, tickSize);
      if (bid >= tickSize) {
        out.addBid(bid, amount);
        prevBid = bid;
      }
    }
    if ((sides & SIDE_ASK) !== 0) {
      let ask = roundUpTo(a, tickSize);
      if (ask < askFloor) ask = askFloor;
      if (ask <= prevAsk) ask = roundUpTo(prevAsk + tickSize, tickSize);
      out.addAsk(ask, amount);
      prevAsk = ask;
    }
  }
}

export default price;

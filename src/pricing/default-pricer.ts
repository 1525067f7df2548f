/**
 * The default pricer: a symmetric ladder around the mid, skewed against inventory.
 *
 *   centre = mid − skew × position          (mid = (best bid + best ask) / 2; the mark price when a
 *                                             book side is missing or crossed; no quote if neither)
 *   bid_k  = floor_tick(centre − half − k × step)   ask_k = ceil_tick(centre + half + k × step)
 *   size_k = min(size × growth^k, maxSize) rounded down to the lot; levels under min_order_amount
 *            are dropped.
 * half = spreadTicks × tickSize / 2 when spreadTicks > 0, else mid × spreadBps / 20000. Bids are
 * rounded down and asks up, and the best ask is kept at least one tick above the best bid, so the
 * quote never crosses itself. Parameter indices are the DP_ constants (unset = 0 = default).
 */
import { F_BEST_ASK_PRICE, F_BEST_BID_PRICE, F_MARK_PRICE } from '../rings/layout.js';
import { MAX_LEVELS } from '../rings/quote-layout.js';
import { roundDownTo, roundUpTo } from './pricer.js';
import type { QuoteOut } from './pricer.js';

/** Full spread in ticks (takes precedence over DP_SPREAD_BPS when > 0). */
export const DP_SPREAD_TICKS = 0;
/** Full spread in basis points of the mid. */
export const DP_SPREAD_BPS = 1;
/** Price shift per unit of position (price units); both sides move by −skew × position. */
export const DP_SKEW = 2;
/** Levels per side, 1 … MAX_LEVELS (0 = 1). */
export const DP_LEVELS = 3;
/** Distance between levels in ticks (0 = 1 tick). */
export const DP_LEVEL_STEP_TICKS = 4;
/** Amount of the first level. */
export const DP_SIZE = 5;
/** Each level's size is the previous one's × growth (0 = 1, flat). */
export const DP_SIZE_GROWTH = 6;
/** Cap on any level's amount (0 = none). */
export const DP_MAX_SIZE = 7;
export const DEFAULT_PRICER_PARAMS = 8;

export interface DefaultPricerParams {
  spreadTicks?: number;
  spreadBps?: number;
  skew?: number;
  levels?: number;
  levelStepTicks?: number;
  size: number;
  sizeGrowth?: number;
  maxSize?: number;
}

/** Fill a params row for the default pricer (cold path: call it from config code). */
export function defaultPricerParams(p: DefaultPricerParams, into?: Float64Array): Float64Array {
  const a = into ?? new Float64Array(DEFAULT_PRICER_PARAMS);
  a[DP_SPREAD_TICKS] = p.spreadTicks ?? 0;
  a[DP_SPREAD_BPS] = p.spreadBps ?? 0;
  a[DP_SKEW] = p.skew ?? 0;
  a[DP_LEVELS] = p.levels ?? 1;
  a[DP_LEVEL_STEP_TICKS] = p.levelStepTicks ?? 1;
  a[DP_SIZE] = p.size;
  a[DP_SIZE_GROWTH] = p.sizeGrowth ?? 1;
  a[DP_MAX_SIZE] = p.maxSize ?? 0;
  return a;
}

/** `x > 0` is false for NaN too: one test covers unset and missing. */
function positive(x: number | undefined): x is number {
  return x !== undefined && x > 0;
}

export function price(tick: Float64Array, position: number, params: Float64Array, out: QuoteOut): void {
  const spec = out.instrument;
  const tickSize = spec.tickSize;
  const lot = spec.volumeTickSize;
  const bestBid = tick[F_BEST_BID_PRICE]!;
  const bestAsk = tick[F_BEST_ASK_PRICE]!;
  let mid: number;
  if (positive(bestBid) && positive(bestAsk) && bestBid <= bestAsk) mid = (bestBid + bestAsk) / 2;
  else {
    const mark = tick[F_MARK_PRICE]!;
    if (!positive(mark)) return; // no book, no mark: no quote
    mid = mark;
  }
  const size = params[DP_SIZE]!;
  if (!positive(size)) return;

  const spreadTicks = params[DP_SPREAD_TICKS]!;
  const spreadBps = params[DP_SPREAD_BPS]!;
  const half = positive(spreadTicks)
    ? (spreadTicks * tickSize) / 2
    : positive(spreadBps)
      ? (mid * spreadBps) / 20000
      : 0;
  const skew = params[DP_SKEW]!;
  const centre = skew === skew && position === position ? mid - skew * position : mid;
  const levelsParam = params[DP_LEVELS]!;
  const levels = positive(levelsParam) ? (levelsParam >= MAX_LEVELS ? MAX_LEVELS : Math.floor(levelsParam) || 1) : 1;
  const stepTicks = params[DP_LEVEL_STEP_TICKS]!;
  const step = (positive(stepTicks) ? stepTicks : 1) * tickSize;
  const growthParam = params[DP_SIZE_GROWTH]!;
  const growth = positive(growthParam) ? growthParam : 1;
  const maxSize = params[DP_MAX_SIZE]!;
  const min = spec.minOrderAmount > 0 ? spec.minOrderAmount : lot;

  let bestBidQ = NaN;
  let prevAsk = NaN;
  let lvlSize = size;
  for (let k = 0; k < levels; k++, lvlSize *= growth) {
    const raw = positive(maxSize) && lvlSize > maxSize ? maxSize : lvlSize;
    let amount = roundDownTo(raw, lot);
    // roundDownTo forgives 1e-9 of a step; the size cap must hold exactly.
    if (amount > raw) amount = roundDownTo(amount - lot / 2, lot);
    if (!(amount >= min)) continue; // under the venue minimum: drop the level
    const bid = roundDownTo(centre - half - k * step, tickSize);
    if (bid > 0) {
      if (bestBidQ !== bestBidQ) bestBidQ = bid;
      out.addBid(bid, amount);
    }
    let ask = roundUpTo(centre + half + k * step, tickSize);
    // Never cross our own best bid (spread under a tick), never repeat the previous ask level.
    if (bestBidQ === bestBidQ && ask <= bestBidQ) ask = roundUpTo(bestBidQ + tickSize, tickSize);
    if (prevAsk === prevAsk && ask <= prevAsk) ask = roundUpTo(prevAsk + tickSize, tickSize);
    prevAsk = ask;
    out.addAsk(ask, amount);
  }
}

export default price;

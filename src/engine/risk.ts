import {
  GL_DELTA,
  GL_DELTA_LIMIT,
  GL_NET_DELTA,
  GL_NET_VEGA,
  GL_PENDING_DELTA_DOWN,
  GL_PENDING_DELTA_UP,
  GL_PENDING_VEGA_DOWN,
  GL_PENDING_VEGA_UP,
  GL_VEGA,
  GL_VEGA_LIMIT,
  GL_LOT,
  GL_MIN_ORDER,
} from '../pricing/greek-limits.js';

/**
 * Pre-trade risk checks, run on every candidate quote before it is encoded. They narrow (clip
 * amounts, drop levels or a whole side) or pull (no quote at all for the instrument); they never
 * let a level through that breaks a limit. Typed arrays in, counts out: nothing allocated.
 */
export interface RiskLimits {
  /** |position| per instrument, contracts. */
  maxPosition: number;
  /** |Σ position| over a product group's instruments, contracts. */
  maxProductPosition: number;
  /** Largest amount of one level; the engine also caps it at the protection `quote_amount`. */
  maxQuoteAmount: number;
  /** Every level price within reference × (1 ± priceBand); reference = mark, else index. */
  priceBand: number;
  /**
   * The band is at least this many ticks either side: a 10 USD option quoted 5/25 is 150 % off
   * its mark in relative terms, yet two ticks away in what the venue can express. 0 or unset: none.
   */
  priceBandTicks?: number;
  /** Pull an instrument's quotes when its last ticker is older than this. */
  staleMs: number;
  /** Σ of all quoted amounts, every instrument and both sides, contracts. */
  maxOpenExposure: number;
}

export const RISK_OK = 0;
export const RISK_PULL_STALE = 1;
export const RISK_PULL_NO_REFERENCE = 2;
export const RISK_PULL_PRICE_BAND = 3;
export const RISK_PULL_NO_LEVELS = 4;

export const RISK_REASONS = ['ok', 'stale market data', 'no reference price', 'price outside band', 'no level left'] as const;

export interface RiskInput {
  /** Amounts that may be live, or are planned in this batch, on the OTHER instruments (both sides). */
  otherExposure: number;
  position: number;
  productPosition: number;
  /**
   * Σ of the bids (asks) open on, or planned in this batch for, the product's OTHER instruments:
   * were they all to fill, the product position moves by that much before this quote fills.
   */
  productBids: number;
  productAsks: number;
  mark: number;
  index: number;
  tickAgeMs: number;
  /** min(limits.maxQuoteAmount, protection quote_amount). */
  quoteAmountCap: number;
  volumeTick: number;
  minOrderAmount: number;
  tickSize: number;
}

/**
 * Checks and narrows one instrument's candidate levels in place. `counts[0]`/`counts[1]` are the
 * bid/ask level counts on entry and after narrowing. Returns RISK_OK or a RISK_PULL_* reason
 * (then nothing may be quoted on this instrument).
 */
export function checkQuote(
  limits: RiskLimits,
  input: RiskInput,
  bidP: Float64Array,
  bidA: Float64Array,
  askP: Float64Array,
  askA: Float64Array,
  counts: Int32Array,
): number {
  if (!(input.tickAgeMs <= limits.staleMs)) return RISK_PULL_STALE;
  const ref = Number.isFinite(input.mark) && input.mark > 0 ? input.mark : input.index;
  if (!(Number.isFinite(ref) && ref > 0)) return RISK_PULL_NO_REFERENCE;
  const t0 = input.tickSize;
  const ticks = limits.priceBandTicks;
  const half = ticks !== undefined && ticks * t0 > ref * limits.priceBand ? ticks * t0 : ref * limits.priceBand;
  const lo = ref - half;
  const hi = ref + half;
  let nb = counts[0]!;
  let na = counts[1]!;
  // Prices on the tick, always away from the other side (a pricer may not round): the venue
  // refuses misaligned prices (code 15), and rounding to nearest could move a bid up.
  const t = input.tickSize;
  for (let l = 0; l < nb; l++) bidP[l] = Math.floor(bidP[l]! / t + 1e-9) * t;
  for (let l = 0; l < na; l++) askP[l] = Math.ceil(askP[l]! / t - 1e-9) * t;
  // The band is checked on the prices as sent (rounding moves them up to a tick outwards). A
  // price outside it means the pricer is wrong, not that the level should be trimmed: pull the
  // instrument rather than quote the rest of a broken ladder.
  for (let l = 0; l < nb; l++) if (!(bidP[l]! >= lo && bidP[l]! <= hi)) return RISK_PULL_PRICE_BAND;
  for (let l = 0; l < na; l++) if (!(askP[l]! >= lo && askP[l]! <= hi)) return RISK_PULL_PRICE_BAND;

  // Room to buy / sell before a position limit: the tighter of the instrument and the product,
  // the product's counting every bid (ask) its other instruments have open as filled.
  const buyRoom = Math.min(limits.maxPosition - input.position, limits.maxProductPosition - input.productPosition - input.productBids);
  const sellRoom = Math.min(limits.maxPosition + input.position, limits.maxProductPosition + input.productPosition - input.productAsks);
  // What the other instruments leave of the open-exposure limit, split between the two sides.
  const room = (limits.maxOpenExposure - input.otherExposure) / 2;
  nb = clipSide(bidA, nb, Math.min(buyRoom, room), input);
  na = clipSide(askA, na, Math.min(sellRoom, room), input);
  counts[0] = nb;
  counts[1] = na;
  return nb + na === 0 ? RISK_PULL_NO_LEVELS : RISK_OK;
}

/**
 * Caps each level at the quote-amount cap and the cumulative amount at `room` (what could
 * fill without breaching a position limit), rounds down to the lot, and cuts the ladder at the
 * first level that falls under the minimum order amount. Returns the new level count.
 */
function clipSide(amounts: Float64Array, n: number, room: number, input: RiskInput): number {
  let left = room;
  const lot = input.volumeTick;
  for (let l = 0; l < n; l++) {
    let a = Math.min(amounts[l]!, input.quoteAmountCap, left);
    a = Math.floor(a / lot + 1e-9) * lot;
    // Round to the lot's decimals so the encoder never sees 0.30000000000000004.
    a = Math.round(a / lot) * lot;
    if (!(a >= input.minOrderAmount && a > 0)) return l;
    amounts[l] = a;
    left -= a;
  }
  return n;
}

/**
 * Net delta and net vega limits over the portfolio (pricing/greek-limits.ts: GL_ slots of `g`).
 * Each side may add to a greek only up to the room left before its limit, as if every level of
 * the side filled: buying one contract moves net delta by +delta and net vega by +vega, selling by
 * the opposite. A side with no room is dropped, so at a limit only the reducing side is quoted;
 * a reducing side is never clipped. Narrows `counts` in place like `checkQuote`; returns the
 * number of levels left. Amounts are clipped to the lot (GL_LOT) and cut under GL_MIN_ORDER. Typed arrays in, nothing allocated.
 */
export function applyGreekLimits(g: Float64Array, bidA: Float64Array, askA: Float64Array, counts: Int32Array): number {
  // Everything comes in typed arrays: doubles passed to a call V8 does not inline are boxed.
  const lot = g[GL_LOT]!;
  const minOrder = g[GL_MIN_ORDER]!;
  const netDelta = g[GL_NET_DELTA]!;
  const netVega = g[GL_NET_VEGA]!;
  const delta = g[GL_DELTA]!;
  const vega = g[GL_VEGA]!;
  const dl = g[GL_DELTA_LIMIT]!;
  const vl = g[GL_VEGA_LIMIT]!;
  let buyRoom = Number.POSITIVE_INFINITY;
  let sellRoom = Number.POSITIVE_INFINITY;
  if (dl > 0 && delta === delta && delta !== 0 && netDelta === netDelta) {
    // Contracts before net delta reaches +limit (−limit), other open quotes counted as filled.
    const up = (dl - netDelta - g[GL_PENDING_DELTA_UP]!) / Math.abs(delta);
    const down = (dl + netDelta - g[GL_PENDING_DELTA_DOWN]!) / Math.abs(delta);
    if (delta > 0) {
      buyRoom = Math.min(buyRoom, up);
      sellRoom = Math.min(sellRoom, down);
    } else {
      buyRoom = Math.min(buyRoom, down);
      sellRoom = Math.min(sellRoom, up);
    }
  }
  if (vl > 0 && vega > 0 && netVega === netVega) {
    buyRoom = Math.min(buyRoom, (vl - netVega - g[GL_PENDING_VEGA_UP]!) / vega);
    sellRoom = Math.min(sellRoom, (vl + netVega - g[GL_PENDING_VEGA_DOWN]!) / vega);
  }
  counts[0] = clipRoom(bidA, counts[0]!, buyRoom, lot, minOrder);
  counts[1] = clipRoom(askA, counts[1]!, sellRoom, lot, minOrder);
  return counts[0]! + counts[1]!;
}

/** Cumulative amounts within `room` contracts, down to the lot; cut at the first level under the minimum. */
function clipRoom(amounts: Float64Array, n: number, room: number, lot: number, minOrder: number): number {
  if (room === Number.POSITIVE_INFINITY) return n;
  let left = room;
  for (let l = 0; l < n; l++) {
    let a = amounts[l]!;
    if (a > left) {
      a = Math.floor(left / lot + 1e-9) * lot;
      a = Math.round(a / lot) * lot;
    }
    if (!(a >= minOrder && a > 0)) return l;
    amounts[l] = a;
    left -= a;
  }
  return n;
}

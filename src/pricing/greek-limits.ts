/**
 * Net delta and net vega limits over the portfolio: at a limit only the sides that reduce the
 * breached greek are quoted. Buying one contract of an option adds its delta and its vega to the
 * portfolio, selling subtracts them (a long option is always long vega). Imported by the options
 * pricer (workers) and the engine's risk check (main thread) alike.
 *
 * Inputs come in a caller-owned Float64Array (GL_ slots): V8 boxes doubles passed to a call it
 * does not inline, and this runs per priced tick.
 */

export const SIDE_NONE = 0;
export const SIDE_BID = 1;
export const SIDE_ASK = 2;
export const SIDE_BOTH = 3;

export const GL_NET_DELTA = 0;
export const GL_NET_VEGA = 1;
/** Per contract of the instrument. */
export const GL_DELTA = 2;
export const GL_VEGA = 3;
/** A limit that is not positive (0, NaN) is no limit. */
export const GL_DELTA_LIMIT = 4;
export const GL_VEGA_LIMIT = 5;
/**
 * What other open quotes could already add up (+) or down (−) to net delta and vega, counted as
 * if filled (the engine's risk check: greek-exposure.ts). ≥ 0; 0 when unknown (the pricer).
 */
export const GL_PENDING_DELTA_UP = 6;
export const GL_PENDING_DELTA_DOWN = 7;
export const GL_PENDING_VEGA_UP = 8;
export const GL_PENDING_VEGA_DOWN = 9;
/** The instrument's lot and minimum order (the engine's risk check clips amounts to them). */
export const GL_LOT = 10;
export const GL_MIN_ORDER = 11;
export const GL_SLOTS = 12;

/** The sides (SIDE_* bit mask) the instrument described by `g` may quote. */
export function sidesWithinGreekLimits(g: Float64Array): number {
  const netDelta = g[GL_NET_DELTA]!;
  const netVega = g[GL_NET_VEGA]!;
  const delta = g[GL_DELTA]!;
  const deltaLimit = g[GL_DELTA_LIMIT]!;
  const vegaLimit = g[GL_VEGA_LIMIT]!;
  let sides = SIDE_BOTH;
  if (deltaLimit > 0 && delta === delta && delta !== 0) {
    // A bid (buy) moves net delta by +delta, an ask (sell) by −delta.
    if (netDelta >= deltaLimit) sides &= delta > 0 ? ~SIDE_BID : ~SIDE_ASK;
    else if (netDelta <= -deltaLimit) sides &= delta > 0 ? ~SIDE_ASK : ~SIDE_BID;
  }
  if (vegaLimit > 0 && g[GL_VEGA]! > 0) {
    if (netVega >= vegaLimit) sides &= ~SIDE_BID;
    else if (netVega <= -vegaLimit) sides &= ~SIDE_ASK;
  }
  return sides & SIDE_BOTH;
}

/**
 * Black-76: European options on a forward F, strike K, time T (years), volatility σ (a fraction:
 * 0.55 is 55 %), discount factor D (1 = undiscounted, as Thalex marks options on the forward).
 *
 *   d1 = (ln(F/K) + σ²T/2) / (σ√T)      d2 = d1 − σ√T
 *   call = D·(F·N(d1) − K·N(d2))         put = D·(K·N(−d2) − F·N(−d1))
 *   delta: call D·N(d1), put −D·N(−d1)   vega (per 1.00 of σ) = D·F·φ(d1)·√T
 *
 * Pure math, no imports: safe in the pricing workers and on the main thread alike. Every function
 * takes and returns plain numbers (no objects, no closures) so that the hot path allocates nothing.
 * At expiry (T ≤ 0) or zero vol the price is the intrinsic value and vega is 0.
 */

/** Seconds in the year Black-76 time is measured in (365 days, the usual crypto-options convention). */
export const SECONDS_PER_YEAR = 365 * 86_400;

const INV_SQRT_2PI = 0.3989422804014327;

/** Standard normal density φ(x). */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * Standard normal distribution N(x), Hart (1968) as given by West, "Better approximations to
 * cumulative normal functions" (2005): double precision (|error| < 1e-14) over the whole line,
 * unlike the 1e-7 of Abramowitz–Stegun 26.2.17, which is too coarse for deep out-of-the-money
 * wings priced in 5 USD ticks on a 100 000 USD forward.
 */
export function normCdf(x: number): number {
  const io = cdfScratch;
  io[0] = x;
  cdfAt(io, 0, 1);
  return io[1]!;
}

const cdfScratch = new Float64Array(2);

/**
 * io[to] = N(io[from]): the algorithm itself, on array slots so that no double crosses a call
 * boundary (see `black76Into`).
 */
function cdfAt(io: Float64Array, from: number, to: number): void {
  const x = io[from]!;
  const z = Math.abs(x);
  let c: number;
  if (z > 37) c = 0;
  else {
    const e = Math.exp(-0.5 * z * z);
    if (z < 7.07106781186547) {
      let n = 3.52624965998911e-2 * z + 0.700383064443688;
      n = n * z + 6.37396220353165;
      n = n * z + 33.912866078383;
      n = n * z + 112.079291497871;
      n = n * z + 221.213596169931;
      n = n * z + 220.206867912376;
      let d = 8.83883476483184e-2 * z + 1.75566716318264;
      d = d * z + 16.064177579207;
      d = d * z + 86.7807322029461;
      d = d * z + 296.564248779674;
      d = d * z + 637.333633378831;
      d = d * z + 793.826512519948;
      d = d * z + 440.413735824752;
      c = (e * n) / d;
    } else {
      let d = z + 0.65;
      d = z + 4 / d;
      d = z + 3 / d;
      d = z + 2 / d;
      d = z + 1 / d;
      c = e / d / 2.506628274631;
    }
  }
  io[to] = x > 0 ? 1 - c : c;
}

/** d1; NaN when it is undefined (T ≤ 0, σ ≤ 0, F or K ≤ 0). */
export function d1(forward: number, strike: number, t: number, vol: number): number {
  const sd = vol * Math.sqrt(t);
  if (!(sd > 0 && forward > 0 && strike > 0)) return Number.NaN;
  return (Math.log(forward / strike) + 0.5 * sd * sd) / sd;
}

/** Option price; `isCall` true for a call. Intrinsic (discounted) when T ≤ 0 or σ ≤ 0. */
export function black76Price(isCall: boolean, forward: number, strike: number, t: number, vol: number, discount = 1): number {
  const sd = vol * Math.sqrt(t);
  if (!(sd > 0)) {
    const intrinsic = isCall ? forward - strike : strike - forward;
    return intrinsic > 0 ? discount * intrinsic : 0;
  }
  const a = (Math.log(forward / strike) + 0.5 * sd * sd) / sd;
  const b = a - sd;
  return isCall
    ? discount * (forward * normCdf(a) - strike * normCdf(b))
    : discount * (strike * normCdf(-b) - forward * normCdf(-a));
}

/** ∂price/∂F. Step function of moneyness at T ≤ 0 or σ ≤ 0. */
export function black76Delta(isCall: boolean, forward: number, strike: number, t: number, vol: number, discount = 1): number {
  const a = d1(forward, strike, t, vol);
  if (a !== a) {
    const itm = isCall ? forward > strike : forward < strike;
    return itm ? (isCall ? discount : -discount) : 0;
  }
  return isCall ? discount * normCdf(a) : -discount * normCdf(-a);
}

/** ∂price/∂σ for σ as a fraction: divide by 100 for the change per vol point. 0 when undefined. */
export function black76Vega(forward: number, strike: number, t: number, vol: number, discount = 1): number {
  const a = d1(forward, strike, t, vol);
  if (a !== a) return 0;
  return discount * forward * normPdf(a) * Math.sqrt(t);
}

/** ∂²price/∂F². 0 when undefined. */
export function black76Gamma(forward: number, strike: number, t: number, vol: number, discount = 1): number {
  const a = d1(forward, strike, t, vol);
  if (a !== a) return 0;
  return (discount * normPdf(a)) / (forward * vol * Math.sqrt(t));
}

/**
 * The σ whose Black-76 price is `price`, or NaN when no σ in (0, 10] gives it (below intrinsic,
 * above the no-arbitrage bound). Newton steps from a Brenner–Subrahmanyam start, kept inside a
 * shrinking bracket and replaced by bisection when they leave it: converges in a handful of steps
 * and cannot diverge on the flat wings. Cold path (simulator, tests); allocation-free anyway.
 */
export function black76ImpliedVol(isCall: boolean, price: number, forward: number, strike: number, t: number, discount = 1): number {
  if (!(t > 0 && forward > 0 && strike > 0 && discount > 0)) return Number.NaN;
  let lo = 1e-6;
  let hi = 10;
  const pLo = black76Price(isCall, forward, strike, t, lo, discount);
  const pHi = black76Price(isCall, forward, strike, t, hi, discount);
  if (!(price >= pLo && price <= pHi)) return Number.NaN;
  let vol = Math.sqrt((2 * Math.PI) / t) * (price / (discount * forward));
  if (!(vol > lo && vol < hi)) vol = 0.5;
  for (let k = 0; k < 100; k++) {
    const diff = black76Price(isCall, forward, strike, t, vol, discount) - price;
    if (Math.abs(diff) < 1e-12 * (1 + price)) return vol;
    if (diff > 0) hi = vol;
    else lo = vol;
    const v = black76Vega(forward, strike, t, vol, discount);
    let next = v > 0 ? vol - diff / v : Number.NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - vol) < 1e-15) return next;
    vol = next;
  }
  return vol;
}

/*
 * The hot-path form. V8 passes and returns doubles as heap numbers across a call it does not
 * inline, so a pricer calling `black76Price(…)` per level can allocate per tick. `black76Into`
 * takes its inputs from, and writes its results to, a caller-owned Float64Array (index arguments
 * are small integers, never boxed): nothing is allocated whether or not it is inlined.
 */
export const B76_FORWARD = 0;
export const B76_STRIKE = 1;
/** Years to expiry. */
export const B76_T = 2;
/** σ as a fraction. */
export const B76_VOL = 3;
/** Outputs: price, delta, vega (per 1.00 of σ), all undiscounted. */
export const B76_PRICE = 4;
export const B76_DELTA = 5;
export const B76_VEGA = 6;
const B76_D1 = 7;
const B76_D2 = 8;
const B76_N1 = 9;
const B76_N2 = 10;
export const B76_SLOTS = 11;

/** Black-76 price, delta and vega of io[B76_FORWARD, B76_STRIKE, B76_T, B76_VOL] into io[B76_PRICE …]. */
export function black76Into(io: Float64Array, isCall: boolean): void {
  const f = io[B76_FORWARD]!;
  const k = io[B76_STRIKE]!;
  const t = io[B76_T]!;
  const sqrtT = Math.sqrt(t);
  const sd = io[B76_VOL]! * sqrtT;
  if (!(sd > 0 && f > 0 && k > 0)) {
    const intrinsic = isCall ? f - k : k - f;
    io[B76_PRICE] = intrinsic > 0 ? intrinsic : 0;
    io[B76_DELTA] = intrinsic > 0 ? (isCall ? 1 : -1) : 0;
    io[B76_VEGA] = 0;
    return;
  }
  const a = (Math.log(f / k) + 0.5 * sd * sd) / sd;
  io[B76_D1] = isCall ? a : -a;
  io[B76_D2] = isCall ? a - sd : sd - a;
  cdfAt(io, B76_D1, B76_N1);
  cdfAt(io, B76_D2, B76_N2);
  const n1 = io[B76_N1]!;
  const n2 = io[B76_N2]!;
  // call: F·N(d1) − K·N(d2); put: K·N(−d2) − F·N(−d1) = −(F·N(−d1) − K·N(−d2)).
  io[B76_PRICE] = isCall ? f * n1 - k * n2 : k * n2 - f * n1;
  io[B76_DELTA] = isCall ? n1 : -n1;
  io[B76_VEGA] = f * INV_SQRT_2PI * Math.exp(-0.5 * a * a) * sqrtT;
}

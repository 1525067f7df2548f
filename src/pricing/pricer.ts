/**
 * The pricer interface. A pricer is a plain synchronous function
 *
 *   price(tick, position, params, out): void
 *
 * - `tick`: the newest whole tick of the instrument, indexed by the F_ constants of
 *   `rings/layout.ts` (F_BEST_BID_PRICE, F_MARK_PRICE, …; a missing price is NaN).
 * - `position`: the engine's current position in the instrument (contracts, signed).
 * - `params`: PRICER_PARAMS doubles set with `setParams`; their meaning is the pricer's own.
 * - `out`: a preallocated `QuoteOut`; `out.clear()` was called and `out.instrument` holds the tick
 *   size, lot size and minimum amount. Add levels best first with `addBid` / `addAsk`.
 *
 * It runs once per priced tick on the hot path: allocate nothing, throw nothing (a throw is
 * treated as a crash: the worker is replaced and the instrument pulled meanwhile), keep no
 * per-call closures. To plug one in, write an ES module whose default export is the function (or
 * `{ price }`) and pass its absolute path or file URL as `pricerModule`; workers load it with
 * `import()`, so it must be JavaScript Node can load (build TypeScript first).
 *
 * ```js
 * // my-pricer.mjs
 * export default function price(tick, position, params, out) {
 *   const mid = (tick[1] + tick[3]) / 2;            // F_BEST_BID_PRICE, F_BEST_ASK_PRICE
 *   if (mid === mid) { out.addBid(mid - params[0], 1); out.addAsk(mid + params[0], 1); }
 * }
 * ```
 */
import { MAX_LEVELS } from '../rings/quote-layout.js';
import type { QuoteLevels } from '../rings/quote-slot.js';

/** What a pricer needs to know about an instrument (from `public/instruments`). */
export interface InstrumentSpec {
  readonly name: string;
  /** Price increment. */
  readonly tickSize: number;
  /** Amount increment (Thalex `volume_tick_size`). */
  readonly volumeTickSize: number;
  /** Smallest order amount (Thalex `min_order_amount`). */
  readonly minOrderAmount: number;
  /** Options only (Thalex `option_type`); absent for perpetuals and futures. */
  readonly optionType?: 'call' | 'put';
  /** Options only (Thalex `strike_price`). */
  readonly strike?: number;
  /** Options and futures (Thalex `expiration_timestamp`, Unix seconds). */
  readonly expiry?: number;
}

export type PriceFn = (tick: Float64Array, position: number, params: Float64Array, out: QuoteOut) => void;

/** Preallocated pricer output: up to MAX_LEVELS levels per side, best first. */
export class QuoteOut implements QuoteLevels {
  readonly instrument: InstrumentSpec;
  readonly bidPrices = new Float64Array(MAX_LEVELS);
  readonly bidAmounts = new Float64Array(MAX_LEVELS);
  readonly askPrices = new Float64Array(MAX_LEVELS);
  readonly askAmounts = new Float64Array(MAX_LEVELS);
  bidCount = 0;
  askCount = 0;
  /** Filled by the caller of the pricer (recv time, pricing time); pricers leave it alone. */
  readonly stamps = new Float64Array(2);

  constructor(instrument: InstrumentSpec) {
    this.instrument = instrument;
  }

  clear(): void {
    this.bidCount = 0;
    this.askCount = 0;
  }

  /** Append a bid level; false (and nothing written) when the side is full. */
  addBid(price: number, amount: number): boolean {
    const n = this.bidCount;
    if (n >= MAX_LEVELS) return false;
    this.bidPrices[n] = price;
    this.bidAmounts[n] = amount;
    this.bidCount = n + 1;
    return true;
  }

  /** Append an ask level; false (and nothing written) when the side is full. */
  addAsk(price: number, amount: number): boolean {
    const n = this.askCount;
    if (n >= MAX_LEVELS) return false;
    this.askPrices[n] = price;
    this.askAmounts[n] = amount;
    this.askCount = n + 1;
    return true;
  }
}

/**
 * Accept a loaded pricer module: a default-exported function, or a default/namespace object with
 * a `price` function. Returns null if there is none.
 */
export function pricerFromModule(mod: unknown): PriceFn | null {
  const m = mod as { default?: unknown; price?: unknown } | null;
  if (m === null || (typeof m !== 'object' && typeof m !== 'function')) return null;
  const d = m.default;
  if (typeof d === 'function') return d as PriceFn;
  if (d !== null && typeof d === 'object' && typeof (d as { price?: unknown }).price === 'function') {
    const obj = d as { price: PriceFn };
    return obj.price.bind(obj);
  }
  if (typeof m.price === 'function') return m.price as PriceFn;
  return null;
}

/** Rounding helpers for pricers: exact to the tick even for decimal tick sizes like 0.1. */
export function roundDownTo(value: number, step: number): number {
  const n = Math.floor(value / step + 1e-9);
  return roundStep(n, step);
}

export function roundUpTo(value: number, step: number): number {
  const n = Math.ceil(value / step - 1e-9);
  return roundStep(n, step);
}

/** n × step without the binary noise of the product (0.1 × 3 = 0.30000000000000004). */
function roundStep(n: number, step: number): number {
  const p = n * step;
  // Steps are decimal (0.5, 0.1, 0.0001): snap to 12 significant decimals of the step's scale.
  const r = Math.round(p * 1e9) / 1e9;
  return Math.abs(r - p) < step * 1e-6 ? r : p;
}

/**
 * What the engine's quote loop needs from a pricing back end; `PricingPool` (workers) and
 * `InlinePricer` (main thread) both implement it, so a config switch picks one.
 */
export interface QuoteSource {
  /** Number of instruments (pool indices 0 … count-1). */
  readonly count: number;
  /** After writing tick(s) of instrument `i` into its ring: let the pricer know. No allocation. */
  publishTick(i: number): void;
  /**
   * Copy the newest quote of instrument `i` into `out` (QUOTE_FIELDS, QF_ constants) if it is new
   * since the last successful poll and not priced from an older tick than the last one returned.
   * Never blocks, never torn. No allocation.
   */
  pollQuote(i: number, out: Float64Array): boolean;
  /**
   * Spin (at most `maxSpins` polls of one Int32) until the quote of `i` was priced from tick seq
   * `sourceSeq` or newer. True if it was; then call `pollQuote`.
   */
  awaitQuoteSpin(i: number, sourceSeq: number, maxSpins: number): boolean;
  /**
   * Calls `onResult` once a pricer writes its next quotes, or after a bound: for a quote loop
   * that stopped polling a late worker. False (nothing armed) if quotes landed while it armed:
   * poll again. Quotes written before the call wake nobody: poll once more after arming.
   * Allocates (a promise per wait); the late path only.
   */
  awaitResults(onResult: () => void): boolean;
  /** Set pricer parameters of instrument `i` (copied; cold path). */
  setParams(i: number, params: ArrayLike<number>): void;
  /** Set the engine's position in instrument `i`; the next quote uses it. */
  setPosition(i: number, position: number): void;
  /** False while the pricer of `i` is down (starting, crashed, hung, closed). */
  isQuotable(i: number): boolean;
  close(): Promise<void>;
}

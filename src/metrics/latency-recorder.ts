/**
 * One named latency (values in ns), recorded on the hot path straight into the histograms it is
 * read from, and read, cold, three ways that never disturb each other:
 *
 * - `total`: everything since start (or `reset()`);
 * - `recent()`: two slices, the older dropped when the newer is at least `windowMs` old at a read:
 *   the last `windowMs` to 2 × `windowMs` when something reads at least every `windowMs` (the
 *   monitor reads every second), else the values since the read before last. For live views and
 *   Prometheus quantiles, which must follow the present rather than average the whole session in;
 * - `takeInterval()`: what was recorded since its previous call, for the one consumer of
 *   intervals (the HDR log).
 *
 * Why three records per value rather than one Recorder folded into them on each read: a fold is
 * an `add` that walks every bucket (~40 µs each here, a 1 ns..60 s histogram at 3 digits), and a
 * mean walks them again (~240 µs); `Engine.metrics()` cost ~6 ms on the main thread that way,
 * blocking the socket. Three wasm records cost ~40 ns against ~14 ns for one (measured here), so
 * reads are now percentile walks only, and the mean comes from a running sum. A value belongs to
 * the slice that was current when it was recorded; slices turn over on reads. Single-threaded
 * (main thread).
 */
import type { Histogram } from 'hdr-histogram-js';
import { LatencyHistogram, summarize } from './latency-histogram.js';
import type { LatencyHistogramOptions, LatencySnapshot } from './latency-histogram.js';

export interface LatencyRecorderOptions extends LatencyHistogramOptions {
  /** Length of one slice of the recent window (default 30 000 ms: `recent()` covers 30-60 s). */
  windowMs?: number;
  /** Milliseconds clock (default Date.now); injectable for tests. */
  now?: () => number;
}

const EMPTY: LatencySnapshot = Object.freeze({ count: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, clamped: 0 });

export class LatencyRecorder {
  readonly name: string;
  readonly highestNs: number;
  readonly windowMs: number;
  readonly #now: () => number;
  /** Since start or `reset()`. */
  readonly total: LatencyHistogram;
  /** The newer slice of the recent window… */
  #slice: LatencyHistogram;
  /** …the older one… */
  #previousSlice: LatencyHistogram;
  /** …and the two together (recorded into as well, so that reading the window merges nothing). */
  readonly #window: LatencyHistogram;
  #sliceStart: number;
  /** The total when the HDR log's interval last ended: the interval is the difference. */
  readonly #atInterval: LatencyHistogram;
  #intervalStart: number;
  readonly #scratch: LatencyHistogram;
  #destroyed = false;

  constructor(name: string, options: LatencyRecorderOptions = {}) {
    this.name = name;
    this.windowMs = options.windowMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.total = new LatencyHistogram(name, options);
    this.highestNs = this.total.highestNs;
    this.#slice = new LatencyHistogram(name, options);
    this.#previousSlice = new LatencyHistogram(name, options);
    this.#window = new LatencyHistogram(name, options);
    this.#atInterval = new LatencyHistogram(name, options);
    this.#scratch = new LatencyHistogram(name, options);
    this.#sliceStart = this.#intervalStart = this.#now();
  }

  /**
   * Hot path: three HDR records, no allocation. Out-of-range values (negative, NaN, above
   * highestNs) are clamped to the bounds and counted in the snapshots' `clamped`.
   */
  record(valueNs: number): void {
    if (this.#destroyed) return;
    this.total.record(valueNs);
    this.#slice.record(valueNs);
    this.#window.record(valueNs);
  }

  /**
   * Turns the recent window's slices over when the newer one is full (cold: on reads). The older
   * slice leaves the window and the newer one becomes the older, however long ago the last read
   * was: values recorded just before a late read stay in the window.
   */
  #turn(): void {
    const now = this.#now();
    if (now - this.#sliceStart < this.windowMs) return;
    this.#window.subtract(this.#previousSlice);
    const done = this.#previousSlice;
    this.#previousSlice = this.#slice;
    this.#slice = done;
    this.#slice.reset();
    this.#sliceStart = now;
  }

  /** Everything since start (or `reset()`). */
  snapshotTotal(): LatencySnapshot {
    if (this.#destroyed) return EMPTY;
    return this.total.snapshot();
  }

  /** Σ of every value since start (or `reset()`), ns. */
  totalSumNs(): number {
    return this.#destroyed ? 0 : this.total.sumNs;
  }

  /** Values at `percentiles` (0-100) since start, × `scale`, into `out` (allocates nothing). */
  totalAtPercentiles(percentiles: ArrayLike<number>, out: { length: number; [i: number]: number }, scale = 1): void {
    if (this.#destroyed) return;
    this.total.valuesAtPercentiles(percentiles, out, scale);
  }

  recent(): LatencySnapshot {
    if (this.#destroyed) return EMPTY;
    this.#turn();
    return this.#window.snapshot();
  }

  /** Values at `percentiles` over the recent window, × `scale`, into `out`. */
  recentAtPercentiles(percentiles: ArrayLike<number>, out: { length: number; [i: number]: number }, scale = 1): void {
    if (this.#destroyed) return;
    this.#turn();
    this.#window.valuesAtPercentiles(percentiles, out, scale);
  }

  /**
   * Ends the interval of the HDR log (its only consumer) and returns it with its bounds; the
   * histogram stays valid until the next call. Cold: two walks over the buckets.
   */
  takeInterval(): { histogram: Histogram; snapshot: LatencySnapshot; startMs: number; endMs: number } {
    const startMs = this.#intervalStart;
    const endMs = this.#now();
    this.#intervalStart = endMs;
    if (this.#destroyed) return { histogram: this.#scratch.raw, snapshot: EMPTY, startMs, endMs };
    this.#scratch.reset();
    this.#scratch.add(this.total);
    this.#scratch.subtract(this.#atInterval);
    this.#atInterval.reset();
    this.#atInterval.add(this.total);
    return { histogram: this.#scratch.raw, snapshot: this.#scratch.snapshot(), startMs, endMs };
  }

  /** The total as an hdr-histogram-js histogram (for HistogramLogWriter). */
  totalRaw(): Histogram {
    return this.total.raw;
  }

  /** Drops every value recorded so far (a warm-up), in all three views. */
  reset(): void {
    if (this.#destroyed) return;
    for (const h of [this.total, this.#slice, this.#previousSlice, this.#window, this.#atInterval]) h.reset();
    this.#sliceStart = this.#intervalStart = this.#now();
  }

  /** Frees the WebAssembly memory; every read after returns empty. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const h of [this.total, this.#slice, this.#previousSlice, this.#window, this.#atInterval, this.#scratch]) h.destroy();
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }
}

export { summarize };

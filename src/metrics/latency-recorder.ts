/**
 * One named latency (values in ns), recorded on the hot path through hdr-histogram-js's
 * Recorder and read, cold, three ways that never disturb each other:
 *
 * - `total`: everything since start (or `reset()`);
 * - `recent()`: the last `windowMs` to 2 × `windowMs` (two slices, the older dropped when the
 *   newer is full), for live views and Prometheus quantiles, which must follow the present rather
 *   than average the whole session in;
 * - `takeInterval()`: what was recorded since its previous call, for the one consumer of
 *   intervals (the HDR log).
 *
 * The Recorder's own interval is internal bookkeeping: any read first moves what it holds into
 * all three (`#fold`). So a reader never ends an interval another reader sees: `metrics()` called
 * any number of times leaves the HDR log's intervals as they were. Single-threaded (main thread),
 * so the Recorder's swap needs no phaser.
 */
import { Recorder } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { LatencyHistogram, histogramRequest, summarize } from './latency-histogram.js';
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
  readonly #recorder: Recorder;
  /** The Recorder's last interval histogram, handed back to it for reuse (no allocation per fold). */
  #recycled: Histogram | undefined;
  /** Since start or `reset()`. */
  readonly total: LatencyHistogram;
  #slice: LatencyHistogram;
  #previousSlice: LatencyHistogram;
  #sliceStart: number;
  readonly #sinceInterval: LatencyHistogram;
  #intervalStart: number;
  readonly #scratch: LatencyHistogram;
  /** Values clamped into range, not yet folded (the Recorder does not count them). */
  #clamped = 0;
  #destroyed = false;

  constructor(name: string, options: LatencyRecorderOptions = {}) {
    const request = histogramRequest(options);
    this.name = name;
    this.highestNs = request.highestTrackableValue!;
    this.windowMs = options.windowMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#recorder = new Recorder(request, this.#now);
    this.total = new LatencyHistogram(name, options);
    this.#slice = new LatencyHistogram(name, options);
    this.#previousSlice = new LatencyHistogram(name, options);
    this.#sinceInterval = new LatencyHistogram(name, options);
    this.#scratch = new LatencyHistogram(name, options);
    this.#sliceStart = this.#intervalStart = this.#now();
  }

  /**
   * Hot path: one range check and one HDR record; no allocation. Out-of-range values (negative,
   * NaN, above highestNs) are clamped to the bounds and counted in the snapshots' `clamped`.
   */
  record(valueNs: number): void {
    let v = valueNs;
    if (v >= 0 && v <= this.highestNs) v = Math.round(v);
    else v = this.#clampSlow(v);
    this.#recorder.recordValue(v);
  }

  #clampSlow(v: number): number {
    this.#clamped++;
    return v > this.highestNs ? this.highestNs : 0;
  }

  /** Moves what the Recorder holds into the total, the recent window and the open interval. */
  #fold(): void {
    if (this.#destroyed) return;
    const now = this.#now();
    if (now - this.#sliceStart >= this.windowMs) {
      // The older slice leaves the window; two slices apart, both leave it.
      const stale = now - this.#sliceStart >= 2 * this.windowMs;
      const done = this.#slice;
      this.#slice = this.#previousSlice;
      this.#previousSlice = done;
      this.#slice.reset();
      if (stale) this.#previousSlice.reset();
      this.#sliceStart = now;
    }
    const h = this.#recorder.getIntervalHistogram(this.#recycled);
    this.#recycled = h;
    if (h.totalCount === 0 && this.#clamped === 0) return;
    const clamped = this.#clamped;
    this.#clamped = 0;
    this.total.addRaw(h, clamped);
    this.#slice.addRaw(h, clamped);
    this.#sinceInterval.addRaw(h, clamped);
  }

  /** Everything since start (or `reset()`). */
  snapshotTotal(): LatencySnapshot {
    if (this.#destroyed) return EMPTY;
    this.#fold();
    return this.total.snapshot();
  }

  /** Values at `percentiles` (0-100) since start, × `scale`, into `out` (allocates nothing). */
  totalAtPercentiles(percentiles: ArrayLike<number>, out: { length: number; [i: number]: number }, scale = 1): void {
    this.#fold();
    this.total.valuesAtPercentiles(percentiles, out, scale);
  }

  /** The recent window (the last `windowMs` to 2 × `windowMs`) as one histogram, valid until the next read. */
  #recentHistogram(): LatencyHistogram {
    this.#fold();
    this.#scratch.reset();
    this.#scratch.add(this.#previousSlice);
    this.#scratch.add(this.#slice);
    return this.#scratch;
  }

  recent(): LatencySnapshot {
    if (this.#destroyed) return EMPTY;
    return this.#recentHistogram().snapshot();
  }

  /** Values at `percentiles` over the recent window, × `scale`, into `out`. */
  recentAtPercentiles(percentiles: ArrayLike<number>, out: { length: number; [i: number]: number }, scale = 1): void {
    this.#recentHistogram().valuesAtPercentiles(percentiles, out, scale);
  }

  /**
   * Ends the interval of the HDR log (its only consumer) and returns it with its bounds; the
   * histogram stays valid until the next call.
   */
  takeInterval(): { histogram: Histogram; snapshot: LatencySnapshot; startMs: number; endMs: number } {
    this.#fold();
    const startMs = this.#intervalStart;
    const endMs = this.#now();
    this.#intervalStart = endMs;
    // Copied out so that the open interval starts empty while the caller reads this one.
    this.#scratch.reset();
    this.#scratch.add(this.#sinceInterval);
    this.#sinceInterval.reset();
    return { histogram: this.#scratch.raw, snapshot: this.#scratch.snapshot(), startMs, endMs };
  }

  /** The total as an hdr-histogram-js histogram (for HistogramLogWriter). */
  totalRaw(): Histogram {
    this.#fold();
    return this.total.raw;
  }

  /** Drops every value recorded so far (a warm-up), in all three views. */
  reset(): void {
    this.#fold();
    for (const h of [this.total, this.#slice, this.#previousSlice, this.#sinceInterval]) h.reset();
    this.#sliceStart = this.#intervalStart = this.#now();
  }

  /** Frees the WebAssembly memory; every read after returns empty. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#recorder.destroy();
    this.#recycled?.destroy();
    for (const h of [this.total, this.#slice, this.#previousSlice, this.#sinceInterval, this.#scratch]) h.destroy();
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }
}

export { summarize };

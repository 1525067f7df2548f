/**
 * Interval recording in the shape of HdrHistogramJS's Recorder: values go into the active
 * histogram; `interval()` swaps active and inactive (no allocation, memory reused every interval)
 * and folds the finished interval into a running total. Single-threaded (main thread), so the swap
 * needs no phaser.
 */
import { LatencyHistogram } from './latency-histogram.js';
import type { LatencyHistogramOptions, LatencySnapshot } from './latency-histogram.js';

export class IntervalRecorder {
  readonly name: string;
  private active: LatencyHistogram;
  private inactive: LatencyHistogram;
  /** Everything since creation (or `resetTotal`), updated at each `interval()`. */
  readonly total: LatencyHistogram;
  private intervalStartMs: number;
  private lastStartMs = 0;
  private lastEndMs = 0;

  constructor(name: string, options?: LatencyHistogramOptions) {
    this.name = name;
    this.active = new LatencyHistogram(name, options);
    this.inactive = new LatencyHistogram(name, options);
    this.total = new LatencyHistogram(name, options);
    this.intervalStartMs = Date.now();
  }

  /** Hot path: one clamp check and one HDR record; no allocation. */
  record(valueNs: number): void {
    this.active.record(valueNs);
  }

  /**
   * End the current interval and return its histogram; it stays valid (and unchanged) until the
   * next call, which recycles it.
   */
  interval(): LatencyHistogram {
    const done = this.active;
    this.inactive.reset();
    this.active = this.inactive;
    this.inactive = done;
    this.total.add(done);
    this.lastStartMs = this.intervalStartMs;
    this.lastEndMs = Date.now();
    this.intervalStartMs = this.lastEndMs;
    return done;
  }

  /** Wall-clock bounds (ms since epoch) of the interval last returned by `interval()`. */
  get lastInterval(): { startMs: number; endMs: number } {
    return { startMs: this.lastStartMs, endMs: this.lastEndMs };
  }

  /** Snapshot of the total plus what the active interval holds so far. */
  snapshotTotal(): LatencySnapshot {
    return this.total.snapshot();
  }

  resetTotal(): void {
    this.total.reset();
  }

  destroy(): void {
    this.active.destroy();
    this.inactive.destroy();
    this.total.destroy();
  }
}

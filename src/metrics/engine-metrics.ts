/**
 * The engine's named latency recorders (all in ns): quote round trip, cancel round trip,
 * tick-to-wire (tick received → mass_quote written to the socket) and pricing time. Each is a
 * LatencyRecorder (hdr-histogram-js Recorder underneath); `intervalReport()` ends the HDR log's
 * interval on all of them (once per reporting period, by its one consumer) and `writeLog` emits
 * those intervals in the HdrHistogram V2 log format for offline analysis (HistogramLogAnalyzer,
 * hdr-plot). Reading totals or the recent window ends no interval.
 */
import { HistogramLogWriter } from 'hdr-histogram-js';
import { LatencyRecorder, type LatencyRecorderOptions } from './latency-recorder.js';
import type { LatencySnapshot } from './latency-histogram.js';

export const METRIC_NAMES = ['quoteRtt', 'cancelRtt', 'tickToWire', 'pricing'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface IntervalReport {
  startMs: number;
  endMs: number;
  interval: Record<MetricName, LatencySnapshot>;
  total: Record<MetricName, LatencySnapshot>;
}

export class EngineMetrics {
  readonly quoteRtt: LatencyRecorder;
  readonly cancelRtt: LatencyRecorder;
  readonly tickToWire: LatencyRecorder;
  readonly pricing: LatencyRecorder;
  private writer: HistogramLogWriter | null = null;
  private readonly startMs = Date.now();

  constructor(options?: LatencyRecorderOptions) {
    this.quoteRtt = new LatencyRecorder('quoteRtt', options);
    this.cancelRtt = new LatencyRecorder('cancelRtt', options);
    this.tickToWire = new LatencyRecorder('tickToWire', options);
    this.pricing = new LatencyRecorder('pricing', options);
  }

  /**
   * Send the HDR log (V2 text: header, then one tagged line per histogram per interval) to `sink`,
   * e.g. a file stream's write. Max values are logged in µs (ratio 1000).
   */
  writeLog(sink: (chunk: string) => void): void {
    const w = new HistogramLogWriter(sink);
    w.outputLogFormatVersion();
    w.outputStartTime(this.startMs);
    w.baseTime = this.startMs;
    w.outputLegend();
    this.writer = w;
  }

  /** End the interval on every histogram; returns snapshots and logs the intervals if enabled. */
  intervalReport(): IntervalReport {
    const interval = {} as Record<MetricName, LatencySnapshot>;
    const total = {} as Record<MetricName, LatencySnapshot>;
    let startMs = 0;
    let endMs = 0;
    for (const name of METRIC_NAMES) {
      const rec = this[name];
      const i = rec.takeInterval();
      startMs = i.startMs;
      endMs = i.endMs;
      interval[name] = i.snapshot;
      total[name] = rec.snapshotTotal();
      if (this.writer !== null) {
        i.histogram.tag = name;
        this.writer.outputIntervalHistogram(i.histogram, (i.startMs - this.startMs) / 1000, (i.endMs - this.startMs) / 1000, 1000);
      }
    }
    return { startMs, endMs, interval, total };
  }

  /** The recent window of each (see LatencyRecorder.recent), in ns. */
  recent(): Record<MetricName, LatencySnapshot> {
    const out = {} as Record<MetricName, LatencySnapshot>;
    for (const name of METRIC_NAMES) out[name] = this[name].recent();
    return out;
  }

  get destroyed(): boolean {
    return this.quoteRtt.destroyed;
  }

  destroy(): void {
    for (const name of METRIC_NAMES) this[name].destroy();
  }
}

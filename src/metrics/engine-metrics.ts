/**
 * The engine's named latency histograms (all in ns): quote round trip, cancel round trip,
 * tick-to-wire (tick received → mass_quote written to the socket) and pricing time. Each is an
 * IntervalRecorder; `intervalReport()` ends the interval on all of them (once per reporting
 * period) and `writeLog` emits the interval histograms in the HdrHistogram V2 log format for
 * offline analysis (HistogramLogAnalyzer, hdr-plot).
 */
import { HistogramLogWriter } from 'hdr-histogram-js';
import { IntervalRecorder } from './interval-recorder.js';
import type { LatencyHistogramOptions, LatencySnapshot } from './latency-histogram.js';

export const METRIC_NAMES = ['quoteRtt', 'cancelRtt', 'tickToWire', 'pricing'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface IntervalReport {
  startMs: number;
  endMs: number;
  interval: Record<MetricName, LatencySnapshot>;
  total: Record<MetricName, LatencySnapshot>;
}

export class EngineMetrics {
  readonly quoteRtt: IntervalRecorder;
  readonly cancelRtt: IntervalRecorder;
  readonly tickToWire: IntervalRecorder;
  readonly pricing: IntervalRecorder;
  private writer: HistogramLogWriter | null = null;
  private readonly startMs = Date.now();

  constructor(options?: LatencyHistogramOptions) {
    this.quoteRtt = new IntervalRecorder('quoteRtt', options);
    this.cancelRtt = new IntervalRecorder('cancelRtt', options);
    this.tickToWire = new IntervalRecorder('tickToWire', options);
    this.pricing = new IntervalRecorder('pricing', options);
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
      const h = rec.interval();
      const b = rec.lastInterval;
      startMs = b.startMs;
      endMs = b.endMs;
      interval[name] = h.snapshot();
      total[name] = rec.total.snapshot();
      if (this.writer !== null) {
        this.writer.outputIntervalHistogram(h.raw, (b.startMs - this.startMs) / 1000, (b.endMs - this.startMs) / 1000, 1000);
      }
    }
    return { startMs, endMs, interval, total };
  }

  destroy(): void {
    for (const name of METRIC_NAMES) this[name].destroy();
  }
}

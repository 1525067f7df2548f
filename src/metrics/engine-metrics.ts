/**
 * The engine's named latency histograms (all in ns): quote round trip and cancel round trip
 * (just before the send call → the read that brought the reply), tick-to-wire (the read that
 * brought the newest tick behind a quote → just before its send call), tick-to-reply (that read →
 * the read that brought the quote's reply) and pricing time. Each is a LatencyRecorder
 * (hdr-histogram-js histograms underneath); `intervalReport()` ends the HDR log's interval on all of
 * them (once per reporting period, by its one consumer) and `writeLog` emits those intervals in
 * the HdrHistogram V2 log format for offline analysis (HistogramLogAnalyzer, hdr-plot). Reading
 * totals or the recent window ends no interval.
 */
import { HistogramLogWriter } from 'hdr-histogram-js';
import type { LatencySnapshot } from './latency-histogram.js';
import { LatencyRecorder, type LatencyRecorderOptions } from './latency-recorder.js';

export const METRIC_NAMES = ['quoteRtt', 'cancelRtt', 'tickToWire', 'tickToReply', 'pricing'] as const;
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
  readonly tickToReply: LatencyRecorder;
  readonly pricing: LatencyRecorder;
  private writer: HistogramLogWriter | null = null;
  private readonly startMs = Date.now();

  constructor(options?: LatencyRecorderOptions) {
    this.quoteRtt = new LatencyRecorder('quoteRtt', options);
    this.cancelRtt = new LatencyRecorder('cancelRtt', options);
    this.tickToWire = new LatencyRecorder('tickToWire', options);
    this.tickToReply = new LatencyRecorder('tickToReply', options);
    this.pricing = new LatencyRecorder('pricing', options);
  }

  /**
   * Send the HDR log (V2 text: header, then one tagged line per histogram per interval) to `sink`,
   * e.g. a file stream's write. Max values are logged in µs (ratio 1000).
   */
  writeLog(sink: (chunk: string) => void): void {
    this.writer = this.#logWriter(sink, undefined, this.startMs);
  }

  /**
   * The four histograms' totals (since start or the last reset) as an HdrHistogram V2 log, one
   * tagged line each, values in ns: for HistogramLogAnalyzer or hdr-plot. Cold.
   */
  totalsLog(): string {
    let out = '';
    const w = this.#logWriter(
      (chunk: string) => {
        out += chunk;
      },
      'thalex-quoter engine histograms, values in ns',
      undefined,
    );
    for (const name of METRIC_NAMES) {
      const h = this[name].totalRaw();
      h.tag = name;
      w.outputIntervalHistogram(h, 0, 0, 1000);
    }
    return out;
  }

  /** Every histogram's total (ns). Cold. */
  totals(): Record<MetricName, LatencySnapshot> {
    const out = {} as Record<MetricName, LatencySnapshot>;
    for (const name of METRIC_NAMES) out[name] = this[name].snapshotTotal();
    return out;
  }

  /** The recent window of each (see LatencyRecorder.recent), in ns. */
  recent(): Record<MetricName, LatencySnapshot> {
    const out = {} as Record<MetricName, LatencySnapshot>;
    for (const name of METRIC_NAMES) out[name] = this[name].recent();
    return out;
  }

  /**
   * Every histogram's total at `percentiles` (0-100), divided by 1000 (ns → µs). Cold: once per
   * monitor interval; the HDR reads themselves allocate nothing.
   */
  distribution(percentiles: readonly number[]): Record<MetricName, number[]> {
    const out = {} as Record<MetricName, number[]>;
    for (const name of METRIC_NAMES) {
      const v = new Array<number>(percentiles.length);
      this[name].totalAtPercentiles(percentiles, v, 1e-3);
      out[name] = v;
    }
    return out;
  }

  /** Drops every sample recorded so far (e.g. a warm-up). */
  resetTotals(): void {
    for (const name of METRIC_NAMES) this[name].reset();
  }

  /** The one place an HDR log header is written, for the streaming log and the totals log alike. */
  #logWriter(sink: (chunk: string) => void, comment: string | undefined, startMs: number | undefined): HistogramLogWriter {
    const w = new HistogramLogWriter(sink);
    w.outputLogFormatVersion();
    if (comment !== undefined) w.outputComment(comment);
    if (startMs !== undefined) {
      w.outputStartTime(startMs);
      w.baseTime = startMs;
    }
    w.outputLegend();
    return w;
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

  destroy(): void {
    for (const name of METRIC_NAMES) this[name].destroy();
  }

  get destroyed(): boolean {
    return this.quoteRtt.destroyed;
  }
}

import type { LatencyPercentiles } from '../../src/engine/metrics-snapshot.js';

/** Latency summary of one measured case (unit in the case), the engine's percentiles plus the mean. */
export interface LatencySummary extends LatencyPercentiles {
  mean: number;
}

/** One row of a suite's results. */
export interface CaseResult {
  /** e.g. "quote RTT, 1 instrument, 1k ticks/s". */
  name: string;
  /** Unit of the summary values. */
  unit: 'µs' | 'ns';
  summary: LatencySummary;
  /** Percentile distribution for the chart: [percentile, value] pairs. */
  distribution?: Array<[number, number]>;
  /** Name of the case in the same suite this one is compared against, if any. */
  baselines?: string[];
  /** Free-form extra figures (ops/s, bytes/op, GCs per 100k). */
  extra?: Record<string, number | string>;
}

export interface SuiteResult {
  suite: string;
  /** What the suite measured, one line. */
  description: string;
  cases: CaseResult[];
  notes?: string[];
  /** For suites against a simulator process: which server it ran on. */
  simulator?: string;
}

export interface BenchOptions {
  quick: boolean;
  /** Seconds per measured case, where a suite runs for a duration. */
  durationSec: number;
  /** Ticks per second, for rate-driven suites. */
  rates: number[];
  /** Instrument counts, for suites that vary them. */
  instruments: number[];
  /** Progress line writer. */
  progress(message: string): void;
}

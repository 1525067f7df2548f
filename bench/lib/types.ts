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
  /** Interleaved repeats behind the summary (each percentile is the median over them). */
  repeats?: number;
  /** Per-repeat ratios to other cases of the same run, summarised as median (min–max). */
  ratios?: RatioSet[];
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

/** A ratio over repeats: its median and range. */
export interface RatioRange {
  median: number;
  min: number;
  max: number;
}

/** This case's percentiles divided by `baseline`'s, repeat by repeat. */
export interface RatioSet {
  baseline: string;
  p50: RatioRange;
  p90: RatioRange;
  p99: RatioRange;
  p999: RatioRange;
}

import type { EngineState } from '../engine/events.js';
import type { LatencyDistribution, LatencyPercentiles, RecentLatency } from '../engine/metrics-snapshot.js';
import type { BookRow } from './source.js';

/**
 * One monitor reading, taken once per interval. It is both what `/ws` pushes to the page (as
 * JSON) and what `/metrics` is built from, so the page and Prometheus never disagree.
 */
export interface MonitorSample {
  /** Wall clock, ms since the epoch (the page's x axis). */
  t: number;
  state: EngineState;
  reconnects: number;
  latency: {
    quoteRtt: LatencyPercentiles;
    cancelRtt: LatencyPercentiles;
    tickToWire: LatencyPercentiles;
    pricing: LatencyPercentiles;
  };
  /**
   * The HDR percentile distribution since start: each histogram's value (µs) at every one of
   * `percentiles` (DISTRIBUTION_PERCENTILES). Null when the source has no `latencyDistribution()`
   * or no histograms yet (before the first connection, after stop).
   */
  distribution: ({ percentiles: readonly number[] } & LatencyDistribution) | null;
  /** The same latencies over the engine's recent window (the over-time chart); null when the source has none. */
  recentLatency: RecentLatency | null;
  /** The distribution over the recent window; null when the source has none. */
  recentDistribution: ({ percentiles: readonly number[] } & LatencyDistribution) | null;
  quotesSent: number;
  cancelsSent: number;
  ticks: number;
  lost: number;
  /** Rates over the last interval (per second); null on the first sample (no interval yet). */
  quotesPerSec: number | null;
  errorsPerSec: number | null;
  /** Cumulative, by Thalex error code. */
  sideErrors: Record<string, number>;
  requestErrors: Record<string, number>;
  riskPulls: Record<string, number>;
  positions: Record<string, number>;
  protection: Record<string, string>;
  /** Counted by the monitor from engine events since it started. */
  fills: number;
  protectionTrips: number;
  /** Null when the source has no `book()`. */
  book: BookRow[] | null;
}

/**
 * The percentiles the distribution chart reads every interval: dense near the median, then each
 * step closer to 100 (the HDR plot's 1/(1-p) axis spreads them evenly), and the max.
 */
export const DISTRIBUTION_PERCENTILES: readonly number[] = Object.freeze([0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100]);

/** What `/ws` sends: the recent history once on open, then one sample per interval. */
export type PushMessage = { type: 'history'; samples: MonitorSample[] } | { type: 'sample'; sample: MonitorSample };

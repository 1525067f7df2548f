import type { EngineState } from '../engine/events.js';
import type { LatencyPercentiles } from '../engine/metrics-snapshot.js';
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

/** What `/ws` sends: the recent history once on open, then one sample per interval. */
export type PushMessage = { type: 'history'; samples: MonitorSample[] } | { type: 'sample'; sample: MonitorSample };

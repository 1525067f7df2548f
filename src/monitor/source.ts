import type { EngineEvents, EngineState } from '../engine/events.js';
import type { EngineMetricsSnapshot, LatencyDistribution } from '../engine/metrics-snapshot.js';

import type { BookRow } from '../engine/loop-report.js';

/** One instrument's top of book next to our own quote (null where a side is absent): the engine's own row type. */
export type { BookRow };

/**
 * What the monitor reads: a structural subset of `Engine`, so the monitor depends on no engine
 * internals and tests can drive it with a plain object. Everything here is read once per monitor
 * interval, never on the engine's hot path.
 */
export interface MonitorSource {
  readonly state: EngineState;
  readonly reconnects: number;
  metrics(): EngineMetricsSnapshot;
  positions(): Record<string, number>;
  protectionStates(): Record<string, string>;
  kill(): Promise<void>;
  resume(): void;
  /** Used only to count fills and protection trips. */
  on<K extends keyof EngineEvents>(event: K, listener: (...args: EngineEvents[K]) => void): unknown;
  /** Detaches the counting listeners on `close()`. */
  off<K extends keyof EngineEvents>(event: K, listener: (...args: EngineEvents[K]) => void): unknown;
  /** Market and our quotes per instrument; when absent the page hides the book panel. */
  book?(): BookRow[];
  /**
   * Each latency histogram (µs) at `percentiles`, since start (`total`, the default) or over the
   * recent window, for the distribution chart; null while there are no histograms. When absent (or null) the page plots the snapshot's p50…max instead.
   */
  latencyDistribution?(percentiles: readonly number[], window?: 'total' | 'recent'): LatencyDistribution | null;
}

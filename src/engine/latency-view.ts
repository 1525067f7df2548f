import { METRIC_NAMES, type EngineMetrics } from '../metrics/engine-metrics.js';
import type { LatencySnapshot } from '../metrics/latency-histogram.js';
import type { EngineMetricsSnapshot, LatencyDistribution, LatencyPercentiles } from './metrics-snapshot.js';

/**
 * The engine's latency figures read from its live histograms (cold: a status line, the monitor,
 * a Prometheus scrape), in microseconds. Reading ends no histogram interval.
 */

const us = (s: LatencySnapshot): LatencyPercentiles => ({ count: s.count, p50: s.p50 / 1000, p90: s.p90 / 1000, p99: s.p99 / 1000, p999: s.p999 / 1000, max: s.max / 1000, sum: (s.mean * s.count) / 1000 });

/** Adds the recent window, and each total's sum, to `snap`. */
export function addLatencies(snap: EngineMetricsSnapshot, h: EngineMetrics): void {
  const recent = h.recent();
  snap.recent = { windowSeconds: h.quoteRtt.windowMs / 1000, quoteRtt: us(recent.quoteRtt), cancelRtt: us(recent.cancelRtt), tickToWire: us(recent.tickToWire), tickToReply: us(recent.tickToReply), pricing: us(recent.pricing) };
  for (const name of METRIC_NAMES) {
    const t = h[name].snapshotTotal();
    snap[name] = { ...snap[name], sum: (t.mean * t.count) / 1000 };
  }
}

/** Each histogram's recent window at each of `percentiles` (0-100). */
export function recentDistribution(h: EngineMetrics, percentiles: readonly number[]): LatencyDistribution {
  const read = (name: (typeof METRIC_NAMES)[number]): number[] => {
    const out = new Array<number>(percentiles.length);
    h[name].recentAtPercentiles(percentiles, out, 1e-3);
    return out;
  };
  return { quoteRtt: read('quoteRtt'), cancelRtt: read('cancelRtt'), tickToWire: read('tickToWire'), tickToReply: read('tickToReply'), pricing: read('pricing') };
}

import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from './types.js';

/** An HDR histogram in nanoseconds, 1 ns to 60 s, 3 significant digits (as the engine's). */
export function nsHistogram(): hdr.Histogram {
  return hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, autoResize: false });
}

/** Records a span given in milliseconds (performance.now() differences) as nanoseconds. */
export function recordMs(h: hdr.Histogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1e6)));
}

const PCTS = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100];

/**
 * Summary and a percentile distribution of a histogram recorded in ns, each value passed through
 * `unit` (default ns → µs).
 */
export function summarize(h: hdr.Histogram, unit: (ns: number) => number = (v) => v / 1000): { summary: LatencySummary; distribution: Array<[number, number]> } {
  return {
    summary: {
      count: h.totalCount,
      p50: unit(h.getValueAtPercentile(50)),
      p90: unit(h.getValueAtPercentile(90)),
      p99: unit(h.getValueAtPercentile(99)),
      p999: unit(h.getValueAtPercentile(99.9)),
      max: unit(h.maxValue),
      mean: unit(h.mean),
    },
    distribution: PCTS.map((p): [number, number] => [p, unit(h.getValueAtPercentile(p))]),
  };
}

import * as hdr from 'hdr-histogram-js';

/** An HDR histogram in nanoseconds, 1 ns to 60 s, 3 significant digits (as the engine's). */
export function nsHistogram(): hdr.Histogram {
  return hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, autoResize: false });
}

/** Records a span given in milliseconds (performance.now() differences) as nanoseconds. */
export function recordMs(h: hdr.Histogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1e6)));
}

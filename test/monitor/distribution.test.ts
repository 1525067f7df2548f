import { afterAll, describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/metrics/latency-histogram.js';
import { DISTRIBUTION_PERCENTILES } from '../../src/monitor/index.js';

/** The read behind the monitor's HDR distribution chart (LatencyHistogram.valuesAtPercentiles). */
describe('valuesAtPercentiles', () => {
  const h = new LatencyHistogram('t');
  afterAll(() => h.destroy());

  it('reads an empty histogram as zeros', () => {
    const out = new Float64Array(DISTRIBUTION_PERCENTILES.length).fill(7);
    h.valuesAtPercentiles(DISTRIBUTION_PERCENTILES, out);
    expect([...out]).toEqual(DISTRIBUTION_PERCENTILES.map(() => 0));
  });

  it('writes the HDR value at each percentile, scaled, into the array it is given', () => {
    for (let v = 1; v <= 10_000; v++) h.record(v * 1000); // 1 µs … 10 ms, in ns
    const out = new Float64Array(DISTRIBUTION_PERCENTILES.length);
    h.valuesAtPercentiles(DISTRIBUTION_PERCENTILES, out, 1e-3);
    DISTRIBUTION_PERCENTILES.forEach((p, i) => expect(out[i]).toBe(h.valueAtPercentile(p) * 1e-3));
    for (let i = 1; i < out.length; i++) expect(out[i]).toBeGreaterThanOrEqual(out[i - 1]!);
    // within the histogram's 3 significant digits of the exact rank
    expect(out[DISTRIBUTION_PERCENTILES.indexOf(50)]).toBeCloseTo(5000, -1);
    expect(out[DISTRIBUTION_PERCENTILES.indexOf(99.9)]).toBeCloseTo(9990, -2);
    expect(out.at(-1)).toBeCloseTo(10_000, -2);
  });
});

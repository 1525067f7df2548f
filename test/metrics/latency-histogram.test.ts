import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { EngineMetrics } from '../../src/metrics/engine-metrics.js';
import { HistogramConfigError } from '../../src/metrics/errors.js';
import { LatencyRecorder } from '../../src/metrics/latency-recorder.js';
import { LatencyHistogram } from '../../src/metrics/latency-histogram.js';
import { gcsDuring } from '../helpers/gc-count.js';

describe('LatencyHistogram', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`percentiles of a known uniform distribution (${backend})`, () => {
      const h = new LatencyHistogram('t', { backend, highestNs: 1e9 });
      for (let v = 1; v <= 100_000; v++) h.record(v);
      const s = h.snapshot();
      expect(s.count).toBe(100_000);
      expect(s.min).toBe(1);
      // 3 significant digits: within 0.1% of the exact percentile.
      expect(Math.abs(s.p50 - 50_000) / 50_000).toBeLessThan(0.001);
      expect(Math.abs(s.p90 - 90_000) / 90_000).toBeLessThan(0.001);
      expect(Math.abs(s.p99 - 99_000) / 99_000).toBeLessThan(0.001);
      expect(Math.abs(s.p999 - 99_900) / 99_900).toBeLessThan(0.001);
      expect(Math.abs(s.max - 100_000) / 100_000).toBeLessThan(0.001);
      expect(Math.abs(s.mean - 50_000.5) / 50_000).toBeLessThan(0.001);
      expect(s.clamped).toBe(0);
      h.destroy();
    });
  }

  it('clamps and counts out-of-range values instead of throwing', () => {
    const h = new LatencyHistogram('t', { highestNs: 1_000_000 });
    h.record(-5);
    h.record(NaN);
    h.record(5e12);
    h.record(Infinity);
    h.record(500);
    const s = h.snapshot();
    expect(s.count).toBe(5);
    expect(s.clamped).toBe(4);
    expect(Math.abs(s.max - 1_000_000) / 1e6).toBeLessThan(0.001);
    expect(s.min).toBe(0);
    h.reset();
    expect(h.snapshot()).toMatchObject({ count: 0, clamped: 0, p99: 0 });
  });

  it('rejects unusable bounds with METRICS_ERR_CONFIG', () => {
    expect(() => new LatencyHistogram('t', { lowestNs: 0 })).toThrow(HistogramConfigError);
    expect(() => new LatencyHistogram('t', { lowestNs: 10, highestNs: 15 })).toThrow(/2 × lowestNs/);
  });

  it('encodes to the HDR compressed base64 format and decodes back', () => {
    const h = new LatencyHistogram('t');
    for (let v = 1; v <= 1000; v++) h.record(v * 1000);
    const decoded = decodeFromCompressedBase64(h.encode());
    expect(decoded.totalCount).toBe(1000);
    expect(Math.abs(decoded.getValueAtPercentile(50) - 500_000) / 500_000).toBeLessThan(0.001);
  });

  for (const backend of ['wasm', 'js'] as const) {
    it(`record() allocates nothing: 10^6 records after warm-up, 0 GCs (${backend})`, async () => {
      const h = new LatencyHistogram('t', { backend });
      const loop = (n: number, seed: number) => {
        let v = seed;
        for (let k = 0; k < n; k++) {
          v = v + 7919;
          if (v > 50_000_000) v -= 50_000_000;
          h.record(k % 1000 === 0 ? -1 : v); // include the clamping path
        }
      };
      loop(100_000, 1);
      const gcs = await gcsDuring(() => loop(1_000_000, 3));
      expect(gcs).toBe(0);
      expect(h.count).toBe(1_100_000);
      h.destroy();
    });
  }
});

describe('LatencyRecorder and EngineMetrics', () => {
  it('reading the total or the recent window ends no interval: the HDR log interval still holds every value since the last one', () => {
    const r = new LatencyRecorder('x');
    for (let v = 1; v <= 100; v++) r.record(v * 1000);
    for (let i = 0; i < 5; i++) {
      expect(r.snapshotTotal().count).toBe(100);
      expect(r.recent().count).toBe(100);
    }
    r.record(7000);
    expect(r.snapshotTotal().count).toBe(101);
    const first = r.takeInterval();
    expect(first.snapshot.count).toBe(101);
    expect(first.snapshot.max).toBeGreaterThanOrEqual(100_000 * 0.999);
    expect(r.takeInterval().snapshot.count).toBe(0);
    expect(r.snapshotTotal().count).toBe(101);
    r.record(-5); // clamped to 0 and counted
    expect(r.snapshotTotal().clamped).toBe(1);
    r.reset();
    expect(r.snapshotTotal().count).toBe(0);
    expect(r.recent().count).toBe(0);
    r.destroy();
    expect(r.snapshotTotal().count).toBe(0); // destroyed: empty, no crash
  });

  it('the recent window keeps the last windowMs to 2 × windowMs; the total keeps everything', () => {
    let now = 1_000_000;
    const r = new LatencyRecorder('w', { windowMs: 10_000, now: () => now });
    r.record(5_000_000); // an old 5 ms outlier
    expect(r.recent().max).toBeGreaterThanOrEqual(4_990_000);
    now += 10_000; // the outlier's slice becomes the older one (on this read): still in the window
    expect(r.recent().count).toBe(1);
    for (let i = 0; i < 10; i++) r.record(20_000);
    expect(r.recent().count).toBe(11);
    now += 10_000; // and now it has left
    const recent = r.recent();
    expect(recent.count).toBe(10);
    expect(recent.max).toBeLessThan(21_000);
    expect(recent.mean).toBe(20_000);
    r.record(20_000);
    expect(r.recent().count).toBe(11);
    expect(r.snapshotTotal().count).toBe(12);
    expect(r.snapshotTotal().max).toBeGreaterThanOrEqual(4_990_000);
    expect(r.totalSumNs()).toBe(5_000_000 + 11 * 20_000);
    expect(r.snapshotTotal().mean).toBeCloseTo((5_000_000 + 11 * 20_000) / 12, 6);
    now += 25_000; // a read after a silence longer than the window: the newer slice (one value) becomes the older…
    expect(r.recent().count).toBe(1);
    now += 10_000; // …and leaves at the next turn
    expect(r.recent().count).toBe(0);
    r.record(30_000);
    now += 45_000; // a value recorded just before a late read is still in the window
    r.record(40_000);
    expect(r.recent()).toMatchObject({ count: 2, mean: 35_000 });
    const out = [0, 0];
    r.totalAtPercentiles([50, 100], out, 1e-3);
    expect(out[0]).toBeCloseTo(20, 0);
    r.destroy();
  });

  it('takeInterval is the difference since its last call, whatever else was read meanwhile', () => {
    const r = new LatencyRecorder('i');
    for (let v = 1; v <= 10; v++) r.record(v * 1000);
    r.recent();
    r.snapshotTotal();
    const a = r.takeInterval().snapshot;
    expect(a).toMatchObject({ count: 10, mean: 5500 });
    r.record(3000); // inside the first interval's range: its min and max must come from this one
    r.record(5000);
    const b = r.takeInterval().snapshot;
    expect(b).toMatchObject({ count: 2, mean: 4000 });
    expect(Math.abs(b.min - 3000)).toBeLessThanOrEqual(3);
    expect(Math.abs(b.max - 5000)).toBeLessThanOrEqual(5);
    r.record(-1); // clamped, and counted in this interval only
    expect(r.takeInterval().snapshot).toMatchObject({ count: 1, clamped: 1 });
    expect(r.snapshotTotal()).toMatchObject({ count: 13, clamped: 1 });
    r.destroy();
    r.record(5); // after destroy: ignored, no crash
    expect(r.takeInterval().snapshot.count).toBe(0);
  });

  it('the mean is the running sum over the count (exact), not the library\'s walk over every bucket', () => {
    const r = new LatencyRecorder('c');
    for (let k = 0; k < 100_000; k++) r.record(50_000 + (k % 200_000));
    // The running sum gives the exact mean (the library's would be a bucket walk, bucket-rounded).
    let exact = 0;
    for (let k = 0; k < 100_000; k++) exact += 50_000 + (k % 200_000);
    expect(r.snapshotTotal().mean).toBe(exact / 100_000);
    expect(r.recent().mean).toBe(exact / 100_000);
    r.destroy();
  });

  it('reports named intervals and writes an HDR log with one tagged line per histogram', () => {
    const m = new EngineMetrics();
    let log = '';
    m.writeLog((s) => {
      log += s;
    });
    m.quoteRtt.record(20_000);
    m.quoteRtt.record(40_000);
    m.pricing.record(300);
    const rep = m.intervalReport();
    expect(rep.interval.quoteRtt.count).toBe(2);
    expect(rep.interval.cancelRtt.count).toBe(0);
    expect(rep.total.pricing.count).toBe(1);
    expect(log).toMatch(/#\[Histogram log format version/);
    for (const tag of ['quoteRtt', 'cancelRtt', 'tickToWire', 'pricing']) expect(log).toContain(`Tag=${tag},`);
    m.destroy();
  });
});

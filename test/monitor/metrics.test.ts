import { afterEach, describe, expect, it } from 'vitest';
import { startMonitor } from '../../src/monitor/index.js';
import type { MonitorHandle } from '../../src/monitor/index.js';
import { FakeSource } from './fake-source.js';
import { parsePromText, value } from './prom-text.js';

const open: MonitorHandle[] = [];
afterEach(async () => {
  for (const m of open.splice(0)) await m.close();
});

async function scrape(m: MonitorHandle) {
  const r = await fetch(m.url + 'metrics');
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePromText(await r.text());
}

describe('GET /metrics', () => {
  it('is strict Prometheus text with HELP and TYPE for every family, all ours', async () => {
    const source = new FakeSource();
    const m = await startMonitor(source, { intervalMs: 60_000 }); // one sample, taken at start
    open.push(m);
    const fams = await scrape(m);
    expect(fams.size).toBeGreaterThan(10);
    for (const f of fams.values()) {
      expect(f.name).toMatch(/^thalex_quoter_/); // a dedicated registry: no process_* or other globals
      expect(f.help, f.name).toBeTruthy();
      expect(f.type, f.name).not.toBe('untyped');
      if (f.type === 'counter') expect(f.name).toMatch(/_total$/);
    }
    expect(fams.get('thalex_quoter_quotes_sent_total')!.type).toBe('counter');
    expect(fams.get('thalex_quoter_latency_seconds')!.type).toBe('summary');
  });

  it('reads the engine when scraped (collect), not a sample taken earlier', async () => {
    const source = new FakeSource();
    source.reconnects = 3;
    const m = await startMonitor(source, { intervalMs: 60_000 }); // the page's sample at start: step 1
    open.push(m);
    source.emit('fill', { instrument: 'ETH-PERPETUAL', direction: 'sell', price: 1, amount: 1, tradeId: 't', orderId: 'o', time: 0, position: -1 });
    source.emit('protection', { product: 'ETH', state: 'disarmed', reason: 'disarmed: 3 trips within 60000 ms (executions)', remainingAmount: 0 });
    const f = await scrape(m);
    // The scrape's own reading is step 2 of the fake source (one metrics() call for every family).
    expect(source.step).toBe(2);
    expect(value(f, 'thalex_quoter_quotes_sent_total')).toBe(500);
    expect(value(f, 'thalex_quoter_sides_failed_total', { code: '15' })).toBe(2);
    expect(value(f, 'thalex_quoter_sides_failed_total', { code: '44' })).toBe(1);
    expect(value(f, 'thalex_quoter_requests_failed_total', { code: '4' })).toBe(0);
    expect(value(f, 'thalex_quoter_reconnects_total')).toBe(3);
    expect(value(f, 'thalex_quoter_position', { instrument: 'BTC-PERPETUAL' })).toBeCloseTo(0.2);
    expect(value(f, 'thalex_quoter_position', { instrument: 'ETH-PERPETUAL' })).toBe(-2);
    expect(value(f, 'thalex_quoter_engine_state', { state: 'quoting' })).toBe(1);
    expect(f.get('thalex_quoter_engine_state')!.samples.filter((s) => s.value === 1)).toHaveLength(1);
    expect(f.get('thalex_quoter_engine_state')!.samples).toHaveLength(8);
    expect(value(f, 'thalex_quoter_protection_state', { product: 'BTC', state: 'armed' })).toBe(1);
    expect(value(f, 'thalex_quoter_protection_state', { product: 'BTC', state: 'cooling' })).toBe(0);
    // Quantiles over the recent window (p99 = 6 × base there), _count and _sum since start.
    expect(value(f, 'thalex_quoter_latency_seconds', { histogram: 'quote_rtt', quantile: '0.99' })).toBeCloseTo(6 * 46e-6, 12);
    expect(value(f, 'thalex_quoter_latency_seconds_count', { histogram: 'pricing' })).toBe(2000);
    expect(value(f, 'thalex_quoter_latency_seconds_sum', { histogram: 'quote_rtt' })).toBeCloseTo((2000 * 46 * 1.25) / 1e6, 9);
    expect(value(f, 'thalex_quoter_latency_max_seconds', { histogram: 'tick_to_wire' })).toBeCloseTo(24 * 10e-6, 12);
    expect(value(f, 'thalex_quoter_latency_window_seconds')).toBe(30);
    // Events are counted as they come and published at the next scrape.
    expect(value(f, 'thalex_quoter_fills_total', { instrument: 'ETH-PERPETUAL' })).toBe(1);
    expect(value(f, 'thalex_quoter_protection_trips_total', { product: 'ETH' })).toBe(1);
  });

  it('counters are the engine totals at every scrape: monotonic, no deltas, no reset guessing; a failing getter is counted and keeps the last values', async () => {
    const source = new FakeSource();
    const m = await startMonitor(source, { intervalMs: 60_000 });
    open.push(m);
    let previous = -1;
    let previousCount = -1;
    for (let i = 0; i < 5; i++) {
      const f = await scrape(m);
      const quotes = value(f, 'thalex_quoter_quotes_sent_total')!;
      expect(quotes).toBe(250 * source.step); // exactly the engine's total when scraped
      expect(quotes).toBeGreaterThan(previous);
      const count = value(f, 'thalex_quoter_latency_seconds_count', { histogram: 'quote_rtt' })!;
      expect(count).toBeGreaterThan(previousCount);
      previous = quotes;
      previousCount = count;
    }
    source.failMetrics = true;
    const f = await scrape(m);
    expect(value(f, 'thalex_quoter_quotes_sent_total')).toBe(previous);
    expect(value(f, 'thalex_quoter_monitor_sample_errors_total', { code: 'unknown' })).toBe(1);
  });
});

describe('the strict parser rejects what Prometheus would', () => {
  it.each([
    ['no trailing newline', '# TYPE a gauge\na 1'],
    ['bad value', '# TYPE a gauge\na one\n'],
    ['unquoted label', '# TYPE a gauge\na{x=1} 1\n'],
    ['TYPE after samples', 'a 1\n# TYPE a gauge\n'],
    ['split family', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="y"} 2\n'],
  ])('%s', (_n, text) => {
    expect(() => parsePromText(text)).toThrow();
  });
});

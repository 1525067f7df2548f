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
    expect(fams.get('thalex_quoter_latency_seconds')!.type).toBe('gauge');
  });

  it('carries the values of the last sample', async () => {
    const source = new FakeSource();
    source.reconnects = 3;
    const m = await startMonitor(source, { intervalMs: 60_000 });
    open.push(m);
    source.emit('fill', { instrument: 'ETH-PERPETUAL', direction: 'sell', price: 1, amount: 1, tradeId: 't', orderId: 'o', time: 0, position: -1 });
    source.emit('protection', { product: 'ETH', state: 'disarmed', reason: 'disarmed: 3 trips within 60000 ms (executions)', remainingAmount: 0 });
    const f = await scrape(m);
    // step 1 of the fake source
    expect(value(f, 'thalex_quoter_quotes_sent_total')).toBe(250);
    expect(value(f, 'thalex_quoter_sides_failed_total', { code: '15' })).toBe(1);
    expect(value(f, 'thalex_quoter_sides_failed_total', { code: '44' })).toBe(0);
    expect(value(f, 'thalex_quoter_requests_failed_total', { code: '4' })).toBe(0);
    expect(value(f, 'thalex_quoter_reconnects_total')).toBe(3);
    expect(value(f, 'thalex_quoter_position', { instrument: 'BTC-PERPETUAL' })).toBeCloseTo(0.1);
    expect(value(f, 'thalex_quoter_position', { instrument: 'ETH-PERPETUAL' })).toBe(-1);
    expect(value(f, 'thalex_quoter_engine_state', { state: 'quoting' })).toBe(1);
    expect(f.get('thalex_quoter_engine_state')!.samples.filter((s) => s.value === 1)).toHaveLength(1);
    expect(f.get('thalex_quoter_engine_state')!.samples).toHaveLength(8);
    expect(value(f, 'thalex_quoter_protection_state', { product: 'BTC', state: 'armed' })).toBe(1);
    expect(value(f, 'thalex_quoter_protection_state', { product: 'BTC', state: 'cooling' })).toBe(0);
    // quoteRtt p99 at step 1 is (40 + 3) * 3 µs
    expect(value(f, 'thalex_quoter_latency_seconds', { histogram: 'quote_rtt', quantile: '0.99' })).toBeCloseTo(129e-6, 12);
    expect(value(f, 'thalex_quoter_latency_max_seconds', { histogram: 'tick_to_wire' })).toBeCloseTo(9 * 12e-6, 12);
    expect(value(f, 'thalex_quoter_latency_samples', { histogram: 'pricing' })).toBe(1000);
    // events are counted as they come, but published with the next sample
    expect(value(f, 'thalex_quoter_fills_total', { instrument: 'ETH-PERPETUAL' })).toBeUndefined();
  });

  it('counters follow the engine totals across samples and never go down', async () => {
    const source = new FakeSource();
    const m = await startMonitor(source, { intervalMs: 100 });
    open.push(m);
    source.emit('fill', { instrument: 'ETH-PERPETUAL', direction: 'sell', price: 1, amount: 1, tradeId: 't', orderId: 'o', time: 0, position: -1 });
    source.emit('protection', { product: 'ETH', state: 'disarmed', reason: 'disarmed: 3 trips', remainingAmount: 0 });
    let f = await scrape(m);
    for (let i = 0; i < 100 && (value(f, 'thalex_quoter_quotes_sent_total') ?? 0) < 750; i++) {
      await new Promise((r) => setTimeout(r, 100));
      f = await scrape(m);
    }
    const quotes = value(f, 'thalex_quoter_quotes_sent_total')!;
    const step = quotes / 250;
    expect(step).toBeGreaterThanOrEqual(3);
    expect(value(f, 'thalex_quoter_sides_failed_total', { code: '15' })).toBe(step);
    expect(value(f, 'thalex_quoter_fills_total', { instrument: 'ETH-PERPETUAL' })).toBe(1);
    expect(value(f, 'thalex_quoter_protection_trips_total', { product: 'ETH' })).toBe(1);
    // an engine replaced behind the source restarts from zero: the counter keeps rising
    source.step = 0;
    const before = value(f, 'thalex_quoter_quotes_sent_total')!;
    for (let i = 0; i < 100 && value(f, 'thalex_quoter_quotes_sent_total')! === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      f = await scrape(m);
    }
    expect(value(f, 'thalex_quoter_quotes_sent_total')!).toBeGreaterThan(before);
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

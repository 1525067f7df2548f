import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { startMonitor, type MonitorHandle } from '../../src/monitor/index.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { engineConfig, simulator, until } from '../helpers/venue.js';
import { parsePromText, value, type PromFamily } from './prom-text.js';

/** /metrics of a real engine quoting on the simulator, parsed strictly, scrape after scrape. */
let sim: SimulatorHandle;
let engine: Engine;
let monitor: MonitorHandle;

beforeAll(async () => {
  sim = await simulator({ stepsPerSecond: 50, takerProbability: 0.3 });
  engine = new Engine(engineConfig(sim, { pricing: { mode: 'inline' } }));
  engine.on('engineError', () => {});
  await engine.start();
  // A page sample once a minute: whatever /metrics shows was read at the scrape.
  monitor = await startMonitor(engine, { intervalMs: 60_000 });
}, 60_000);

afterAll(async () => {
  await monitor?.close();
  await engine?.stop();
  await sim?.stop();
});

async function scrape(): Promise<Map<string, PromFamily>> {
  const r = await fetch(`${monitor.url}metrics`);
  expect(r.status).toBe(200);
  return parsePromText(await r.text());
}

/** Every counter sample and every summary _count/_sum, by name and labels. */
function monotonic(f: Map<string, PromFamily>): Map<string, number> {
  const out = new Map<string, number>();
  for (const fam of f.values()) {
    for (const s of fam.samples) {
      if (fam.type === 'counter' || s.name.endsWith('_count') || s.name.endsWith('_sum')) out.set(`${s.name}${JSON.stringify(s.labels)}`, s.value);
    }
  }
  return out;
}

describe('/metrics of a real engine', () => {
  it('counters and summary _count/_sum never go down across scrapes; they equal the engine totals when scraped; quantiles come from the recent window', async () => {
    await until(() => engine.metrics().quotesSent > 20, 'the engine quoting', 20_000);
    let previous = monotonic(await scrape());
    let first = true;
    for (let i = 0; i < 5; i++) {
      const before = engine.metrics().quotesSent;
      // Wait for the engine to move on (an event), then scrape.
      await until(() => engine.metrics().quotesSent > before + 5, 'more quotes', 20_000);
      const f = await scrape();
      const after = engine.metrics().quotesSent;
      const scraped = value(f, 'thalex_quoter_quotes_sent_total')!;
      expect(scraped).toBeGreaterThan(before);
      expect(scraped).toBeLessThanOrEqual(after);
      const now = monotonic(f);
      for (const [key, v] of previous) {
        expect(now.has(key), key).toBe(true);
        expect(now.get(key)!, key).toBeGreaterThanOrEqual(v);
      }
      if (first) {
        expect(f.get('thalex_quoter_latency_seconds')!.type).toBe('summary');
        expect(value(f, 'thalex_quoter_latency_window_seconds')).toBe(30);
        first = false;
      }
      const p50 = value(f, 'thalex_quoter_latency_seconds', { histogram: 'quote_rtt', quantile: '0.5' })!;
      expect(p50).toBeGreaterThan(0);
      expect(p50).toBeLessThan(1);
      const count = value(f, 'thalex_quoter_latency_seconds_count', { histogram: 'quote_rtt' })!;
      const sum = value(f, 'thalex_quoter_latency_seconds_sum', { histogram: 'quote_rtt' })!;
      expect(count).toBeGreaterThan(0);
      expect(sum / count).toBeGreaterThan(0); // a mean in seconds
      expect(sum / count).toBeLessThan(1);
      previous = now;
    }
  }, 120_000);
});

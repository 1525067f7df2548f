import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { Engine } from '../../src/engine/engine.js';
import { startMonitor, type MonitorHandle } from '../../src/monitor/index.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { engineConfig, simulator, until } from '../helpers/venue.js';
import { launchChromium } from './browser.js';

/** The dashboard in a real Chromium, fed by a real engine quoting on the simulator. */
interface El {
  textContent: string | null;
  innerText: string;
}
declare const document: { body: { dataset: Record<string, string | undefined> }; getElementById(id: string): El | null };

let sim: SimulatorHandle;
let engine: Engine;
let monitor: MonitorHandle;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  sim = await simulator({ stepsPerSecond: 50, takerProbability: 0.3 });
  engine = new Engine(engineConfig(sim, { pricing: { mode: 'inline', params: { spreadTicks: 4, size: 0.01 } } }));
  engine.on('engineError', () => {});
  await engine.start();
  monitor = await startMonitor(engine, { intervalMs: 250 });
  chromium = await launchChromium();
  page = await chromium.browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(monitor.url, { waitUntil: 'load' });
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await monitor?.close();
  await engine?.stop();
  await sim?.stop();
});

const text = (id: string) => page.evaluate((i: string) => document.getElementById(i)?.innerText ?? '', id);

describe('monitor on a real engine', () => {
  it('shows the engine quoting: state, quotes sent rising, positions, protection, market vs our prices', async () => {
    await page.waitForFunction(() => Number(document.body.dataset['samples'] ?? 0) > 2, { timeout: 20_000, polling: 50 });
    const sent1 = Number(await text('quotes-sent'));
    await page.waitForFunction((k: number) => Number(document.getElementById('quotes-sent')?.textContent ?? 0) > k, { timeout: 20_000, polling: 50 }, sent1);
    expect(await text('state')).toBe('quoting');
    expect(sent1).toBeGreaterThan(0);
    expect(await text('positions')).toContain('BTC-PERPETUAL');
    expect(await text('protection')).toMatch(/FBTCUSD\s+armed/);
    expect(await text('book')).toContain('ETH-PERPETUAL');
    expect(errors).toEqual([]);
    if (process.env['UPDATE_README_SCREENSHOT'] === '1') {
      await page.screenshot({ path: new URL('../../docs/monitor.png', import.meta.url).pathname as `${string}.png`, clip: { x: 0, y: 0, width: 1280, height: 900 } });
    }
  });

  it('the kill switch refuses a request without the token, and with it leaves no quote live', async () => {
    await until(() => sim.venue.liveQuotes().length > 0, 'live quotes');
    const refused = await fetch(`${monitor.url}kill`, { method: 'POST' });
    expect(refused.status).toBe(401);
    expect(engine.state).toBe('quoting');
    const ok = await fetch(`${monitor.url}kill`, { method: 'POST', headers: { authorization: `Bearer ${monitor.token}` } });
    expect(ok.status).toBe(200);
    expect(engine.state).toBe('halted');
    expect(sim.venue.liveQuotes()).toEqual([]);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'halted', { timeout: 20_000, polling: 50 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startMonitor } from '../../src/monitor/index.js';
import type { MonitorHandle } from '../../src/monitor/index.js';
import { expectHdrDistribution, launchChromium, openMonitor, samples, saveScreenshot, view, waitForSamplesAbove } from './browser.js';
import { FakeSource } from './fake-source.js';

/**
 * The page in a real headless Chromium against the real monitor server, fed by FakeSource
 * (deterministic numbers that move on every read, including the book, a null side and the
 * distribution), so every chart is certain to change between two pushes. The same page against
 * a real Engine quoting on the simulator is browser-engine.test.ts.
 */
interface El {
  textContent: string | null;
  value: string;
  dataset: Record<string, string | undefined>;
}
declare const document: { body: El; getElementById(id: string): El | null };

let chromium: Awaited<ReturnType<typeof launchChromium>>;
let monitor: MonitorHandle;
let source: FakeSource;
let page: Page;
let errors: string[];

beforeAll(async () => {
  source = new FakeSource();
  monitor = await startMonitor(source, { intervalMs: 250 });
  chromium = await launchChromium();
  ({ page, errors } = await openMonitor(chromium.browser, monitor.url));
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await monitor?.close();
});

describe('monitor page in headless Chromium', () => {
  it('draws live data, and the numbers and charts change between two pushes', async () => {
    await waitForSamplesAbove(page, 2);
    const a = await view(page);
    await waitForSamplesAbove(page, a.samples);
    const b = await view(page);

    expect(a.numbers['conn']).toBe('live');
    expect(a.numbers['state']).toBe('quoting');
    expect(Number(a.numbers['quotes-sent'])).toBeGreaterThan(0);
    expect(Number(b.numbers['quotes-sent'])).toBeGreaterThan(Number(a.numbers['quotes-sent']));
    expect(Number(b.numbers['quotes-per-sec'])).toBeGreaterThan(0);
    expect(b.tables['errors']).toMatch(/15\s+\d+/);
    expect(b.tables['positions']).toContain('BTC-PERPETUAL');
    expect(b.tables['protection']).toMatch(/BTC\s+(armed|cooling)/);
    expect(b.tables['book']).toContain('ETH-PERPETUAL');
    expect(b.tables['book']).not.toBe(a.tables['book']);

    expect(Object.keys(b.charts).sort()).toEqual(['book:BTC-PERPETUAL', 'book:ETH-PERPETUAL', 'dist', 'latency', 'rate']);
    // the series themselves are drawn, not only axes and grid
    for (const s of ['RTT p50', 'RTT p99', 't2w p50', 't2w p99']) expect(b.charts['latency']!.painted[s], s).toBeGreaterThan(0);
    expect(b.charts['rate']!.painted['quotes/s']).toBeGreaterThan(0);
    for (const s of ['mkt bid', 'our bid', 'our ask', 'mkt ask']) expect(b.charts['book:BTC-PERPETUAL']!.painted[s], s).toBeGreaterThan(0);
    expect(b.charts['book:ETH-PERPETUAL']!.painted['our bid']).toBe(0); // FakeSource never bids ETH
    // FakeSource's series never overlap, so each one's own colour shows
    for (const s of ['quote RTT', 'tick-to-wire', 'cancel RTT', 'pricing']) expect(b.charts['dist']!.painted[s], s).toBeGreaterThan(0);
    expectHdrDistribution(b.charts['dist'], ['quote RTT', 'tick-to-wire', 'cancel RTT', 'pricing']);
    // every chart is redrawn with new data: its pixels and its data differ between the two pushes
    for (const k of Object.keys(b.charts)) {
      expect(b.charts[k]!.hash, k).not.toBe(a.charts[k]!.hash);
      expect(b.charts[k]!.data, k).not.toEqual(a.charts[k]!.data);
    }
    expect(errors).toEqual([]);
    await saveScreenshot(page, 'monitor-fake');
  });

  it('shows the kill switch working from the page with the token, and refusing without', async () => {
    await page.type('#token', 'not-the-token');
    await page.click('#kill');
    await page.waitForFunction(() => document.getElementById('killresult')!.textContent!.includes('401'), { timeout: 10_000 });
    expect(source.killCalls).toBe(0);
    await page.$eval('#token', (el) => ((el as unknown as El).value = ''));
    await page.type('#token', monitor.token);
    await page.click('#kill');
    await page.waitForFunction(() => document.getElementById('killresult')!.textContent!.includes('200'), { timeout: 10_000 });
    expect(source.killCalls).toBe(1);
    const n = await samples(page);
    await page.waitForFunction((k: number) => Number(document.body.dataset['samples']) > k && document.getElementById('state')!.textContent === 'halted', { timeout: 20_000, polling: 50 }, n);
    await page.click('#resume');
    await page.waitForFunction(() => document.getElementById('state')!.textContent === 'quoting', { timeout: 20_000, polling: 50 });
    expect(source.resumeCalls).toBe(1);
  });
});

import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startMonitor } from '../../src/monitor/index.js';
import type { MonitorHandle } from '../../src/monitor/index.js';
import { launchChromium } from './browser.js';
import { FakeSource } from './fake-source.js';

/**
 * The page in a real headless Chromium against the real monitor server.
 *
 * The source is FakeSource (numbers that move on every read), not an Engine on the simulator:
 * when this was written src/sim/ was empty and the engine had no end-to-end test. Switch the
 * source to `new Engine(...)` against `startSimulator()` once both exist; nothing else here
 * depends on the source.
 */
/*
 * The callbacks given to page.evaluate/waitForFunction run in the browser. tsconfig has no DOM
 * lib, and a `/// <reference lib="dom" />` would pull browser globals into the whole program, so
 * the little DOM used here is declared module-locally (no runtime effect).
 */
interface El {
  textContent: string | null;
  innerText: string;
  value: string;
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): El | null;
  toDataURL(): string;
}
declare const document: {
  body: El;
  getElementById(id: string): El | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): { forEach(cb: (el: El) => void): void };
};

let chromium: Awaited<ReturnType<typeof launchChromium>>;
let monitor: MonitorHandle;
let source: FakeSource;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  source = new FakeSource();
  monitor = await startMonitor(source, { intervalMs: 250 });
  chromium = await launchChromium();
  page = await chromium.browser.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(monitor.url, { waitUntil: 'load' });
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await monitor?.close();
});

async function samples(): Promise<number> {
  return page.evaluate(() => Number(document.body.dataset['samples'] ?? 0));
}

/** Bounded wait (generous: 20 s) until the page has drawn more than `n` samples. */
async function waitForSamplesAbove(n: number): Promise<number> {
  await page.waitForFunction((k: number) => Number(document.body.dataset['samples'] ?? 0) > k, { timeout: 20_000, polling: 50 }, n);
  return samples();
}

interface View {
  samples: number;
  numbers: Record<string, string>;
  tables: Record<string, string>;
  canvases: Record<string, string>;
}

/** What a person would look at: the header numbers, the tables, and each chart's pixels (hashed). */
async function view(): Promise<View> {
  const raw = await page.evaluate(() => {
    const ids = ['state', 'reconnects', 'quotes-sent', 'quotes-per-sec', 'fills', 'trips', 'conn'];
    const numbers = Object.fromEntries(ids.map((id) => [id, document.getElementById(id)!.textContent ?? '']));
    const tables = Object.fromEntries(['errors', 'positions', 'protection', 'book', 'risk'].map((id) => [id, document.getElementById(id)!.innerText]));
    const canvases: Record<string, string> = {};
    for (const id of ['chart-latency', 'chart-dist', 'chart-rate']) canvases[id] = document.querySelector(`#${id} canvas`)!.toDataURL();
    document.querySelectorAll('#book-charts [data-instrument]').forEach((el) => {
      canvases[`book:${el.dataset['instrument']}`] = el.querySelector('canvas')!.toDataURL();
    });
    return { samples: Number(document.body.dataset['samples'] ?? 0), numbers, tables, canvases };
  });
  const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
  return { ...raw, canvases: Object.fromEntries(Object.entries(raw.canvases).map(([k, v]) => [k, hash(v)])) };
}

describe('monitor page in headless Chromium', () => {
  it('draws live data, and the numbers and charts change between two pushes', async () => {
    await waitForSamplesAbove(2);
    const a = await view();
    await waitForSamplesAbove(a.samples);
    const b = await view();

    expect(a.numbers['conn']).toBe('live');
    expect(a.numbers['state']).toBe('quoting');
    expect(Number(a.numbers['quotes-sent'])).toBeGreaterThan(0);
    expect(Number(b.numbers['quotes-sent'])).toBeGreaterThan(Number(a.numbers['quotes-sent']));
    expect(Number(b.numbers['quotes-per-sec'])).toBeGreaterThan(0);
    expect(b.tables['errors']).toMatch(/15\s+\d+/);
    expect(b.tables['positions']).toContain('BTC-PERPETUAL');
    expect(b.tables['protection']).toMatch(/BTC\s+(armed|cooling)/);
    expect(b.tables['book']).toContain('ETH-PERPETUAL');
    expect(Object.keys(b.canvases)).toEqual(expect.arrayContaining(['chart-latency', 'chart-dist', 'chart-rate', 'book:BTC-PERPETUAL', 'book:ETH-PERPETUAL']));
    // every chart is redrawn with new data: its pixels differ between the two pushes
    for (const k of Object.keys(b.canvases)) expect(b.canvases[k], k).not.toBe(a.canvases[k]);
    expect(b.tables['book']).not.toBe(a.tables['book']);
    expect(errors).toEqual([]);

    mkdirSync(new URL('./__screenshots__/', import.meta.url), { recursive: true });
    await page.screenshot({ path: new URL('./__screenshots__/monitor.png', import.meta.url).pathname as `${string}.png`, fullPage: true });
    if (process.env['UPDATE_README_SCREENSHOT'] === '1') {
      // The README image, taken once by hand (UPDATE_README_SCREENSHOT=1): the top of the page
      // only (header, latency, distribution, rates, errors), to keep the committed PNG small.
      await page.screenshot({ path: new URL('../../docs/monitor.png', import.meta.url).pathname as `${string}.png`, clip: { x: 0, y: 0, width: 1280, height: 620 } });
    }
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
    const n = await samples();
    await page.waitForFunction((k: number) => Number(document.body.dataset['samples']) > k && document.getElementById('state')!.textContent === 'halted', { timeout: 20_000, polling: 50 }, n);
    await page.click('#resume');
    await page.waitForFunction(() => document.getElementById('state')!.textContent === 'quoting', { timeout: 20_000, polling: 50 });
    expect(source.resumeCalls).toBe(1);
  });
});

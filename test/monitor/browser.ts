import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { DISTRIBUTION_PERCENTILES } from '../../src/monitor/index.js';
import { findChromium } from './chromium.js';

/**
 * Chromium headless (see chromium.ts for which one), with a throw-away profile and nothing that
 * phones home.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const chromium = await findChromium();
  const profile = await mkdtemp(join(tmpdir(), 'monitor-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromium.path,
    headless: chromium.headless,
    args: [...chromium.args, `--user-data-dir=${profile}`],
    defaultViewport: { width: 1280, height: 1000 },
  });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A new tab on the monitor page; `errors` collects page errors and console errors. */
export async function openMonitor(browser: Browser, url: string, viewport = { width: 1280, height: 1000 }): Promise<{ page: Page; errors: string[] }> {
  const errors: string[] = [];
  const page = await browser.newPage();
  await page.setViewport(viewport);
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors };
}

/*
 * The callbacks given to page.evaluate/waitForFunction run in the browser. tsconfig has no DOM
 * lib, and a `/// <reference lib="dom" />` would pull browser globals into the whole program, so
 * the little DOM (and uPlot) used here is declared module-locally (no runtime effect).
 */
interface UPlotLike {
  ctx: { canvas: { toDataURL(): string }; getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
  bbox: { left: number; top: number; width: number; height: number };
  series: Array<{ label?: string; stroke?: unknown }>;
  data: Array<ArrayLike<number | null | undefined>>;
}
interface El {
  textContent: string | null;
  innerText: string;
  dataset: Record<string, string | undefined>;
}
declare const document: { body: El; getElementById(id: string): El | null };
declare const window: { __monitor: { charts: Record<string, UPlotLike | null> } };

/** Samples the page has applied (set by the page on <body data-samples>). */
export function samples(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.body.dataset['samples'] ?? 0));
}

/** Bounded wait (generous: 20 s) until the page has drawn more than `n` samples. */
export async function waitForSamplesAbove(page: Page, n: number): Promise<number> {
  await page.waitForFunction((k: number) => Number(document.body.dataset['samples'] ?? 0) > k, { timeout: 20_000, polling: 50 }, n);
  return samples(page);
}

export interface ChartView {
  /** sha256 of the canvas's PNG: what is drawn, axes included. */
  hash: string;
  /**
   * Per series label: pixels inside the plot area painted in (near) that series' colour. The axes,
   * grid and labels use other colours, so a count > 0 means the series itself is drawn. A series
   * drawn under a later one with the same values (our bid at the market bid) can count 0.
   */
  painted: Record<string, number>;
  /** Pixels in the plot area in any series' colour: some series is drawn (not only axes, grid). */
  ink: number;
  /** The data uPlot was last given: [x, series 1, …]. */
  data: Array<Array<number | null>>;
}

export interface View {
  samples: number;
  numbers: Record<string, string>;
  tables: Record<string, string>;
  /** Keyed 'latency', 'dist', 'rate', 'book:<instrument>'. */
  charts: Record<string, ChartView>;
}

const NUMBERS = ['state', 'reconnects', 'quotes-sent', 'quotes-per-sec', 'fills', 'trips', 'conn'];
const TABLES = ['errors', 'positions', 'protection', 'book', 'risk'];

/** What a person would look at: the header numbers, the tables, and each chart (pixels and data). */
export async function view(page: Page): Promise<View> {
  const raw = await page.evaluate(
    (numberIds: string[], tableIds: string[]) => {
      const numbers: Record<string, string> = {};
      for (const id of numberIds) numbers[id] = document.getElementById(id)?.textContent ?? '';
      const tables: Record<string, string> = {};
      for (const id of tableIds) tables[id] = document.getElementById(id)?.innerText ?? '';
      const charts: Record<string, { png: string; painted: Record<string, number>; ink: number; data: Array<Array<number | null>> }> = {};
      for (const [name, u] of Object.entries(window.__monitor.charts)) {
        if (u === null) continue;
        const { left, top, width, height } = u.bbox;
        const px = u.ctx.getImageData(left, top, width, height).data;
        const labels: string[] = [];
        const rgb: number[][] = [];
        for (let i = 1; i < u.series.length; i++) {
          const s = u.series[i]!;
          const stroke = typeof s.stroke === 'function' ? (s.stroke as (u: UPlotLike, i: number) => unknown)(u, i) : s.stroke;
          const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(String(stroke));
          labels.push(s.label ?? String(i));
          rgb.push(m === null ? [-999, -999, -999] : [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)]);
        }
        const counts = labels.map(() => 0);
        let ink = 0;
        for (let j = 0; j < px.length; j += 4) {
          if (px[j + 3]! < 64) continue;
          let any = false;
          for (let k = 0; k < rgb.length; k++) {
            const c = rgb[k]!;
            if (Math.abs(px[j]! - c[0]!) <= 40 && Math.abs(px[j + 1]! - c[1]!) <= 40 && Math.abs(px[j + 2]! - c[2]!) <= 40) {
              counts[k]!++;
              any = true;
            }
          }
          if (any) ink++;
        }
        const painted: Record<string, number> = {};
        labels.forEach((l, k) => (painted[l] = counts[k]!));
        charts[name] = { png: u.ctx.canvas.toDataURL(), painted, ink, data: u.data.map((a) => Array.from(a, (v) => (v == null ? null : v))) };
      }
      return { samples: Number(document.body.dataset['samples'] ?? 0), numbers, tables, charts };
    },
    NUMBERS,
    TABLES,
  );
  const charts: Record<string, ChartView> = {};
  for (const [k, c] of Object.entries(raw.charts)) {
    charts[k] = { hash: createHash('sha256').update(c.png).digest('hex').slice(0, 16), painted: c.painted, ink: c.ink, data: c.data };
  }
  return { ...raw, charts };
}

/**
 * Polls (every 100 ms, at most `timeoutMs`) until `check` holds for a fresh view; returns that view.
 * For conditions that need more than one push, e.g. a cumulative distribution that moves.
 */
export async function waitForView(page: Page, what: string, check: (v: View) => boolean, timeoutMs = 20_000): Promise<View> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await view(page);
    if (check(v)) return v;
    if (Date.now() > end) {
      const painted = Object.fromEntries(Object.entries(v.charts).map(([k, c]) => [k, { ink: c.ink, ...c.painted }]));
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the page showed ${JSON.stringify({ samples: v.samples, numbers: v.numbers, painted })}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Git-ignored (see its .gitignore): the screenshots every run leaves for a person to look at. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('./__screenshots__/', import.meta.url));

/** Saves the whole page to test/monitor/__screenshots__/<name>.png; returns the path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`) as `${string}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The README image (docs/monitor.png, committed), only with UPDATE_README_SCREENSHOT=1: the top
 * of the page, to keep the PNG small. Returns whether it was written.
 */
export async function updateReadmeScreenshot(page: Page, height: number): Promise<boolean> {
  if (process.env['UPDATE_README_SCREENSHOT'] !== '1') return false;
  const path = fileURLToPath(new URL('../../docs/monitor.png', import.meta.url)) as `${string}.png`;
  await page.screenshot({ path, clip: { x: 0, y: 0, width: 1280, height } });
  return true;
}

/** The series named `label`'s data in a chart (index 0 is x). */
export function seriesData(c: ChartView, label: string): Array<number | null> {
  const i = Object.keys(c.painted).indexOf(label);
  if (i < 0) throw new Error(`no series ${label} in ${Object.keys(c.painted).join(', ')}`);
  return c.data[i + 1]!;
}

/**
 * The HDR chart holds a whole distribution, not a handful of points: one x per percentile the
 * monitor reads, on the 1/(1-p) axis (p = 0 at x = 1, rising), series drawn (ink), and each
 * named series with a value at every percentile, never decreasing.
 */
export function expectHdrDistribution(c: ChartView | undefined, series: string[]): void {
  expect(c, 'dist chart').toBeDefined();
  expect(c!.ink, 'dist chart drawn').toBeGreaterThan(0);
  const [x, ...ys] = c!.data;
  expect(x).toHaveLength(DISTRIBUTION_PERCENTILES.length);
  expect(x![0]).toBe(1);
  for (let i = 1; i < x!.length; i++) expect(x![i]!).toBeGreaterThan(x![i - 1]!);
  expect(ys).toHaveLength(Object.keys(c!.painted).length);
  for (const name of series) {
    const y = seriesData(c!, name);
    expect(y.every((v) => v !== null && v > 0), `${name}: ${JSON.stringify(y)}`).toBe(true);
    for (let i = 1; i < y.length; i++) expect(y[i]!, `${name} at ${DISTRIBUTION_PERCENTILES[i]}%`).toBeGreaterThanOrEqual(y[i - 1]!);
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineMetricsSnapshot, LatencyDistribution } from '../../src/engine/metrics-snapshot.js';
import { startMonitor, type MonitorHandle } from '../../src/monitor/index.js';
import { launchChromium, openMonitor, saveScreenshot, seriesData, view, waitForSamplesAbove, waitForView } from './browser.js';
import { FakeSource } from './fake-source.js';

/**
 * What a person meets on the dashboard in a 1400×1000 window (real headless Chromium, real
 * monitor server): it fits, latency over time on a log axis, the percentile chart over the recent
 * window and since start, a hover that explains the two latencies, empty panels that say so.
 */
interface El {
  textContent: string | null;
  hidden: boolean;
  getBoundingClientRect(): { bottom: number; right: number };
  getAttribute(n: string): string | null;
}
declare const document: {
  documentElement: { scrollHeight: number; scrollWidth: number };
  getElementById(id: string): El | null;
  querySelectorAll(s: string): ArrayLike<El & { scrollHeight: number; clientHeight: number }>;
};
declare const window: { __monitor: { charts: Record<string, { scales: Record<string, { distr?: number }> }> } };
declare function getComputedStyle(e: El): { visibility: string };

/** An engine that has not connected yet: no latency, no errors, no positions, no book. */
class IdleSource extends FakeSource {
  override metrics(): EngineMetricsSnapshot {
    const m = super.metrics();
    const z = { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const { recent: _recent, ...rest } = m;
    return { ...rest, state: 'connecting', quoteRtt: z, cancelRtt: z, tickToWire: z, pricing: z, quotesSent: 0, sideErrors: {}, requestErrors: {}, riskPulls: {} };
  }
  override positions(): Record<string, number> {
    return {};
  }
  override protectionStates(): Record<string, string> {
    return {};
  }
  override latencyDistribution(): LatencyDistribution {
    // What an engine's empty histograms read: zeros everywhere.
    const z = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    return { quoteRtt: z, cancelRtt: z, tickToWire: z, tickToReply: z, pricing: z };
  }
  override book() {
    return [];
  }
}

let chromium: Awaited<ReturnType<typeof launchChromium>>;
const monitors: MonitorHandle[] = [];

beforeAll(async () => {
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  for (const m of monitors) await m.close();
});

describe('the dashboard in a 1400×1000 window', () => {
  it('fits without page scrolling; latency over time on a log axis; the percentile chart switches between recent and since start; hovering ? explains quote RTT and tick-to-wire', async () => {
    const source = new FakeSource();
    const m = await startMonitor(source, { intervalMs: 250 });
    monitors.push(m);
    const { page, errors } = await openMonitor(chromium.browser, m.url, { width: 1400, height: 1000 });
    await waitForSamplesAbove(page, 3);

    const size = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth }));
    expect(size.h).toBeLessThanOrEqual(1000);
    expect(size.w).toBeLessThanOrEqual(1400);

    // Log y axis, and p50 (tens of µs) drawn as well as p99.9 (hundreds).
    expect(await page.evaluate(() => window.__monitor.charts['latency']!.scales['y']!.distr)).toBe(3);
    let v = await view(page);
    for (const s of ['RTT p50', 'RTT p99.9', 't2w p50']) expect(v.charts['latency']!.painted[s], s).toBeGreaterThan(0);
    // Over time, the recent window: FakeSource's recent p99.9 is 12 × base (since start: 6 ×).
    const p999 = seriesData(v.charts['latency']!, 'RTT p99.9').filter((x): x is number => x != null);
    const p50 = seriesData(v.charts['latency']!, 'RTT p50').filter((x): x is number => x != null);
    expect(p999.at(-1)! / p50.at(-1)!).toBeCloseTo(12, 5);

    // The percentile chart: recent by default (max = 24 × base there), since start on a click (12 ×).
    const maxRatio = (d: Array<Array<number | null>>) => d[1]!.at(-1)! / d[1]![0]!; // quote RTT: max over p0
    expect(await page.evaluate(() => document.getElementById('dist-recent')!.getAttribute('aria-pressed'))).toBe('true');
    expect(maxRatio(v.charts['dist']!.data)).toBeCloseTo(24, 5);
    await page.click('#dist-total');
    v = await waitForView(page, 'the since-start distribution', (x) => Math.abs(maxRatio(x.charts['dist']!.data) - 12) < 1e-6);
    expect(await page.evaluate(() => document.getElementById('dist-total')!.getAttribute('aria-pressed'))).toBe('true');
    await page.click('#dist-recent');
    await waitForView(page, 'the recent distribution again', (x) => Math.abs(maxRatio(x.charts['dist']!.data) - 24) < 1e-6);

    const tip = () => page.evaluate(() => getComputedStyle(document.getElementById('tip-latency')!).visibility);
    expect(await tip()).toBe('hidden');
    await page.hover('#tip-latency-anchor');
    expect(await tip()).toBe('visible');
    const text = await page.evaluate(() => document.getElementById('tip-latency')!.textContent!);
    expect(text).toMatch(/Quote RTT.*written to the socket until its reply has been read/s);
    expect(text).toMatch(/Tick-to-wire.*from reading a ticker frame until the mass_quote it caused is written/s);
    await saveScreenshot(page, 'monitor-1400x1000');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('empty panels say none: before the first connection nothing is drawn and nothing looks broken', async () => {
    const m = await startMonitor(new IdleSource(), { intervalMs: 250 });
    monitors.push(m);
    const { page, errors } = await openMonitor(chromium.browser, m.url, { width: 1400, height: 1000 });
    await waitForSamplesAbove(page, 2);
    const v = await view(page);
    for (const id of ['errors', 'risk', 'positions', 'protection', 'book']) expect(v.tables[id], id).toMatch(/(^|\n)none$/);
    const shown = await page.evaluate(() => ({
      latency: !document.getElementById('empty-latency')!.hidden,
      dist: !document.getElementById('empty-dist')!.hidden,
      bookCharts: !document.getElementById('book-section')!.hidden,
    }));
    expect(shown).toEqual({ latency: true, dist: true, bookCharts: false });
    expect(await page.evaluate(() => document.getElementById('empty-latency')!.textContent)).toBe('none yet');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

import { PerformanceObserver } from 'node:perf_hooks';
import type { PerformanceEntry } from 'node:perf_hooks';

/**
 * Count the GCs of this thread whose start falls inside `body` (synchronous). GC entries arrive
 * asynchronously, so we wait a little after the body and keep only those timed inside it.
 */
export async function gcsDuring(body: () => void): Promise<number> {
  const entries: PerformanceEntry[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) entries.push(e);
  });
  obs.observe({ entryTypes: ['gc'] });
  await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  body();
  const t1 = performance.now();
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  return entries.filter((e) => e.startTime >= t0 && e.startTime <= t1).length;
}

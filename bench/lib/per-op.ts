import { performance } from 'node:perf_hooks';
import type * as hdr from 'hdr-histogram-js';
import { nsHistogram, summarize } from './hist.js';
import { GcCounter } from '../e2e/gc-counter.js';
import type { CaseResult } from './types.js';

/**
 * Per-operation timing for in-process micro-benchmarks. Every call is timed on its own by a
 * performance.now() pair and recorded in an HDR histogram (ns), so p99.9 and max are those of
 * single calls, not of batch means. The ops of one group (a library call and what replaces it)
 * run interleaved in short chunks, rotating the order, so load and frequency changes on a shared
 * machine fall on all of them alike.
 *
 * The clock pair is not free (40–50 ns on the 2-vCPU KVM guest this was written on, more on
 * others; as much as the cheapest ops). A group therefore also times an empty call through the
 * same path (same call site, same recording); its p50 is subtracted from every percentile of the
 * other ops (a constant shift, so percentiles stay percentiles), and it is reported as its own
 * row, raw, so the reader can see what was taken off. The clock's own jitter is not removed: ops
 * near its cost are noisy at p99 and above.
 *
 * A second, untimed-per-call pass runs each op alone in batches: its wall and CPU means are the
 * throughput view, and the GCs counted during it are the op's own (no per-call clock allocating
 * beside it).
 */
export interface Op {
  name: string;
  /** One operation; `k` varies per call so results cannot be hoisted. */
  fn: (k: number) => void;
  baselines?: string[];
}

export interface GroupOptions {
  /** Individually timed calls per op. */
  calls: number;
  /** Calls of one op in a row before the next op's turn. */
  chunk?: number;
  /** Calls in the batch pass (throughput and GCs), per op. */
  batchCalls: number;
  /** Warm-up calls per op before anything is recorded. */
  warmup?: number;
  /** Name of the group's clock row (distinct per group in a suite). */
  clockName: string;
}


const empty = (_k: number): void => {};

/** Summary in ns of `h` with `shift` ns taken off every value (floored at 0). */
function shifted(h: hdr.Histogram, shift: number): Pick<CaseResult, 'summary' | 'distribution'> {
  return summarize(h, (x) => Math.max(0, x - shift));
}

/** Time each op's calls individually, interleaved; then a batch pass per op. Returns one row per op plus the clock row. */
export async function measureGroup(ops: readonly Op[], o: GroupOptions): Promise<CaseResult[]> {
  const chunk = o.chunk ?? 50;
  const all: Op[] = [{ name: o.clockName, fn: empty }, ...ops];
  for (const op of all) for (let k = 0; k < (o.warmup ?? Math.min(5_000, o.calls)); k++) op.fn(k);
  const hs = all.map(() => nsHistogram());
  const rounds = Math.ceil(o.calls / chunk);
  let k = 0;
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < all.length; j++) {
      const idx = (r + j) % all.length;
      const fn = all[idx]!.fn;
      const h = hs[idx]!;
      for (let c = 0; c < chunk; c++, k++) {
        const t0 = performance.now();
        fn(k);
        const t1 = performance.now();
        h.recordValue(Math.max(1, Math.round((t1 - t0) * 1e6)));
      }
    }
  }
  const clock = hs[0]!.getValueAtPercentile(50);
  const out: CaseResult[] = [];
  for (let i = 0; i < all.length; i++) {
    const op = all[i]!;
    const extra: Record<string, number | string> = {};
    if (i > 0) {
      const b = await batchPass(op.fn, o.batchCalls);
      extra['batch mean ns/op'] = Number(b.meanNs.toFixed(1));
      extra['batch CPU ns/op'] = Number(b.cpuNs.toFixed(1));
      extra['young GCs per 1M ops'] = Number(b.youngPerM.toFixed(1));
      extra['old GCs per 1M ops'] = Number(b.oldPerM.toFixed(1));
      extra['clock ns subtracted'] = clock;
    }
    out.push({ name: op.name, unit: 'ns', ...shifted(hs[i]!, i === 0 ? 0 : clock), ...(op.baselines !== undefined ? { baselines: op.baselines } : {}), ...(i > 0 ? { extra } : {}) });
    hs[i]!.destroy();
  }
  // The clock row last: it is a reference, not a contender.
  out.push(out.shift()!);
  return out;
}

/**
 * Wall-clock mean and CPU-time mean of `calls` calls in a row. On a shared machine the wall mean
 * includes the time other processes held the core (a preempted call's whole slice); the CPU mean
 * (this process's user + system time, GC helper threads included) does not.
 */
async function batchPass(fn: (k: number) => void, calls: number): Promise<{ meanNs: number; cpuNs: number; youngPerM: number; oldPerM: number }> {
  const gc = new GcCounter();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let k = 0; k < calls; k++) fn(k);
  const t1 = performance.now();
  const c1 = process.cpuUsage(c0);
  await new Promise((r) => setTimeout(r, 30)); // GC entries are delivered asynchronously
  gc.stop();
  return { meanNs: ((t1 - t0) * 1e6) / calls, cpuNs: ((c1.user + c1.system) * 1e3) / calls, youngPerM: (gc.young * 1e6) / calls, oldPerM: (gc.old * 1e6) / calls };
}

/*
 * Tick → quote handoff micro-benchmark: a tick is published into a ticker ring, priced (default
 * pricer), written into a quote slot, and the main thread has read it. Cases:
 *   (a) inline pricing on the main thread;
 *   (b) the shared-memory handoff to a long-lived pricing worker, with the worker in its bounded
 *       doorbell spin, and with the worker asleep in Atomics.wait (spinIterations 0);
 *   (c) baseline: one piscina task per tick (`await piscina.run(tick)`), what the design avoids.
 * Ticks are spaced by `gapUs` of main-thread busy time, so a sleeping worker really sleeps.
 * Every loop is bounded by an iteration count and a deadline. Run alone:
 *   npm run prebench && node dist-bench/bench/rings.js [--quick]
 * This file is also the piscina task module of case (c) (its default export).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { LatencyHistogram } from '../src/metrics/latency-histogram.js';
import { defaultPricerParams, price } from '../src/pricing/default-pricer.js';
import { InlinePricer } from '../src/pricing/inline-pricer.js';
import { PricingPool } from '../src/pricing/pool.js';
import { QuoteOut } from '../src/pricing/pricer.js';
import type { InstrumentSpec } from '../src/pricing/pricer.js';
import { F_BEST_ASK_PRICE, F_BEST_BID_PRICE, F_MARK_PRICE, F_RECV_NS, TICK_FIELDS } from '../src/rings/layout.js';
import { QUOTE_FIELDS } from '../src/rings/quote-layout.js';
import type { CaseResult, LatencySummary, SuiteResult } from './lib/types.js';

const SPEC: InstrumentSpec = { name: 'BTC-PERPETUAL', tickSize: 0.5, volumeTickSize: 0.001, minOrderAmount: 0.001 };
const PARAMS = defaultPricerParams({ spreadTicks: 4, levels: 3, size: 0.1, sizeGrowth: 1.5 });

export interface RingsBenchOptions {
  /** Measured ticks per case (default 20 000; quick 3 000). */
  iterations?: number;
  /** Warm-up ticks per case (default 2 000). */
  warmup?: number;
  /** Main-thread busy gap between ticks, µs (default 50). */
  gapUs?: number;
  /** Hard stop per case, seconds (default 10). */
  maxSecondsPerCase?: number;
  /** Worker doorbell polls for the spinning case (default 200 000, enough to cover the gap). */
  spinIterations?: number;
  quick?: boolean;
  progress?(message: string): void;
}

/** Case (c)'s piscina task: price one tick, return the levels (structured-cloned back). */
const taskOut = new QuoteOut(SPEC);
const taskParams = Float64Array.from(PARAMS);
export default function priceOnce(tick: Float64Array): Float64Array {
  taskOut.clear();
  price(tick, 0, taskParams, taskOut);
  return taskOut.bidPrices.slice(0, taskOut.bidCount);
}

function busyWaitUs(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
}

function summarize(h: LatencyHistogram): LatencySummary {
  const s = h.snapshot();
  const us = (ns: number) => ns / 1000;
  return { count: s.count, p50: us(s.p50), p90: us(s.p90), p99: us(s.p99), p999: us(s.p999), max: us(s.max), mean: us(s.mean) };
}

function stageTick(tick: Float64Array, k: number): void {
  const mid = 60_000 + (k % 200) * 0.5;
  tick[F_BEST_BID_PRICE] = mid - 0.5;
  tick[F_BEST_ASK_PRICE] = mid + 0.5;
  tick[F_MARK_PRICE] = mid;
  tick[F_RECV_NS] = k;
}

interface Source {
  publishFrom(i: number, src: Float64Array): number;
  awaitQuoteSpin(i: number, seq: number, maxSpins: number): boolean;
  pollQuote(i: number, out: Float64Array): boolean;
}

/** Publish → (spin until the slot holds this tick's quote) → poll; ns per tick. */
function measureSource(src: Source, n: number, warmup: number, gapUs: number, deadline: number): { h: LatencyHistogram; missed: number } {
  const h = new LatencyHistogram('rtt');
  const tick = new Float64Array(TICK_FIELDS);
  const out = new Float64Array(QUOTE_FIELDS);
  let missed = 0;
  for (let k = 0; k < warmup + n && performance.now() < deadline; k++) {
    stageTick(tick, k);
    const t0 = performance.now();
    const s = src.publishFrom(0, tick);
    // Bounded: 10^7 polls is far beyond any healthy handoff; a miss is counted, not waited for.
    const ok = src.awaitQuoteSpin(0, s, 10_000_000) && src.pollQuote(0, out);
    const t1 = performance.now();
    if (!ok) missed++;
    else if (k >= warmup) h.record((t1 - t0) * 1e6);
    busyWaitUs(gapUs);
  }
  return { h, missed };
}

async function measurePiscina(n: number, warmup: number, gapUs: number, deadline: number): Promise<LatencyHistogram> {
  const filename = fileURLToPath(import.meta.url);
  const piscina = new Piscina({ filename, minThreads: 1, maxThreads: 1 });
  const h = new LatencyHistogram('piscina');
  const tick = new Float64Array(TICK_FIELDS);
  try {
    for (let k = 0; k < warmup + n && performance.now() < deadline; k++) {
      stageTick(tick, k);
      const t0 = performance.now();
      await piscina.run(tick);
      const t1 = performance.now();
      if (k >= warmup) h.record((t1 - t0) * 1e6);
      busyWaitUs(gapUs);
    }
  } finally {
    await piscina.destroy();
  }
  return h;
}

export async function run(options: RingsBenchOptions = {}): Promise<SuiteResult> {
  const quick = options.quick ?? false;
  const n = options.iterations ?? (quick ? 3_000 : 20_000);
  const warmup = options.warmup ?? (quick ? 500 : 2_000);
  const gapUs = options.gapUs ?? 50;
  const maxMs = (options.maxSecondsPerCase ?? 10) * 1000;
  const spin = options.spinIterations ?? 200_000;
  const progress = options.progress ?? (() => {});
  const cases: CaseResult[] = [];
  const baseline = 'piscina task per tick';
  const add = (name: string, h: LatencyHistogram, extra: Record<string, number | string>) => {
    cases.push({ name, unit: 'µs', summary: summarize(h), distribution: h.distribution().map(([p, v]) => [p, v / 1000]), baselines: [baseline], extra });
    h.destroy();
  };

  progress('rings: (c) piscina task per tick');
  const c = await measurePiscina(n, warmup, gapUs, performance.now() + maxMs);

  progress('rings: (a) inline pricer');
  const inline = new InlinePricer({ instruments: [SPEC], params: PARAMS });
  const a = measureSource(inline, n, warmup, gapUs, performance.now() + maxMs);
  add('inline pricer (main thread)', a.h, { missed: a.missed });

  for (const [label, spinIterations] of [
    ['worker, bounded spin', spin],
    ['worker, Atomics.wait', 0],
  ] as const) {
    progress(`rings: (b) ${label}`);
    const pool = new PricingPool({ instruments: [SPEC], params: PARAMS, spinIterations, waitTimeoutMs: 50, timePricingEvery: 0 });
    try {
      await pool.ready();
      const b = measureSource(pool, n, warmup, gapUs, performance.now() + maxMs);
      const st = pool.stats()[0]!;
      add(`SAB handoff, ${label}`, b.h, { missed: b.missed, spinIterations, workerLoopTurns: st.heartbeat });
    } finally {
      await pool.close();
    }
  }
  add(baseline, c, {});
  return {
    suite: 'rings',
    description: `Tick published → priced (default pricer, 3 levels) → quote slot → read by the main thread; ${n} ticks per case, ${gapUs} µs apart, 1 instrument, 1 worker.`,
    cases,
    notes: [
      'The spinning worker keeps one core busy for up to spinIterations doorbell polls after each tick; on 2 cores that is the core the event loop and the simulator would use.',
      'The piscina case includes structured cloning of the tick and the result; it is the per-tick cost the SAB design avoids.',
    ],
  };
}

function printTable(r: SuiteResult): void {
  const base = r.cases.find((c) => c.name === 'piscina task per tick')?.summary;
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  console.log(r.description);
  console.log(['case'.padEnd(36), 'n'.padStart(6), 'p50'.padStart(8), 'p99'.padStart(8), 'p99.9'.padStart(8), 'max'.padStart(8), '  p50/p99/p99.9 vs piscina'].join(' '));
  for (const c of r.cases) {
    const s = c.summary;
    const ratio = base === undefined ? '' : `${(s.p50 / base.p50).toFixed(3)} / ${(s.p99 / base.p99).toFixed(3)} / ${(s.p999 / base.p999).toFixed(3)}`;
    console.log([c.name.padEnd(36), String(s.count).padStart(6), f(s.p50).padStart(8), f(s.p99).padStart(8), f(s.p999).padStart(8), f(s.max).padStart(8), ` ${ratio}`].join(' '));
  }
  console.log('(µs)');
}

if (isMainThread && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  run({ quick, progress: (m) => console.error(m) }).then(printTable, (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

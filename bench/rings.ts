/*
 * Tick → quote handoff micro-benchmark: a tick is published into a ticker ring, priced (default
 * pricer), written into a quote slot, and the main thread has read it, waiting for it exactly as
 * the engine's quote loop does with the engine's own settings (read from src/, not set here):
 *   (a) inline pricing on the main thread (`pricing.mode: inline`: no wait at all);
 *   (b) the shared-memory handoff to a long-lived pricing worker (`pricing.mode: workers`): the
 *       worker polls its doorbell DEFAULT_WORKER_SPIN_ITERATIONS times, then sleeps in
 *       Atomics.wait (≤ DEFAULT_WORKER_WAIT_MS); the main thread spins `pricing.spinPolls` polls
 *       of the slot (DEFAULT_SPIN_POLLS, and 0, the setting's other end), then polls once per
 *       event-loop turn (setImmediate) for up to WORKER_POLL_TURNS turns;
 *   (c) baseline: one piscina task per tick (`await piscina.run(tick)`), what the design avoids.
 * Ticks are spaced by `gapUs` of main-thread busy time, so the worker's doorbell spin has run out
 * and it is asleep when the tick arrives, as between the engine's ticks.
 * Every loop is bounded by an iteration count and a deadline. Run alone:
 *   npm run prebench && node dist-bench/bench/rings.js [--quick]
 * This file is also the piscina task module of case (c) (its default export).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { LatencyHistogram } from '../src/metrics/latency-histogram.js';
import { DEFAULT_SPIN_POLLS, WORKER_POLL_TURNS } from '../src/engine/config.js';
import { defaultPricerParams, price } from '../src/pricing/default-pricer.js';
import { InlinePricer } from '../src/pricing/inline-pricer.js';
import { DEFAULT_WORKER_SPIN_ITERATIONS, DEFAULT_WORKER_WAIT_MS, PricingPool } from '../src/pricing/pool.js';
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

/** p50 / p99 of the publish call alone, µs (then destroys the histogram). */
function publishShare(h: LatencyHistogram): Record<string, number> {
  const s = h.snapshot();
  h.destroy();
  return { 'of which publish p50 µs': s.p50 / 1000, 'publish p99 µs': s.p99 / 1000 };
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

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

interface Handoff {
  h: LatencyHistogram;
  /** The publish call alone (ring write + doorbell; Atomics.notify when the worker sleeps), ns. */
  pub: LatencyHistogram;
  /** Quotes read within the main thread's spin, on a later event-loop turn, or never (past WORKER_POLL_TURNS). */
  inSpin: number;
  onTurns: number;
  missed: number;
}

/**
 * Publish → wait as the quote loop waits (`spinPolls` polls, then one poll per setImmediate turn,
 * at most WORKER_POLL_TURNS turns) → read the quote; ns per tick. A quote not there after the
 * last turn is counted as missed: the engine would leave it to the next incoming message.
 */
async function measureSource(src: Source, spinPolls: number, n: number, warmup: number, gapUs: number, deadline: number): Promise<Handoff> {
  const r: Handoff = { h: new LatencyHistogram('rtt'), pub: new LatencyHistogram('publish'), inSpin: 0, onTurns: 0, missed: 0 };
  const tick = new Float64Array(TICK_FIELDS);
  const out = new Float64Array(QUOTE_FIELDS);
  for (let k = 0; k < warmup + n && performance.now() < deadline; k++) {
    stageTick(tick, k);
    const t0 = performance.now();
    const s = src.publishFrom(0, tick);
    const tp = performance.now();
    let ok = src.awaitQuoteSpin(0, s, spinPolls);
    const spun = ok;
    for (let turn = 0; !ok && turn < WORKER_POLL_TURNS; turn++) {
      await nextTurn();
      ok = src.awaitQuoteSpin(0, s, 0);
    }
    ok = ok && src.pollQuote(0, out);
    const t1 = performance.now();
    if (k >= warmup) {
      if (!ok) r.missed++;
      else {
        r.h.record((t1 - t0) * 1e6);
        r.pub.record((tp - t0) * 1e6);
        if (spun) r.inSpin++;
        else r.onTurns++;
      }
    }
    busyWaitUs(gapUs);
  }
  return r;
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
  const a = await measureSource(inline, 0, n, warmup, gapUs, performance.now() + maxMs);
  add('inline pricer (pricing.mode inline)', a.h, { ...publishShare(a.pub), missed: a.missed });

  const worker = `doorbell spin ${DEFAULT_WORKER_SPIN_ITERATIONS} then Atomics.wait ≤ ${DEFAULT_WORKER_WAIT_MS} ms`;
  for (const [label, spinPolls] of [
    [`engine default: spinPolls ${DEFAULT_SPIN_POLLS}`, DEFAULT_SPIN_POLLS],
    ['spinPolls 0 (event-loop turns only)', 0],
  ] as const) {
    progress(`rings: (b) ${label}`);
    // Built as the quote loop builds it: the worker's spin and wait are the pool's defaults.
    const pool = new PricingPool({ instruments: [SPEC], params: PARAMS });
    try {
      await pool.ready();
      const b = await measureSource(pool, spinPolls, n, warmup, gapUs, performance.now() + maxMs);
      const st = pool.stats()[0]!;
      add(`SAB handoff, ${label}`, b.h, { ...publishShare(b.pub), 'read within the spin': b.inSpin, [`read on a later turn (≤ ${WORKER_POLL_TURNS})`]: b.onTurns, missed: b.missed, 'worker wait': worker, workerLoopTurns: st.heartbeat });
    } finally {
      await pool.close();
    }
  }
  add(baseline, c, {});
  return {
    suite: 'rings',
    description: `Per tick, from just before it is published into the ticker ring to the main thread holding its quote (default pricer, 3 levels), waiting as the engine's quote loop waits with the engine's own settings: inline; workers (worker: ${worker}) with the main thread spinning pricing.spinPolls polls (default ${DEFAULT_SPIN_POLLS}, and 0) then polling once per setImmediate turn (≤ ${WORKER_POLL_TURNS}); against a piscina task per tick. ${n} ticks per case, ${gapUs} µs of main-thread busy time apart, 1 instrument, 1 worker, µs.`,
    cases,
    notes: [
      `The spin settings are read from src/ (DEFAULT_SPIN_POLLS, WORKER_POLL_TURNS from src/engine/config.ts; DEFAULT_WORKER_SPIN_ITERATIONS, DEFAULT_WORKER_WAIT_MS from src/pricing/pool.ts), so this suite follows the engine when they change. The worker's doorbell spin is a few µs, far shorter than the ${gapUs} µs gap: every tick finds the worker asleep in Atomics.wait and pays its wake-up, as at the engine's tick rates.`,
      'Publishing rings the worker\'s doorbell; a sleeping worker is woken by Atomics.notify inside that call (a futex wake, slow on a VM), so the worker often has the quote ready by the time the call returns: "of which publish" shows that share.',
      '"read within the spin" / "read on a later turn" count how each quote reached the main thread; a quote read on a later turn also waited for the event loop (here idle: in the engine, for whatever else is queued). "missed": not there after the last turn (the engine would leave it to the next incoming message); not in the percentiles.',
      'The main thread busy-waits between ticks (it does not sleep in epoll as the engine does), so the main thread\'s own wake-up is not in these figures.',
      'The piscina case includes structured cloning of the tick and the result; it is the per-tick cost the SAB design avoids.',
    ],
  };
}

function printTable(r: SuiteResult): void {
  const base = r.cases.find((c) => c.name === 'piscina task per tick')?.summary;
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  console.log(r.description);
  console.log(['case'.padEnd(50), 'n'.padStart(6), 'p50'.padStart(8), 'p99'.padStart(8), 'p99.9'.padStart(8), 'max'.padStart(8), '  p50/p99/p99.9 vs piscina'].join(' '));
  for (const c of r.cases) {
    const s = c.summary;
    const ratio = base === undefined ? '' : `${(s.p50 / base.p50).toFixed(3)} / ${(s.p99 / base.p99).toFixed(3)} / ${(s.p999 / base.p999).toFixed(3)}`;
    console.log([c.name.padEnd(50), String(s.count).padStart(6), f(s.p50).padStart(8), f(s.p99).padStart(8), f(s.p999).padStart(8), f(s.max).padStart(8), ` ${ratio}`].join(' '));
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

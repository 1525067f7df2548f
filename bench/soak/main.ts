/**
 * `npm run soak -- --minutes N`: the engine against the simulator (its own process) at a high
 * ticker rate, with a seeded random fault every few seconds, then a report: heap growth after
 * warm-up, handles, request outcomes, reconnects, faults, latency percentiles, and a verdict
 * per invariant. Exit code 1 when an invariant fails.
 *
 *   --minutes <n>      duration (fractional allowed; default 5)
 *   --rate <n>         market steps per second per instrument (default 500)
 *   --instruments <n>  instruments quoted (default 4)
 *   --pricing <mode>   workers | inline (default workers)
 *   --fault-every <s>  seconds between faults (default 4)
 *   --seed <n>         faults and market seed (default 1)
 *   --json <file>      also write the report as JSON
 *
 * Runs under `node --expose-gc` (the npm script sets it): heap is sampled after a full GC.
 */
import { generateKeyPairSync } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Engine } from '../../src/engine/engine.js';
import type { LatencyPercentiles } from '../../src/engine/metrics-snapshot.js';
import { Rng } from '../../src/sim/rng.js';
import { SOAK_FAULTS, type SoakFault, type VenueState } from './venue.js';

interface Args {
  minutes: number;
  rate: number;
  instruments: number;
  pricing: 'workers' | 'inline';
  faultEvery: number;
  seed: number;
  json: string | undefined;
}

function parseSoakArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      minutes: { type: 'string', default: '5' },
      rate: { type: 'string', default: '500' },
      instruments: { type: 'string', default: '4' },
      pricing: { type: 'string', default: 'workers' },
      'fault-every': { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
      json: { type: 'string' },
    },
  });
  const num = (name: keyof typeof values): number => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number, got ${String(values[name])}`);
    return n;
  };
  if (values.pricing !== 'workers' && values.pricing !== 'inline') throw new Error('--pricing is workers or inline');
  return {
    minutes: num('minutes'),
    rate: num('rate'),
    instruments: Math.floor(num('instruments')),
    pricing: values.pricing,
    faultEvery: num('fault-every'),
    seed: Math.floor(num('seed')),
    json: values.json,
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function heapNow(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

/** Active handles by kind (timers, sockets, …), without the soak's own venue channel. */
function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let k = 0; k < n; k++) {
    num += (xs[k]! - mx) * (ys[k]! - my);
    den += (xs[k]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function startVenue(a: Args, publicKeyPem: string): Promise<{ child: ChildProcess; url: string; instruments: string[]; query(): Promise<VenueState>; fault(f: SoakFault, ms: number): void }> {
  const child = fork(new URL('./venue.js', import.meta.url), [String(a.rate), String(a.instruments), String(a.seed), '0.002'], {
    env: { ...process.env, SOAK_PUB: publicKeyPem },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const hello = await new Promise<{ url: string; instruments: string[] }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; instruments: string[] }));
    child.once('exit', (c) => reject(new Error(`venue exited early (${c})`)));
  });
  let nextId = 1;
  const waiting = new Map<number, (s: VenueState) => void>();
  child.on('message', (m: { id?: number; state?: VenueState }) => {
    if (m.id !== undefined && m.state !== undefined) {
      waiting.get(m.id)?.(m.state);
      waiting.delete(m.id);
    }
  });
  return {
    child,
    ...hello,
    query: () =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        child.send({ query: 'state', id });
      }),
    fault: (f, ms) => child.send({ fault: f, ms }),
  };
}

export interface SoakReport {
  args: Args;
  durationS: number;
  warmupS: number;
  ticks: number;
  quotesSent: number;
  cancelsSent: number;
  reconnects: number;
  faults: Record<string, number>;
  errors: Record<string, number>;
  requests: Record<string, number>;
  heap: { samples: number; atWarmupEnd: number; atEnd: number; growthPct: number; slopeBytesPerMin: number };
  handles: { beforeStart: Record<string, number>; afterStop: Record<string, number> };
  venueAfterStop: VenueState;
  positionsAgreeBeforeStop: boolean;
  quoteRttUs: LatencyPercentiles;
  cancelRttUs: LatencyPercentiles;
  tickToWireUs: LatencyPercentiles;
  invariants: Record<string, boolean>;
  pass: boolean;
}

export async function soak(a: Args): Promise<SoakReport> {
  if (gc === undefined) throw new Error('run under node --expose-gc (npm run soak does)');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const venue = await startVenue(a, publicKey);
  await sleep(200);
  // stdout/stderr open their pipe handles lazily, on first use: open them before the baseline.
  void process.stdout.writableLength;
  void process.stderr.writableLength;
  const beforeStart = handles();
  const engine = new Engine({
    url: venue.url,
    credentials: { keyId: 'soak', privateKeyPem: privateKey },
    instruments: venue.instruments.slice(0, a.instruments),
    pricing: { mode: a.pricing, params: { spreadBps: 10, size: 0.01 } },
    protection: { default: { tradeAmount: 0.05, quoteAmount: 1 }, cooldownMs: 500, maxTrips: 1000 },
    risk: { maxPosition: 1000, maxProductPosition: 1000, staleMs: 1_000, maxOpenExposure: 1e6 },
    rpc: { timeoutMs: 1_000, hotTimeoutMs: 1_000 },
    reconnect: { initialMs: 50, maxMs: 500 },
    cancelOnDisconnectSecs: 2,
  });
  const errors: Record<string, number> = {};
  engine.on('engineError', (e) => (errors[e.code] = (errors[e.code] ?? 0) + 1));
  await engine.start();

  const totalMs = a.minutes * 60_000;
  const warmupMs = Math.min(totalMs * 0.2, 15_000);
  const t0 = Date.now();
  const rng = new Rng(a.seed); // the fault schedule repeats with the seed
  const next = () => rng.next();
  const faults: Record<string, number> = {};
  const heapT: number[] = [];
  const heapV: number[] = [];
  let nextFault = t0 + a.faultEvery * 1000;
  let nextSample = t0 + warmupMs;
  while (Date.now() - t0 < totalMs) {
    const now = Date.now();
    if (now >= nextFault) {
      const f = SOAK_FAULTS[Math.floor(next() * SOAK_FAULTS.length)]!;
      faults[f] = (faults[f] ?? 0) + 1;
      venue.fault(f, 300 + Math.floor(next() * 1200));
      nextFault = now + a.faultEvery * 1000 * (0.5 + next());
    }
    if (now >= nextSample) {
      heapT.push((now - t0) / 60_000);
      heapV.push(heapNow());
      nextSample = now + 2_000;
    }
    await sleep(50);
  }
  // Let the last fault pass, then compare with the venue while still quoting.
  let agree = false;
  for (let k = 0; k < 100 && !agree; k++) {
    await sleep(100);
    const v = await venue.query();
    const ours = engine.positions();
    agree = engine.state === 'quoting' && Object.entries(ours).every(([n, p]) => Math.abs(p - (v.positions[n] ?? 0)) < 1e-9);
  }
  const final = engine.metrics();
  await engine.stop();
  await sleep(300);
  const afterStop = handles();
  const venueAfterStop = await venue.query();
  const m = engine.metrics();
  venue.child.disconnect();

  const k = Math.min(3, heapV.length);
  const first = median(heapV.slice(0, k));
  const last = median(heapV.slice(-k));
  const growthPct = heapV.length >= 2 ? ((last - first) / first) * 100 : 0;
  const req = m.requests;
  const sameHandles = JSON.stringify(Object.entries(afterStop).sort()) === JSON.stringify(Object.entries(beforeStart).sort());
  const invariants = {
    'heap growth after warm-up ≤ 5 %': growthPct <= 5,
    'every request answered, timed out or failed on disconnect': req.registered === req.answered + req.timedOut + req.disconnected + req.withdrawn + req.inFlight,
    'nothing in flight after stop': req.inFlight === 0,
    'no quote live at the venue after stop': venueAfterStop.liveQuotes === 0,
    'handles back to the count before start': sameHandles,
    'positions agree with the venue': agree,
    'quoted throughout (quotes sent)': final.quotesSent > 0,
  };
  return {
    args: a,
    durationS: (Date.now() - t0) / 1000,
    warmupS: warmupMs / 1000,
    ticks: final.ticks,
    quotesSent: final.quotesSent,
    cancelsSent: m.cancelsSent,
    reconnects: engine.reconnects,
    faults,
    errors,
    requests: { ...req },
    heap: { samples: heapV.length, atWarmupEnd: first, atEnd: last, growthPct, slopeBytesPerMin: heapV.length >= 2 ? slope(heapT, heapV) : 0 },
    handles: { beforeStart, afterStop },
    venueAfterStop,
    positionsAgreeBeforeStop: agree,
    quoteRttUs: m.quoteRtt,
    cancelRttUs: m.cancelRtt,
    tickToWireUs: m.tickToWire,
    invariants,
    pass: Object.values(invariants).every(Boolean),
  };
}

function print(r: SoakReport): void {
  const mb = (b: number) => `${(b / 1048576).toFixed(2)} MB`;
  const lat = (l: LatencyPercentiles) => `p50 ${l.p50.toFixed(0)} µs, p99 ${l.p99.toFixed(0)}, p99.9 ${l.p999.toFixed(0)}, max ${l.max.toFixed(0)} (n=${l.count})`;
  const lines = [
    `soak: ${r.durationS.toFixed(0)} s (${r.warmupS.toFixed(0)} s warm-up), ${r.args.instruments} instruments at ${r.args.rate} steps/s, ${r.args.pricing} pricing, seed ${r.args.seed}`,
    `  ticks ${r.ticks}, quotes ${r.quotesSent}, cancels ${r.cancelsSent}, reconnects ${r.reconnects}`,
    `  faults: ${Object.entries(r.faults).map(([k, v]) => `${k}×${v}`).join(', ') || 'none'}`,
    `  errors reported: ${Object.entries(r.errors).map(([k, v]) => `${k}×${v}`).join(', ') || 'none'}`,
    `  requests: ${Object.entries(r.requests).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `  heap after GC: ${mb(r.heap.atWarmupEnd)} → ${mb(r.heap.atEnd)} (${r.heap.growthPct.toFixed(2)} %, slope ${mb(r.heap.slopeBytesPerMin)}/min, ${r.heap.samples} samples)`,
    `  handles before start ${JSON.stringify(r.handles.beforeStart)}, after stop ${JSON.stringify(r.handles.afterStop)}`,
    `  venue after stop: ${r.venueAfterStop.liveQuotes} live quotes, ${r.venueAfterStop.sessions} sessions`,
    `  quote RTT ${lat(r.quoteRttUs)}`,
    `  cancel RTT ${lat(r.cancelRttUs)}`,
    `  tick-to-wire ${lat(r.tickToWireUs)}`,
    ...Object.entries(r.invariants).map(([k, v]) => `  ${v ? 'PASS' : 'FAIL'}  ${k}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let args: Args;
  try {
    args = parseSoakArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`soak: ${(e as Error).message}\n`);
    process.exit(2);
  }
  soak(args).then(
    (r) => {
      print(r);
      if (args.json !== undefined) writeFileSync(args.json, `${JSON.stringify(r, null, 2)}\n`);
      process.exit(r.pass ? 0 : 1);
    },
    (e: unknown) => {
      process.stderr.write(`soak failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}

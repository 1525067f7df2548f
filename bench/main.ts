/*
 * `npm run bench`: runs the suites in bench/, prints one markdown table per suite (percentiles and
 * ratios against the baseline measured in the same run), and writes JSON results and an SVG
 * percentile chart per suite under bench/results/ (git-ignored).
 *
 *   npm run bench -- --quick              a first look, under a minute
 *   npm run bench -- --suite rings,floor  some suites only
 *   npm run bench -- --duration 10 --rate 1000,50000 --instruments 1,10
 *   npm run bench -- --allow-js-sim       run the simulator suites although the simulator is on the
 *                                         JS server (no native uWebSockets.js here); labelled so
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { serverLabel } from '../src/server/index.js';
import { runEngine } from './e2e/engine-run.js';
import { probeSimServer } from './e2e/sim-process.js';
import { floorCase, pushedFloorCase } from './e2e/tcp-floor.js';
import { runWsBaseline } from './e2e/ws-baseline.js';
import { markdown } from './lib/report.js';
import { percentileChart } from './lib/svg-chart.js';
import type { BenchOptions, SuiteResult } from './lib/types.js';

type Suite = (o: BenchOptions) => Promise<SuiteResult>;

/** Suites that measure against a simulator process. */
const SIM_SUITES = new Set(['sim', 'e2e']);
let jsSimNote: string | undefined;

/** HDR logs of the engine cases, written next to the JSON results. */
const pendingHdrLogs: Array<[string, string]> = [];

const SUITES: Record<string, Suite> = {
  codec: async (o) => {
    const { run } = await import('./codec.js');
    return run(o);
  },
  sim: async (o) => {
    const { run } = await import('./sim.js');
    return run(o);
  },
  rings: async (o) => {
    const { run } = await import('./rings.js');
    return run({ quick: o.quick, progress: o.progress });
  },
  e2e: async (o) => {
    const cases: SuiteResult['cases'] = [];
    const notes: string[] = [];
    const warmupSec = o.quick ? 1 : 2;
    // Kill/resume cycles after each quoting phase: the cancel RTT sample.
    const cancels = o.quick ? 30 : 100;
    const hdrLogs = pendingHdrLogs;
    // The floor: request and reply of a one-instrument mass quote (~170 B out, ~60 B back).
    o.progress('e2e: raw TCP floor');
    const floor = await floorCase('raw TCP floor 170 B ⇄ 60 B', { requestBytes: 170, replyBytes: 60, rate: Math.min(...o.rates, 2000), durationSec: o.durationSec });
    cases.push(floor);
    for (const rate of o.rates) {
      // The floor for the quoting pattern at this rate: ticker-sized pushes answered with a
      // request-sized write, the far end awake as the simulator is (see measurePushedFloor).
      o.progress(`e2e: raw TCP floor answering pushes, ${rate}/s`);
      const pushed = await pushedFloorCase(`raw TCP floor answering 530 B pushes, 170 B ⇄ 60 B, ${rate}/s`, { pushBytes: 530, requestBytes: 170, replyBytes: 60, rate, durationSec: o.durationSec, warmupSec });
      cases.push(pushed);
      for (const n of o.instruments) {
        const label = `${n} instr, ${rate}/s`;
        o.progress(`e2e: ws + JSON baseline, ${label}`);
        const ws = await runWsBaseline({ rate, instruments: n, durationSec: o.durationSec, warmupSec, cancels });
        cases.push(ws.rtt, ws.t2w, ws.cancel);
        for (const mode of ['inline', 'workers'] as const) {
          o.progress(`e2e: engine ${mode}, ${label}`);
          const r = await runEngine({ mode, rate, instruments: n, durationSec: o.durationSec, warmupSec, cancels });
          hdrLogs.push([`engine-${mode}-${n}instr-${rate}ps`, r.hdrLog]);
          r.rtt.baselines = [pushed.name, floor.name, ws.rtt.name];
          r.t2w.baselines = [ws.t2w.name];
          const per100k = (x: number) => (r.gc.quotes > 0 ? Number(((x * 100_000) / r.gc.quotes).toFixed(1)) : Number.NaN);
          r.rtt.extra = { ...r.rtt.extra, 'young GCs per 100k quotes': per100k(r.gc.young), 'old GCs per 100k quotes': per100k(r.gc.old) };
          r.cancel.baselines = [ws.cancel.name];
          cases.push(r.rtt, r.t2w, r.cancel);
        }
        const wsPer100k = ws.gc.quotes > 0 ? ((ws.gc.young * 100_000) / ws.gc.quotes).toFixed(1) : 'n/a';
        ws.rtt.extra = { ...ws.rtt.extra, 'young GCs per 100k quotes': wsPer100k };
        ws.rtt.baselines = [pushed.name, floor.name];
      }
    }
    notes.push('Quote RTT is measured from the moment the frame is written to the moment its reply is read (the engine\'s own HDR histograms); it includes the simulator\'s own handling, in its own process. Tick-to-wire starts when the ticker frame is read and ends when the mass_quote frame is written.');
    notes.push('The ticker rate is fixed by the simulator (its own clock); replies are not rate-driven, so quote RTT is not coordinated-omission corrected beyond that; the floor is.');
    notes.push('Two floors: the scheduled ping-pong writes to a peer that has sat idle since its last reply (on this VM waking it costs tens of µs), while the clients write right after the simulator sent them a ticker, to a peer that is still awake. The pushed floor reproduces that pattern in raw TCP and is the fair floor for quote RTT; both are shown.');
    return { suite: 'e2e', description: 'The engine (inline pricing and piscina workers) against the simulator in a separate process on 127.0.0.1, with the raw-TCP floor and a typical ws + JSON client measured in the same run.', cases, notes };
  },
  floor: async (o) => {
    const cases = [];
    for (const rate of o.rates) {
      o.progress(`floor: raw TCP ping-pong at ${rate}/s`);
      cases.push(await floorCase(`raw TCP 300 B ⇄ 80 B at ${rate}/s`, { requestBytes: 300, replyBytes: 80, rate, durationSec: o.durationSec }));
    }
    return {
      suite: 'floor',
      description: 'Raw TCP ping-pong between this process and a separate Node process on 127.0.0.1 (mass-quote-sized request, reply-sized answer), fixed rate, latency from the intended send time (coordinated omission corrected). No WebSocket client can beat it.',
      cases,
    };
  },
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      suite: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      instruments: { type: 'string' },
      'allow-js-sim': { type: 'boolean', default: false },
    },
  });
  const quick = values.quick === true;
  const list = (s: string | undefined, d: number[]) => (s === undefined ? d : s.split(',').map(Number));
  const opts: BenchOptions = {
    quick,
    durationSec: values.duration !== undefined ? Number(values.duration) : quick ? 2 : 6,
    rates: list(values.rate, quick ? [1000] : [1000, 10000]),
    instruments: list(values.instruments, quick ? [1] : [1, 10, 100]),
    progress: (m) => process.stderr.write(`\r\x1b[2K[bench] ${m}${process.stderr.isTTY ? '' : '\n'}`),
  };
  const names = values.suite !== undefined ? values.suite.split(',') : Object.keys(SUITES);
  for (const n of names) if (SUITES[n] === undefined) throw new Error(`unknown suite ${n}; known: ${Object.keys(SUITES).join(', ')}`);
  // The sim and e2e suites measure against a simulator process: on the JS server their figures
  // measure ws and node:http as much as the engine, so they are not a verdict unless asked for.
  let simServer: string | undefined;
  if (names.some((n) => SIM_SUITES.has(n))) {
    const server = await probeSimServer();
    simServer = serverLabel(server);
    if (server.kind !== 'native') {
      if (values['allow-js-sim'] !== true) {
        process.stderr.write(
          `bench: the simulator would run on the ${serverLabel(server)}, not native uWebSockets.js, so the ${[...SIM_SUITES].join(' and ')} latency figures would not say how fast the engine is (see the warning above, or README "Node versions" for a native build). Pass --allow-js-sim to run them anyway, labelled, or --suite codec,rings,floor for the suites that need no simulator.\n`,
        );
        process.exitCode = 2;
        return;
      }
      jsSimNote = `NOT A LATENCY VERDICT: the simulator ran on the ${serverLabel(server)} (--allow-js-sim); its share of every round trip is larger than on native uWebSockets.js, so ratios against the baselines of this run are only comparable with each other.`;
    }
  }
  const results: SuiteResult[] = [];
  const dir = new URL('../../bench/results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const n of names) {
    opts.progress(`suite ${n}…`);
    const r = await SUITES[n]!(opts);
    if (SIM_SUITES.has(n)) {
      r.simulator = simServer;
      if (jsSimNote !== undefined) r.notes = [jsSimNote, ...(r.notes ?? [])];
    }
    results.push(r);
    writeFileSync(new URL(`${n}-${stamp}.json`, dir), JSON.stringify(r, null, 2));
    writeFileSync(new URL(`${n}-${stamp}.svg`, dir), percentileChart(`${n}: ${r.description.slice(0, 70)}`, r.cases));
    for (const [name, log] of pendingHdrLogs.splice(0)) writeFileSync(new URL(`${name}-${stamp}.hlog`, dir), log);
  }
  process.stderr.write('\n');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(markdown(results, `## Benchmark results\n\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpu}${quick ? ', --quick' : ''}${simServer !== undefined ? `, simulator on ${simServer}` : ''}`));
  process.stdout.write(`\nJSON and SVG charts: bench/results/*-${stamp}.*\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

/*
 * `npm run bench`: runs the suites in bench/, prints one markdown table per suite (percentiles and
 * ratios against baselines measured in the same run), and writes JSON results and an SVG
 * percentile chart per suite under bench/results/ (git-ignored; commit the run behind RESULTS.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { QUOTER_NODE_FLAGS } from '../src/cli/node-flags.js';
import { serverLabel } from '../src/server/index.js';
import { CLIENT_KINDS, type ClientKind } from './e2e/client-protocol.js';
import { runChain } from './e2e/chain.js';
import { runGcSoak } from './e2e/gc-soak.js';
import { probeSimServer } from './e2e/sim-process.js';
import { runE2e } from './e2e/suite.js';
import { floorCase } from './e2e/tcp-floor.js';
import { enablePinning, isPinning } from './lib/cpu-pin.js';
import { BenchError } from './lib/errors.js';
import { markdown } from './lib/report.js';
import { percentileChart } from './lib/svg-chart.js';
import type { BenchOptions, SuiteResult } from './lib/types.js';
import { clientNodeFlags } from './e2e/phase.js';

const USAGE = `usage: npm run bench -- [options]      (or: thalex-quoter bench [options])
  --quick               a first look: e2e 1 instrument at 1000 ticks/s, 3 short repeats (~1.5 min)
  --suite <a,b>         suites to run (default all): codec, sim, rings, e2e, chain, gc, floor
  --duration <s>        seconds per measured window (default 10; --quick 2)
  --rate <n,…>          ticker messages per second, all instruments together (default 1000; --quick 1000)
  --instruments <n,…>   instrument counts (default 1,10,100; --quick 1)
  --repeats <n>         interleaved repeats of every e2e client (default 3, at least 3 for a verdict)
  --clients <a,…>       e2e clients (default ${CLIENT_KINDS.join(',')}; also engine-inline-busypoll)
  --message-rate <n>    message_rate the simulator grants and enforces in e2e (default 2000)
  --heavy-pricer <µs>   e2e: inline against workers with a pricer of this cost per call, 10 instruments
                        (default 30; --quick 0 = not run)
  --node-defaults       e2e and chain: client processes run with node's default flags, not with the
                        flags npm start uses (${QUOTER_NODE_FLAGS.join(' ')}), which every client
                        process otherwise gets alike; the gc suite compares the two
  --pin                 e2e, chain, gc: every client process on CPU 0 and every simulator process on
                        CPU 1 (taskset), alike for all; default: unpinned, placed by the kernel
  --allow-js-sim        run the sim and e2e suites although the simulator is on the JS server
                        (no native uWebSockets.js here): labelled, and not a latency verdict
  --help                this text
Results: a markdown table per suite on stdout; JSON and SVG in bench/results/.
`;

type Suite = (o: BenchOptions) => Promise<SuiteResult>;

/** Suites that measure against a simulator process. */
const SIM_SUITES = new Set(['sim', 'e2e', 'chain', 'gc']);

/** The e2e suite's own options, set from the command line. */
const e2eExtra: { repeats: number; kinds: ClientKind[]; messageRate: number; heavyPricerUs: number | undefined } = { repeats: 3, kinds: [...CLIENT_KINDS], messageRate: 2000, heavyPricerUs: undefined };


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
  e2e: (o) => runE2e({ ...o, repeats: e2eExtra.repeats, kinds: e2eExtra.kinds, messageRate: e2eExtra.messageRate, heavyPricerUs: e2eExtra.heavyPricerUs ?? (o.quick ? 0 : 30) }),
  chain: (o) => runChain({ ...o, repeats: e2eExtra.repeats, messageRate: e2eExtra.messageRate }),
  gc: (o) => runGcSoak({ ...o, messageRate: e2eExtra.messageRate }),
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
      repeats: { type: 'string' },
      clients: { type: 'string' },
      'message-rate': { type: 'string' },
      'heavy-pricer': { type: 'string' },
      help: { type: 'boolean', default: false },
      'allow-js-sim': { type: 'boolean', default: false },
      'node-defaults': { type: 'boolean', default: false },
      pin: { type: 'boolean', default: false },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  const quick = values.quick === true;
  const list = (s: string | undefined, d: number[], flag: string) => {
    if (s === undefined) return d;
    const v = s.split(',').map(Number);
    if (v.some((x) => !Number.isInteger(x) || x < 1)) throw new BenchError('BENCH_ERR_USAGE', `${flag}: ${JSON.stringify(s)} is not a list of whole numbers ≥ 1`);
    return v;
  };
  const opts: BenchOptions = {
    quick,
    durationSec: values.duration !== undefined ? list(values.duration, [], '--duration')[0]! : quick ? 2 : 10,
    rates: list(values.rate, [1000], '--rate'),
    instruments: list(values.instruments, quick ? [1] : [1, 10, 100], '--instruments'),
    progress: (m) => process.stderr.write(`\r\x1b[2K[bench] ${m}${process.stderr.isTTY ? '' : '\n'}`),
  };
  if (values.repeats !== undefined) e2eExtra.repeats = list(values.repeats, [], '--repeats')[0]!;
  if (values['heavy-pricer'] !== undefined) {
    const v = Number(values['heavy-pricer']);
    if (!Number.isInteger(v) || v < 0) throw new BenchError('BENCH_ERR_USAGE', `--heavy-pricer: ${JSON.stringify(values['heavy-pricer'])} is not a whole number of µs ≥ 0`);
    e2eExtra.heavyPricerUs = v;
  }
  if (values['node-defaults'] === true) clientNodeFlags.length = 0;
  if (values.pin === true) enablePinning();
  if (values['message-rate'] !== undefined) e2eExtra.messageRate = list(values['message-rate'], [], '--message-rate')[0]!;
  if (values.clients !== undefined) {
    const known: string[] = [...CLIENT_KINDS, 'engine-inline-busypoll'];
    const ks = values.clients.split(',');
    for (const k of ks) if (!known.includes(k)) throw new BenchError('BENCH_ERR_USAGE', `--clients: unknown client ${k}; known: ${known.join(', ')}`);
    e2eExtra.kinds = ks as ClientKind[];
  }
  const names = values.suite !== undefined ? values.suite.split(',') : Object.keys(SUITES);
  for (const n of names) if (SUITES[n] === undefined) throw new BenchError('BENCH_ERR_USAGE', `unknown suite ${n}; known: ${Object.keys(SUITES).join(', ')}`);
  // The sim and e2e suites measure against a simulator process: on the JS server their figures
  // measure ws and node:http as much as the engine, so they are not a verdict unless asked for.
  let simServer: string | undefined;
  let jsSimNote: string | undefined;
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
  }
  process.stderr.write('\n');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(markdown(results, `## Benchmark results\n\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpu}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end${quick ? ', --quick' : ''}${isPinning() ? ', --pin' : ''}${simServer !== undefined ? `, simulator on ${simServer}` : ''}`));
  process.stdout.write(`\nJSON and SVG charts: bench/results/*-${stamp}.*\n`);
}

main().catch((e: unknown) => {
  if (e instanceof BenchError && e.code === 'BENCH_ERR_USAGE') {
    process.stderr.write(`bench: ${e.message} (try --help)\n`);
    process.exit(2);
  }
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

/*
 * `npm run bench`: runs the suites in bench/, prints one markdown table per suite (percentiles and
 * ratios against the baseline measured in the same run), and writes JSON results and an SVG
 * percentile chart per suite under bench/results/ (git-ignored).
 *
 *   npm run bench -- --quick              a first look, under a minute
 *   npm run bench -- --suite rings,floor  some suites only
 *   npm run bench -- --duration 10 --rate 1000,10000 --instruments 1,10
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { floorCase } from './e2e/tcp-floor.js';
import { markdown } from './lib/report.js';
import { percentileChart } from './lib/svg-chart.js';
import type { BenchOptions, SuiteResult } from './lib/types.js';

type Suite = (o: BenchOptions) => Promise<SuiteResult>;

const SUITES: Record<string, Suite> = {
  rings: async (o) => {
    const { run } = await import('./rings.js');
    return run({ quick: o.quick, progress: o.progress });
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
    },
  });
  const quick = values.quick === true;
  const list = (s: string | undefined, d: number[]) => (s === undefined ? d : s.split(',').map(Number));
  const opts: BenchOptions = {
    quick,
    durationSec: values.duration !== undefined ? Number(values.duration) : quick ? 2 : 8,
    rates: list(values.rate, quick ? [1000] : [1000, 5000]),
    instruments: list(values.instruments, quick ? [1] : [1, 10, 100]),
    progress: (m) => process.stderr.write(`\r\x1b[2K[bench] ${m}${process.stderr.isTTY ? '' : '\n'}`),
  };
  const names = values.suite !== undefined ? values.suite.split(',') : Object.keys(SUITES);
  for (const n of names) if (SUITES[n] === undefined) throw new Error(`unknown suite ${n}; known: ${Object.keys(SUITES).join(', ')}`);
  const results: SuiteResult[] = [];
  const dir = new URL('../../bench/results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const n of names) {
    opts.progress(`suite ${n}…`);
    const r = await SUITES[n]!(opts);
    results.push(r);
    writeFileSync(new URL(`${n}-${stamp}.json`, dir), JSON.stringify(r, null, 2));
    writeFileSync(new URL(`${n}-${stamp}.svg`, dir), percentileChart(`${n}: ${r.description.slice(0, 70)}`, r.cases));
  }
  process.stderr.write('\n');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(markdown(results, `## Benchmark results\n\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpu}${quick ? ', --quick' : ''}`));
  process.stdout.write(`\nJSON and SVG charts: bench/results/*-${stamp}.*\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

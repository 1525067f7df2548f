/*
 * The GC soak: the engine quoting one instrument inline at 1 000 tickers/s for a minute, in a
 * client process with node's default flags and in one with the flags `npm start` uses
 * (QUOTER_NODE_FLAGS), one phase each, in that order. What it counts is mark-compacts, the full
 * collections that hold the quoting thread for milliseconds, in the window and before it.
 */
import { pinNote } from '../lib/cpu-pin.js';
import { QUOTER_NODE_FLAGS } from '../../src/cli/node-flags.js';
import { repeatedCase } from './aggregate.js';
import { runPhase, type PhaseResult } from './phase.js';
import { instrumentNames } from './sim-process.js';
import type { BenchOptions, CaseResult, SuiteResult } from '../lib/types.js';

export interface GcSoakOptions extends BenchOptions {
  messageRate: number;
}

const RATE = 1000;

export async function runGcSoak(o: GcSoakOptions): Promise<SuiteResult> {
  const windowSec = o.quick ? 5 : 60;
  const configs = [
    { label: 'node defaults', flags: [] as readonly string[] },
    { label: `${QUOTER_NODE_FLAGS.join(' ')} (npm start)`, flags: QUOTER_NODE_FLAGS },
  ];
  const by: PhaseResult[][] = configs.map(() => []);
  for (let k = 0; k < configs.length; k++) {
    o.progress(`gc: engine inline, 1 instr, ${windowSec} s, ${configs[k]!.label}`);
    by[k]!.push(await runPhase('engine-inline', { rate: RATE, instruments: instrumentNames(1), warmupSec: 2, durationSec: windowSec, cancels: 0, messageRate: o.messageRate, nodeFlags: configs[k]!.flags }));
  }
  const name = (k: number) => `engine quote RTT (inline, 1 instr, ${RATE}/s, ${windowSec} s, ${configs[k]!.label})`;
  const cases: CaseResult[] = configs.map((_, k) => {
    const p = by[k]![0]!.client;
    return repeatedCase(
      name(k),
      [p.quoteRtt],
      k === 0 ? [] : [[name(0), [by[0]![0]!.client.quoteRtt]]],
      {
        quotes: p.quotes,
        'mark-compacts in the window': p.markCompacts,
        'mark-compacts per 100k quotes': p.quotes > 0 ? Number(((p.markCompacts * 100_000) / p.quotes).toFixed(2)) : Number.NaN,
        'mark-compacts before the window (start-up, 2 s warm-up)': p.markCompactsBefore,
        'other old-generation GC entries in the window': p.oldGcs - p.markCompacts,
        'young GCs in the window': p.youngGcs,
        'V8 heap used MB, window start → end': `${p.heapMbStart.toFixed(1)} → ${p.heapMbEnd.toFixed(1)}`,
      },
    );
  });
  return {
    suite: 'gc',
    description: `The engine quoting 1 instrument inline at ${RATE} tickers/s (message_rate ${o.messageRate}) for ${windowSec} s after a 2 s warm-up, its client process started with node's defaults, then with the flags npm start uses; one phase each, in that order. Mark-compacts counted by a perf_hooks GC observer in the client process (NODE_PERFORMANCE_GC_MAJOR). ${pinNote()}`,
    cases,
    notes: ['A count, not a latency verdict: the quote RTT rows are there to show the flags cost no latency, from one phase each.'],
  };
}

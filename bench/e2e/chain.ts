/*
 * The option-chain case: the engine quoting the simulator's BTC chain (the README's worked
 * example: front two expiries within ±20 % moneyness, ~118 instruments) with the options pricer,
 * at 1 000 tickers/s in all, pricing inline against pricing in one and in two workers. This is
 * where pricing is real CPU work (three Black-76 evaluations per level and ticker) and where the
 * workers have to earn their handoff cost. Phases interleaved and repeated as in the e2e suite.
 */
import { repeatedCase } from './aggregate.js';
import { clientFlagsNote, runPhase, type PhaseResult } from './phase.js';
import { instrumentNames } from './sim-process.js';
import type { BenchOptions, CaseResult, SuiteResult } from '../lib/types.js';
import type { ClientKind, Summary } from './client-protocol.js';

export interface ChainOptions extends BenchOptions {
  repeats: number;
  messageRate: number;
}

/** Instruments the chain case quotes at an index of 95 000 (39 + 20 strikes, calls and puts). */
const CHAIN_SIZE = 118;
const RATE = 1000;

const CONFIGS: Array<{ label: string; kind: ClientKind; workers: number }> = [
  { label: 'inline', kind: 'engine-inline', workers: 1 },
  { label: 'workers ×1', kind: 'engine-workers', workers: 1 },
  { label: 'workers ×2', kind: 'engine-workers', workers: 2 },
];

const METRICS: Array<{ title: string; get: (p: PhaseResult) => Summary | undefined }> = [
  { title: 'quote RTT', get: (p) => p.client.quoteRtt },
  { title: 'tick-to-wire', get: (p) => p.client.tickToWire },
  { title: 'reaction, venue side', get: (p) => p.reaction },
];

export async function runChain(o: ChainOptions): Promise<SuiteResult> {
  const cases: CaseResult[] = [];
  const warmupSec = o.quick ? 1 : 3;
  const by = CONFIGS.map(() => [] as PhaseResult[]);
  for (let r = 0; r < o.repeats; r++) {
    for (let c = 0; c < CONFIGS.length; c++) {
      const k = (c + r) % CONFIGS.length;
      const cfg = CONFIGS[k]!;
      o.progress(`chain: ${cfg.label}, repeat ${r + 1}/${o.repeats}`);
      by[k]!.push(
        await runPhase(cfg.kind, {
          rate: RATE,
          instruments: instrumentNames(CHAIN_SIZE),
          warmupSec,
          durationSec: o.durationSec,
          cancels: o.quick ? 10 : 30,
          messageRate: o.messageRate,
          chain: true,
          workers: cfg.workers,
        }),
      );
    }
  }
  for (const m of METRICS) {
    for (let k = 0; k < CONFIGS.length; k++) {
      const mine = by[k]!.map(m.get);
      const name = (i: number) => `engine ${m.title} (option chain, ${CONFIGS[i]!.label}, ${RATE}/s)`;
      const extra =
        m.title === 'quote RTT'
          ? {
              'quotes/s': Math.round(by[k]!.reduce((s, p) => s + p.client.quotes, 0) / Math.max(1, by[k]!.length) / o.durationSec),
              'CPU µs per quote': Number((by[k]!.reduce((s, p) => s + p.client.cpuUsPerQuote, 0) / Math.max(1, by[k]!.length)).toFixed(1)),
            }
          : undefined;
      cases.push(repeatedCase(name(k), mine, k === 0 ? [] : [[name(0), by[0]!.map(m.get)]], extra));
    }
  }
  return {
    suite: 'chain',
    description: `The engine quoting the simulated BTC option chain (front two expiries, ±20 % moneyness, ~${CHAIN_SIZE} instruments) with the options pricer at ${RATE} tickers/s in all: pricing inline against one and two workers; message_rate ${o.messageRate}, ${o.repeats} interleaved repeats, medians over repeats, ratios against inline per repeat. ${clientFlagsNote()}`,
    cases,
    notes: [
      'Each ticker is priced with Black-76 (three evaluations per level); a full requote of the chain is two mass quotes (≤ 100 instruments each).',
      'Workers run the same pricer over shared memory (rings, quote slots); with 2 cores the simulator, the main thread and the workers share them.',
    ],
  };
}

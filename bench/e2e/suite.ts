import { floorCase, pushedFloorCase } from './tcp-floor.js';
import { repeatedCase } from './aggregate.js';
import { clientFlagsNote, runPhase, type PhaseConfig, type PhaseResult } from './phase.js';
import { instrumentNames } from './sim-process.js';
import type { BenchOptions, CaseResult, SuiteResult } from '../lib/types.js';
import type { ClientKind, ClientResult, Summary } from './client-protocol.js';

export interface E2eOptions extends BenchOptions {
  repeats: number;
  kinds: ClientKind[];
  messageRate: number;
  /** µs per call of the heavy-pricer case (inline against workers, 10 instruments); 0: not run. */
  heavyPricerUs: number;
}

const WHO: Record<ClientKind, (cfg: string) => [string, string]> = {
  ideal: (c) => ['ideal client', c],
  ws: (c) => ['ws+JSON', c],
  'engine-inline': (c) => ['engine', `inline, ${c}`],
  'engine-workers': (c) => ['engine', `workers, ${c}`],
  'engine-inline-busypoll': (c) => ['engine', `inline busy-poll, ${c}`],
};

type Metric = { title: string; get: (p: PhaseResult) => Summary | undefined };
const METRICS: Metric[] = [
  { title: 'quote RTT', get: (p) => p.client.quoteRtt },
  { title: 'reaction, venue side', get: (p) => p.reaction },
  { title: 'tick-to-wire', get: (p) => p.client.tickToWire },
  { title: 'tick-to-reply', get: (p) => p.client.tickToReply },
  { title: 'cancel RTT', get: (p) => p.client.cancelRtt },
];

const r1 = (x: number) => (Number.isFinite(x) ? Number(x.toFixed(1)) : Number.NaN);
const med = (xs: number[]) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length === 0 ? Number.NaN : v[v.length >> 1]!;
};

/** What the quote RTT row carries besides latency: load, CPU, GCs, memory (medians over repeats). */
function extras(ps: PhaseResult[], durationSec: number): Record<string, number | string> {
  const c = (f: (r: ClientResult) => number) => r1(med(ps.map((p) => f(p.client))));
  const per100k = (f: (r: ClientResult) => number) => c((r) => (r.quotes > 0 ? (f(r) * 100_000) / r.quotes : Number.NaN));
  return {
    'quotes/s': c((r) => r.quotes / durationSec),
    'ticks/s': c((r) => r.ticks / durationSec),
    'CPU µs per quote': c((r) => r.cpuUsPerQuote),
    'simulator CPU µs per quote': r1(med(ps.map((p) => p.simCpuUsPerQuote))),
    'young GCs per 100k quotes': per100k((r) => r.youngGcs),
    'old GCs per 100k quotes': per100k((r) => r.oldGcs),
    'mark-compacts per 100k quotes': per100k((r) => r.markCompacts),
    'external MB start → end': `${c((r) => r.externalMbStart)} → ${c((r) => r.externalMbEnd)}`,
  };
}

/** Every kind once per repeat, the order rotated from repeat to repeat. */
async function interleaved(o: E2eOptions, kinds: ClientKind[], phase: PhaseConfig, cfg: string, loads: number[]): Promise<Map<ClientKind, PhaseResult[]>> {
  const byKind = new Map<ClientKind, PhaseResult[]>(kinds.map((k) => [k, []]));
  for (let r = 0; r < o.repeats; r++) {
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(i + r) % kinds.length]!;
      o.progress(`e2e: ${cfg}, repeat ${r + 1}/${o.repeats}, ${kind}`);
      const p = await runPhase(kind, phase);
      byKind.get(kind)!.push(p);
      loads.push(p.load1);
    }
  }
  return byKind;
}

/** One case per metric and kind, with ratios to ws and ideal (or to `against`) repeat by repeat. */
function pushCases(cases: CaseResult[], byKind: Map<ClientKind, PhaseResult[]>, kinds: ClientKind[], cfg: string, durationSec: number, against?: ClientKind[]): void {
  const name = (k: ClientKind, metric: string) => {
    const [who, label] = WHO[k](cfg);
    return `${who} ${metric} (${label})`;
  };
  for (const m of METRICS) {
    for (const k of kinds) {
      const mine = byKind.get(k)!.map(m.get);
      if (mine.every((s) => s === undefined || s.count === 0)) continue;
      const wanted = against ?? (k === 'ideal' ? [] : k === 'ws' ? ['ideal'] : ['ws', 'ideal']);
      const bases = (wanted as ClientKind[]).filter((b) => b !== k && byKind.has(b));
      cases.push(repeatedCase(name(k, m.title), mine, bases.map((b) => [name(b, m.title), byKind.get(b)!.map(m.get)]), m.title === 'quote RTT' ? extras(byKind.get(k)!, durationSec) : undefined));
    }
  }
}

/**
 * Every client against a simulator that throttles every client alike, in phases interleaved
 * within each repeat (the order rotates from repeat to repeat), so that a drift in the machine's
 * load touches every client; each percentile is the median over repeats, and each ratio is
 * taken within a repeat before its median and range are reported.
 */
export async function runE2e(o: E2eOptions): Promise<SuiteResult> {
  const cases: CaseResult[] = [];
  const loads: number[] = [];
  const warmupSec = o.quick ? 1 : 2;
  const cancels = o.quick ? 30 : 100;
  o.progress('e2e: raw TCP floor');
  cases.push(await floorCase('raw TCP floor 170 B ⇄ 60 B, 1000/s', { requestBytes: 170, replyBytes: 60, rate: 1000, durationSec: o.durationSec }));
  for (const rate of o.rates) {
    o.progress(`e2e: raw TCP floor answering pushes, ${rate}/s`);
    cases.push(await pushedFloorCase(`raw TCP floor answering 530 B pushes, 170 B ⇄ 60 B, ${rate}/s`, { pushBytes: 530, requestBytes: 170, replyBytes: 60, rate, durationSec: o.durationSec, warmupSec }));
    for (const n of o.instruments) {
      const byKind = await interleaved(o, o.kinds, { rate, instruments: instrumentNames(n), warmupSec, durationSec: o.durationSec, cancels, messageRate: o.messageRate }, `${n} instr, ${rate}/s`, loads);
      pushCases(cases, byKind, o.kinds, `${n} instr, ${rate}/s`, o.durationSec);
    }
  }
  if (o.heavyPricerUs > 0) {
    // Where workers must win: a pricer of ~30 µs per instrument per tick over 10 instruments.
    const kinds: ClientKind[] = ['engine-inline', 'engine-workers'];
    const cfg = `heavy pricer ${o.heavyPricerUs} µs, 10 instr, 1000/s`;
    const byKind = await interleaved(o, kinds, { rate: 1000, instruments: instrumentNames(10), warmupSec, durationSec: o.durationSec, cancels: 0, messageRate: o.messageRate, pricerUs: o.heavyPricerUs }, cfg, loads);
    pushCases(cases, byKind, kinds, cfg, o.durationSec, ['engine-inline']);
  }
  const finite = loads.filter(Number.isFinite);
  return {
    suite: 'e2e',
    description: `Each client in its own process against its own simulator process on 127.0.0.1 (message_rate ${o.messageRate} granted and enforced for all, no taker flow), phases interleaved, ${o.repeats} repeats, order rotated per repeat; percentiles are medians over repeats, ratios are per repeat, shown as median (min–max). ${clientFlagsNote()}`,
    cases,
    notes: [
      `1-minute load average at the end of each window: ${finite.length > 0 ? `${Math.min(...finite).toFixed(2)}–${Math.max(...finite).toFixed(2)}` : 'n/a'} (${finite.length} phases).`,
      'Quote RTT and cancel RTT: just before the send call → the reply read, every client alike. Tick-to-wire: the read of the socket chunk that held the newest ticker behind a quote → just before that quote\'s send call; tick-to-reply: the same ticker → the quote\'s reply read.',
      'Reaction, venue side: measured by the simulator, from a ticker handed to the kernel (the cork that sent it returned) to the next mass_quote it receives on that connection; the first unanswered ticker arms it. No clock in the client is involved.',
      'The ideal client writes pre-encoded, zero-masked frames with only an 8-digit id patched in, matches replies by id without parsing and skips notifications by their first bytes: no client of this venue on this machine can do less. ws+JSON is a typical hand-rolled client (ws package, JSON.parse of every frame, JSON.stringify of every request). Both obey the engine\'s message budget (0.9 × message_rate) and in-flight limit (16) and send the engine\'s request shape; the ideal client quotes ±30 bps (one instrument re-centred every 20 ms, in turn), the others mid ± 10 bps (spreadBps 20).',
      'Bursts: at 10 and 100 instruments the simulator sends every instrument\'s ticker in one burst per step. The ws and ideal clients send one request per ticker with at most 16 in flight; a ticker that finds no slot waits in line (latest wins) and goes out when a reply frees one, so every client quotes every instrument. The engine sends one mass quote for all the tickers of a socket read: its quote RTT at 100 instruments is that of a 100-instrument request (the others\' are of one instrument), and reaction, venue side, times only the first quote after a burst\'s first ticker. Tick-to-wire, recorded per instrument quoted, is the figure that compares them there.',
      'Floors: raw TCP between two Node processes without WebSocket or venue work, timed from just before the write; a reference only, since the simulator spends 10+ µs per request that no client can avoid.',
    ],
  };
}

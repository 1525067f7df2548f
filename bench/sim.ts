import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startSimProcess, instrumentNames } from './e2e/sim-process.js';
import { measureGroup } from './lib/per-op.js';
import type { Op } from './lib/per-op.js';
import { engineRequests, INSTRUMENT, ordersNotification, simVenue } from './lib/venue-frames.js';
import type { BenchOptions, CaseResult, SuiteResult } from './lib/types.js';

/** Distinct requests in rotation: each one moves both sides, so every call is a real requote. */
const REQUESTS = 8;

let sink = 0;

/**
 * The simulator's whole synchronous work for one mass_quote, in SimServer's order: the message's
 * ArrayBuffer to a string (`message` handler), JSON.parse and the request checks (`#onMessage`),
 * `venue.massQuote` (`#dispatch`), the `session.orders` notification's JSON.stringify (the
 * session sink → `notify`), and the reply's JSON.stringify (`#reply`). Left out: uWebSockets.js
 * framing and send, the throttle and fault checks, and the microtask hop of the async dispatch.
 * This is a copy of those steps (SimServer keeps them private): keep it in step with server.ts.
 */
const WHOLE = 'whole request: bytes → parse → massQuote → orders + reply stringify';

function wholeRequestOp(): Op {
  const { venue, session, ref } = simVenue((u) => (sink += ordersNotification(u).length));
  const reqs = engineRequests(ref, REQUESTS);
  return {
    name: WHOLE,
    fn: (k) => {
      const text = Buffer.from(reqs[k % REQUESTS]!).toString('utf8');
      const req = JSON.parse(text) as { id?: unknown; method?: unknown; params?: unknown };
      if (req === null || typeof req !== 'object' || Array.isArray(req)) return;
      const id = typeof req.id === 'number' && Number.isInteger(req.id) ? req.id : null;
      const method = typeof req.method === 'string' ? req.method : '';
      const params = req.params === undefined || req.params === null ? {} : req.params;
      if (typeof params !== 'object' || Array.isArray(params) || method !== 'private/mass_quote') return;
      const result = venue.massQuote(session, params as Record<string, unknown>);
      sink += JSON.stringify({ id, result }).length;
    },
  };
}

/** The parts of the whole request, each alone, to show where the time goes. */
function partOps(): Op[] {
  const { venue, session, ref } = simVenue(() => {});
  const reqs = engineRequests(ref, REQUESTS);
  const params = reqs.map((ab) => (JSON.parse(Buffer.from(ab).toString('utf8')) as { params: Record<string, unknown> }).params);
  // One requote's orders update and reply, captured once, stringified again and again.
  let updates: unknown[] = [];
  const probe = simVenue((u) => (updates = u));
  let result: unknown;
  for (const p of params.slice(0, 2)) result = probe.venue.massQuote(probe.session, p);
  return [
    { name: 'match only: venue.massQuote on parsed params (orders sink a no-op)', baselines: [WHOLE], fn: (k) => (sink += venue.massQuote(session, params[k % REQUESTS]!).n_success) },
    { name: `part: bytes → string → JSON.parse of the request (${reqs[0]!.byteLength} B)`, baselines: [WHOLE], fn: (k) => (sink += (JSON.parse(Buffer.from(reqs[k % REQUESTS]!).toString('utf8')) as { id: number }).id) },
    { name: `part: session.orders JSON.stringify (${ordersNotification(updates).length} B)`, baselines: [WHOLE], fn: () => (sink += ordersNotification(updates).length) },
    { name: 'part: reply JSON.stringify', baselines: [WHOLE], fn: (k) => (sink += JSON.stringify({ id: k, result }).length) },
  ];
}

function tickerOp(): Op {
  const { venue } = simVenue(() => {});
  return { name: 'build one ticker message (JSON.stringify)', fn: () => (sink += `{"channel_name":"ticker.${INSTRUMENT}.raw","notification":${JSON.stringify(venue.ticker(INSTRUMENT))}}`.length) };
}

/** Ticker messages per second one subscriber receives from a simulator process (100 instruments × 500 steps/s offered). */
async function firehose(quick: boolean): Promise<number> {
  const sim = await startSimProcess({ rate: 500, instruments: 100 });
  const ws = new WebSocket(sim.url, { perMessageDeflate: false });
  await new Promise<void>((r, j) => ws.once('open', () => r()).once('error', j));
  let count = 0;
  ws.on('message', () => count++);
  ws.send(JSON.stringify({ id: 1, method: 'public/subscribe', params: { channels: instrumentNames(100).map((x) => `ticker.${x}.raw`) } }));
  await new Promise((r) => setTimeout(r, 1000));
  const c0 = count;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, quick ? 2000 : 5000));
  const rate = ((count - c0) * 1000) / (performance.now() - t0);
  ws.close();
  await sim.stop();
  return rate;
}

/**
 * The simulator's own cost, so end-to-end numbers can say how much of a round trip is the venue:
 * its whole per-request work for the engine's mass_quote, its parts, and one ticker message,
 * in-process and per call; and the ticker firehose one subscriber receives from a simulator process.
 */
export async function run(o: Pick<BenchOptions, 'quick' | 'progress'>): Promise<SuiteResult> {
  const calls = o.quick ? 20_000 : 100_000;
  o.progress('sim: mass_quote request, whole and in parts');
  const cases: CaseResult[] = await measureGroup([wholeRequestOp(), ...partOps()], { calls, batchCalls: calls, clockName: 'clock pair + empty call, mass_quote group (subtracted)' });
  o.progress('sim: ticker message');
  const tk = await measureGroup([tickerOp()], { calls, batchCalls: calls, clockName: 'clock pair + empty call, ticker group (subtracted)' });
  o.progress('sim: ticker firehose');
  const rate = await firehose(o.quick);
  tk[0]!.extra = { ...tk[0]!.extra, 'firehose offered msgs/s': 50_000, 'firehose received msgs/s': Math.round(rate) };
  cases.push(...tk);
  return {
    suite: 'sim',
    description:
      'The simulator\'s own cost per call, in-process: its whole synchronous work for one engine mass_quote as SimServer does it (ArrayBuffer → string, JSON.parse and request checks, venue.massQuote replacing both sides of 1 instrument, the session.orders notification\'s JSON.stringify, the reply\'s JSON.stringify), the same request\'s parts alone (match only is the old figure), and one ticker message (build + JSON); plus the ticker rate one subscriber receives from a simulator process.',
    cases,
    notes: [
      'Each call timed on its own (performance.now() pair) into an HDR histogram, ns; the ops of a group interleaved in chunks of 50 calls. The p50 of an empty call timed the same way (the clock rows, shown raw) is subtracted from the other rows of its group.',
      `Requests are the engine's own bytes (its encoder and default quoting options, 1 instrument, 1 level a side of 0.1), ${REQUESTS} prices in rotation so that every call replaces both resting quotes: 2 inserts and 2 "replaced" deletions in each session.orders notification, as in an e2e run.`,
      'Not timed: uWebSockets.js framing and sends, the throttle and fault checks, the async dispatch\'s microtask hop, and account.orders (the engine does not subscribe to it).',
      'Extra figures come from a second pass per op, run alone with no per-call clock: "batch mean ns/op" (wall clock, includes time other processes held the core), "batch CPU ns/op" (this process\'s CPU time, GC threads included) and young / old GCs per 1M ops. Where the means sit far above p50, the difference is GC, cold caches after preemption and, on a shared VM, stolen time: p50 is the undisturbed cost of a call.',
      `Checksum ${sink > 0 ? 'ok' : 'zero'}.`,
    ],
  };
}

import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import WebSocket from 'ws';
import { defaultInstruments } from '../src/sim/instruments.js';
import { SimSession, Venue } from '../src/sim/venue.js';
import { startSimProcess, instrumentNames } from './e2e/sim-process.js';
import { summarize } from './e2e/tcp-floor.js';
import type { BenchOptions, SuiteResult } from './lib/types.js';

/**
 * The simulator's own cost, so end-to-end numbers can say how much of a round trip is the venue:
 * handling one mass_quote and building one ticker message, in-process; and the ticker firehose
 * one subscriber actually receives from a simulator process.
 */
export async function run(o: Pick<BenchOptions, 'quick' | 'progress'>): Promise<SuiteResult> {
  const venue = new Venue({ seed: 1, instruments: defaultInstruments(), takerProbability: 0, takerMaxLots: 1, now: () => 1_700_000_000 });
  const noop = () => {};
  const s = new SimSession(1, 'A1', { orders: noop, trades: noop, portfolio: noop, protection: noop });
  venue.addSession(s);
  venue.setProtection(s, 'FBTCUSD', 100, 100);
  const n = o.quick ? 20_000 : 100_000;
  const mk = () => hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, autoResize: false });
  const mq = mk();
  const tk = mk();
  const ref = Math.round(venue.market('BTC-PERPETUAL')!.ref);
  o.progress('sim: mass_quote handling');
  for (let k = 0; k < n + 5_000; k++) {
    const params = { quotes: [{ i: 'BTC-PERPETUAL', b: [[ref - 10 - (k & 7), 0.01]], a: [[ref + 10 + (k & 7), 0.01]] }], post_only: true };
    const t0 = performance.now();
    venue.massQuote(s, params);
    const t1 = performance.now();
    if (k >= 5_000) mq.recordValue(Math.max(1, Math.round((t1 - t0) * 1e6)));
  }
  o.progress('sim: ticker message');
  for (let k = 0; k < n + 5_000; k++) {
    const t0 = performance.now();
    const text = `{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":${JSON.stringify(venue.ticker('BTC-PERPETUAL'))}}`;
    const t1 = performance.now();
    if (text.length > 0 && k >= 5_000) tk.recordValue(Math.max(1, Math.round((t1 - t0) * 1e6)));
  }
  // Firehose: 100 instruments × 500 steps/s = 50 000 ticker messages/s offered to one subscriber.
  o.progress('sim: ticker firehose');
  const sim = await startSimProcess({ rate: 500, instruments: 100 });
  const ws = new WebSocket(sim.url, { perMessageDeflate: false });
  await new Promise<void>((r, j) => ws.once('open', () => r()).once('error', j));
  let count = 0;
  ws.on('message', () => count++);
  ws.send(JSON.stringify({ id: 1, method: 'public/subscribe', params: { channels: instrumentNames(100).map((x) => `ticker.${x}.raw`) } }));
  await new Promise((r) => setTimeout(r, 1000));
  const c0 = count;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, o.quick ? 2000 : 5000));
  const rate = ((count - c0) * 1000) / (performance.now() - t0);
  ws.close();
  await sim.stop();
  return {
    suite: 'sim',
    description: 'The simulator\'s own cost: one private/mass_quote (1 instrument, both sides, replace) and one ticker message (build + JSON), in-process, per call; and the ticker rate one subscriber receives.',
    cases: [
      { name: 'sim: handle one mass_quote', unit: 'µs', ...summarize(mq) },
      { name: 'sim: build one ticker message', unit: 'µs', ...summarize(tk), extra: { 'firehose offered msgs/s': 50_000, 'firehose received msgs/s': Math.round(rate) } },
    ],
    notes: ['Per-call times include a performance.now() pair (≈ 0.1 µs).'],
  };
}

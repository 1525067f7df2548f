import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { QuoteEncoder } from '../src/codec/mass-quote-encoder.js';
import { QuoteBatch } from '../src/codec/quote-batch.js';
import { loadNativeCodec } from '../src/codec/native.js';
import { RingTickDecoder } from '../src/codec/tick-decoder.js';
import { bindReply, R_N_FAIL, REPLY_FIELDS } from '../src/codec/reply-decoder.js';
import { parseEngineConfig } from '../src/engine/config.js';
import { OrdersScanner, type OrdersScanSink } from '../src/engine/orders-scan.js';
import { TickerRing } from '../src/rings/ticker-ring.js';
import { isUtf8Range } from '../src/ws/utf8.js';
import { measureGroup } from './lib/per-op.js';
import type { Op } from './lib/per-op.js';
import { requoteOrdersFrame } from './lib/venue-frames.js';
import { handlerOps } from './handlers.js';
import type { BenchOptions, CaseResult, SuiteResult } from './lib/types.js';

const TICKER = Buffer.from(
  '{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"best_bid_price":95000,"best_bid_amount":0.4,"best_ask_price":95010,"best_ask_amount":1,"last_price":95005,"mark_price":95004.64143906124,"mark_timestamp":1700000000.123,"iv":0,"delta":1,"index":95001.5,"volume_24h":1234.5,"value_24h":117000000,"low_price_24h":94000,"high_price_24h":96000,"change_24h":0.01,"collar_low":85504,"collar_high":104505,"open_interest":123.456,"funding_rate":0.0001,"funding_mark":0,"realised_funding_24h":0,"average_funding_rate_24h":0.0001}}',
);
const REPLY = Buffer.from('{"id":1234567,"result":{"n_success":2,"n_fail":0,"errors":[]}}');

/** Keeps every op's result alive, so no call can be optimised away. */
let sink = 0;

/** Encoder against JSON.stringify + Buffer.from of the same request, n instruments × levels per side. */
function encodeOps(n: number, levels: number): Op[] {
  const quoting = parseEngineConfig({ url: 'ws://x:1/ws/api/v2', credentials: { keyId: 'k', privateKeyPem: 'x' }, instruments: ['X'], quoting: { label: 'mm-bot' } }).quoting;
  const instruments = Array.from({ length: n }, (_, i) => ({ name: i === 0 ? 'BTC-PERPETUAL' : `S${i}-PERPETUAL`, product: 'FBTCUSD', tickSize: 0.5, volumeTickSize: 0.001, minOrderAmount: 0.001, type: 'perpetual' }));
  const enc = new QuoteEncoder(instruments, quoting);
  const batchQ = new QuoteBatch();
  const prices = new Float64Array(levels);
  const amounts = new Float64Array(levels).fill(0.125);
  const buf = Buffer.alloc(1 << 20);
  const label = `${n} instr × ${levels} lvl`;
  const base = `JSON.stringify + Buffer.from (${label})`;
  return [
    {
      // Builds the request object too: a JSON client must, the encoder reads typed arrays instead.
      name: base,
      fn: (k) => {
        const params = {
          quotes: instruments.map((inst, i) => ({ i: inst.name, b: Array.from({ length: levels }, (_, l) => [95_000 - l - (k & 7) - i * 0.5, 0.125]), a: Array.from({ length: levels }, (_, l) => [95_010 + l + (k & 7) + i * 0.5, 0.125]) })),
          label: 'mm-bot',
          post_only: true,
        };
        sink += Buffer.from(JSON.stringify({ id: k + 1, method: 'private/mass_quote', params })).length;
      },
    },
    {
      name: `encoder into the frame buffer (${label})`,
      baselines: [base],
      fn: (k) => {
        batchQ.clear();
        for (let i = 0; i < n; i++) {
          const e = batchQ.add(i);
          for (let l = 0; l < levels; l++) prices[l] = 95_000 - l - (k & 7) - i * 0.5;
          batchQ.setSide(e, 0, prices, amounts, levels);
          for (let l = 0; l < levels; l++) prices[l] = 95_010 + l + (k & 7) + i * 0.5;
          batchQ.setSide(e, 1, prices, amounts, levels);
        }
        sink += enc.encode(buf, 14, k + 1, batchQ);
      },
    },
  ];
}

function tickerOps(native: ReturnType<typeof loadNativeCodec>): Op[] {
  const jsDec = new RingTickDecoder(['BTC-PERPETUAL'], [TickerRing.create()], null);
  const nativeDec = native !== null ? new RingTickDecoder(['BTC-PERPETUAL'], [TickerRing.create()], native) : null;
  const chStart = 17;
  const chEnd = TICKER.indexOf('"', chStart);
  const simdjson = createRequire(import.meta.url)('simdjson') as { parse(s: string): unknown };
  const base = `JSON.parse from bytes (${TICKER.length} B ticker)`;
  const ops: Op[] = [
    { name: base, fn: () => (sink += (JSON.parse(TICKER.toString('utf8')) as { notification: { best_bid_price: number } }).notification.best_bid_price) },
    { name: 'simdjson npm 0.9 parse from bytes', baselines: [base], fn: () => (sink += (simdjson.parse(TICKER.toString('utf8')) as { notification: { best_bid_price: number } }).notification.best_bid_price) },
    { name: 'JS decoder into the ring (no objects)', baselines: [base], fn: (k) => (sink += jsDec.decode(TICKER, 0, TICKER.length, chStart, chEnd, k) + 1) },
  ];
  if (nativeDec !== null) {
    ops.push({ name: 'native simdjson 3 decoder into the ring (no objects)', baselines: [base], fn: (k) => (sink += nativeDec.decode(TICKER, 0, TICKER.length, chStart, chEnd, k) + 1) });
    // Several tickers in one socket read: the decoder is still called once per frame.
    ops.push({
      name: 'native decoder, 10 tickers back to back (per 10)',
      fn: (k) => {
        for (let t = 0; t < 10; t++) sink += nativeDec.decode(TICKER, 0, TICKER.length, chStart, chEnd, k) + 1;
      },
    });
  }
  return ops;
}

function replyOps(native: ReturnType<typeof loadNativeCodec>): Op[] {
  const out = new Float64Array(REPLY_FIELDS);
  const base = `JSON.parse from bytes (${REPLY.length} B mass_quote reply)`;
  const js = bindReply(out);
  const ops: Op[] = [
    { name: base, fn: () => (sink += (JSON.parse(REPLY.toString('utf8')) as { result: { n_fail: number } }).result.n_fail + 1) },
    { name: 'JS reply decoder (no objects)', baselines: [base], fn: () => (sink += js(REPLY, 0, REPLY.length) + out[R_N_FAIL]!) },
  ];
  if (native !== null) {
    const nat = native.bindReply(out);
    ops.push({ name: 'native simdjson 3 reply decoder (no objects)', baselines: [base], fn: () => (sink += nat(REPLY, 0, REPLY.length) + out[R_N_FAIL]!) });
  }
  return ops;
}

/** The requote's `session.orders` frame, as it sits in a socket read (with bytes either side). */
function ordersOps(): Op[] {
  const frame = requoteOrdersFrame();
  const read = Buffer.concat([Buffer.alloc(16, 0x20), frame, Buffer.alloc(16, 0x20)]);
  const s = 16;
  const e = s + frame.length;
  const utf8Base = `buffer.isUtf8 of a view of the range (${frame.length} B session.orders)`;
  const parseBase = `JSON.parse from bytes (${frame.length} B session.orders)`;
  const scanner = new OrdersScanner(['BTC-PERPETUAL', 'ETH-PERPETUAL']);
  const counter: OrdersScanSink = { onScannedOrder: (i) => (sink += i) };
  return [
    // buffer.isUtf8 takes a whole TypedArray: on a range of a read buffer it needs a view first.
    { name: utf8Base, fn: () => (sink += isUtf8(read.subarray(s, e)) ? 1 : 0) },
    { name: 'isUtf8Range, the engine\'s WebSocket reader check', baselines: [utf8Base], fn: () => (sink += isUtf8Range(read, s, e) ? 1 : 0) },
    { name: parseBase, fn: () => (sink += (JSON.parse(read.toString('utf8', s, e)) as { notification: unknown[] }).notification.length) },
    { name: 'OrdersScanner one-pass read and apply (the engine\'s handling)', baselines: [parseBase], fn: () => (sink += scanner.scan(read, s, e, counter, 0) ? 2 : 1) },
  ];
}

export async function run(o: Pick<BenchOptions, 'quick' | 'progress'>): Promise<SuiteResult> {
  const calls = o.quick ? 20_000 : 100_000;
  const batchCalls = o.quick ? 40_000 : 200_000;
  const cases: CaseResult[] = [];
  let g = 0;
  const group = async (title: string, ops: Op[], scale = 1) => {
    o.progress(`codec: ${title}`);
    // Fewer calls for big requests: the suite must stay within the full run's budget.
    const c = Math.max(2_000, Math.floor(calls / scale));
    cases.push(...(await measureGroup(ops, { calls: c, batchCalls: Math.max(2_000, Math.floor(batchCalls / scale)), clockName: `clock pair + empty call, group ${++g} (subtracted)` })));
  };
  for (const n of [1, 10, 100]) {
    for (const levels of [1, 10]) await group(`encode ${n} instruments × ${levels} levels`, encodeOps(n, levels), Math.max(1, (n * levels) / 10));
  }
  const native = loadNativeCodec();
  await group('ticker decode', tickerOps(native));
  await group('reply decode', replyOps(native));
  await group('session.orders UTF-8 check and scan', ordersOps());
  await group('private frames: the engine\'s whole handling', handlerOps());
  const clocks = cases.filter((c) => c.name.startsWith('clock pair')).map((c) => c.summary.p50);
  return {
    suite: 'codec',
    description:
      'Hot-path codecs against the library calls they replace, ns per single call: the mass-quote encoder (into the preallocated frame buffer) vs JSON.stringify + Buffer.from, the ticker decoder (into the ring) vs JSON.parse and the simdjson npm package, the reply decoder vs JSON.parse, and on a requote\'s session.orders frame the engine\'s UTF-8 check vs buffer.isUtf8 and its orders byte scan vs JSON.parse.',
    cases,
    notes: [
      'Every call is timed on its own (a performance.now() pair) into an HDR histogram; p50…max are per call. The ops of a group (a baseline and its replacements, plus an empty call) run interleaved in chunks of 50 calls, rotating the order.',
      `The clock pair is not free on this machine: an empty call timed the same way read p50 ${clocks.map((c) => c.toFixed(0)).join(' / ')} ns (per group). That group's p50 is subtracted from every figure of the group's other rows (a constant shift); the clock rows show it raw. Ops much cheaper than the clock pair are near the clock's noise at p99 and above: read their batch mean.`,
      'Extra figures come from a second pass per op, run alone with no per-call clock: "batch mean ns/op" (wall clock: the throughput view, including time other processes held the core), "batch CPU ns/op" (this process\'s CPU time over the pass, GC threads included) and "young / old GCs per 1M ops" (GCs seen during that pass, so the op\'s own garbage; old = every non-scavenge GC).',
      'The JSON.stringify baseline builds the request object as well (a JSON client has to); the encoder fills its QuoteBatch from typed arrays. The session.orders frame is the one the simulator sends for a requote of the engine\'s request (1 instrument, 1 level a side), inside a larger buffer as a socket read holds it.',
      'The "10 tickers back to back" row times 10 decodes as one call: divide by 10 for the per-ticker cost.',
      `Checksum ${sink > 0 ? 'ok' : 'zero'} (keeps the results alive). ${native === null ? 'The native addon did not load: only the JavaScript decoders were measured.' : `Native: simdjson ${native.simdjsonVersion} On-Demand.`}`,
    ],
  };
}

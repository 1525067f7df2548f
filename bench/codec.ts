import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { QuoteEncoder } from '../src/codec/mass-quote-encoder.js';
import { QuoteBatch } from '../src/codec/quote-batch.js';
import { loadNativeCodec } from '../src/codec/native.js';
import { RingTickDecoder } from '../src/codec/tick-decoder.js';
import { bindReply, R_N_FAIL, REPLY_FIELDS } from '../src/codec/reply-decoder.js';
import { parseEngineConfig } from '../src/engine/config.js';
import { TickerRing } from '../src/rings/ticker-ring.js';
import { GcCounter } from './e2e/gc-counter.js';
import type { BenchOptions, CaseResult, SuiteResult } from './lib/types.js';

/**
 * ns per operation as a distribution over repetitions (each repetition times a batch of calls),
 * with the GCs seen per million operations.
 */
async function measure(name: string, reps: number, batch: number, op: (k: number) => void, baselines?: string[]): Promise<CaseResult> {
  for (let k = 0; k < batch; k++) op(k); // warm-up
  const per: number[] = [];
  const gc = new GcCounter();
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let k = 0; k < batch; k++) op(k);
    per.push(((performance.now() - t0) * 1e6) / batch);
  }
  await new Promise((r) => setTimeout(r, 30)); // GC entries are delivered asynchronously
  gc.stop();
  per.sort((a, b) => a - b);
  const at = (p: number) => per[Math.min(per.length - 1, Math.floor((p / 100) * per.length))]!;
  return {
    name,
    unit: 'ns',
    summary: { count: reps * batch, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: per[per.length - 1]!, mean: per.reduce((a, b) => a + b, 0) / per.length },
    ...(baselines !== undefined ? { baselines } : {}),
    extra: { 'GCs per 1M ops': Number((((gc.young + gc.old) * 1e6) / (reps * batch)).toFixed(1)) },
  };
}

export async function run(o: Pick<BenchOptions, 'quick' | 'progress'>): Promise<SuiteResult> {
  const reps = o.quick ? 20 : 60;
  const batch = 2_000;
  const cases: CaseResult[] = [];
  const quoting = parseEngineConfig({ url: 'ws://x:1/ws/api/v2', credentials: { keyId: 'k', privateKeyPem: 'x' }, instruments: ['X'], quoting: { label: 'mm-bot' } }).quoting;
  for (const n of [1, 10, 100]) {
    for (const levels of [1, 10]) {
      o.progress(`codec: encode ${n} instruments × ${levels} levels`);
      const instruments = Array.from({ length: n }, (_, i) => ({ name: i === 0 ? 'BTC-PERPETUAL' : `S${i}-PERPETUAL`, product: 'FBTCUSD', tickSize: 0.5, volumeTickSize: 0.001, minOrderAmount: 0.001, type: 'perpetual' }));
      const enc = new QuoteEncoder(instruments, quoting);
      const batchQ = new QuoteBatch();
      const prices = new Float64Array(levels);
      const amounts = new Float64Array(levels).fill(0.125);
      const buf = Buffer.alloc(1 << 20);
      const params = (k: number) => ({
        quotes: instruments.map((inst, i) => ({ i: inst.name, b: Array.from({ length: levels }, (_, l) => [95_000 - l - (k & 7) - i * 0.5, 0.125]), a: Array.from({ length: levels }, (_, l) => [95_010 + l + (k & 7) + i * 0.5, 0.125]) })),
        label: 'mm-bot',
        post_only: true,
      });
      const label = `${n} instr × ${levels} lvl`;
      // Fewer calls per repetition for big requests: the suite must stay within the full run's budget.
      const b = Math.max(50, Math.floor(batch / Math.max(1, (n * levels) / 10)));
      const base = `JSON.stringify + Buffer.from (${label})`;
      cases.push(
        await measure(base, reps, b, (k) => {
          Buffer.from(JSON.stringify({ id: k + 1, method: 'private/mass_quote', params: params(k) }));
        }),
      );
      cases.push(
        await measure(`encoder into the frame buffer (${label})`, reps, b, (k) => {
          batchQ.clear();
          for (let i = 0; i < n; i++) {
            const e = batchQ.add(i);
            for (let l = 0; l < levels; l++) prices[l] = 95_000 - l - (k & 7) - i * 0.5;
            batchQ.setSide(e, 0, prices, amounts, levels);
            for (let l = 0; l < levels; l++) prices[l] = 95_010 + l + (k & 7) + i * 0.5;
            batchQ.setSide(e, 1, prices, amounts, levels);
          }
          enc.encode(buf, 14, k + 1, batchQ);
        }, [base]),
      );
    }
  }
  o.progress('codec: decode');
  const ticker = Buffer.from(
    '{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"best_bid_price":95000,"best_bid_amount":0.4,"best_ask_price":95010,"best_ask_amount":1,"last_price":95005,"mark_price":95004.64143906124,"mark_timestamp":1700000000.123,"iv":0,"delta":1,"index":95001.5,"volume_24h":1234.5,"value_24h":117000000,"low_price_24h":94000,"high_price_24h":96000,"change_24h":0.01,"collar_low":85504,"collar_high":104505,"open_interest":123.456,"funding_rate":0.0001,"funding_mark":0,"realised_funding_24h":0,"average_funding_rate_24h":0.0001}}',
  );
  const native = loadNativeCodec();
  const jsDec = new RingTickDecoder(['BTC-PERPETUAL'], [TickerRing.create()], null);
  const nativeDec = native !== null ? new RingTickDecoder(['BTC-PERPETUAL'], [TickerRing.create()], native) : null;
  const chStart = 17;
  const chEnd = ticker.indexOf('"', chStart);
  const simdjson = createRequire(import.meta.url)('simdjson') as { parse(s: string): unknown };
  const base = `JSON.parse from bytes (${ticker.length} B ticker)`;
  let sink = 0;
  cases.push(await measure(base, reps, batch, () => {
    const m = JSON.parse(ticker.toString('utf8')) as { notification: { best_bid_price: number } };
    sink += m.notification.best_bid_price;
  }));
  cases.push(await measure('simdjson npm 0.9 parse from bytes', reps, batch, () => {
    const m = simdjson.parse(ticker.toString('utf8')) as { notification: { best_bid_price: number } };
    sink += m.notification.best_bid_price;
  }, [base]));
  cases.push(await measure('JS decoder into the ring (no objects)', reps, batch, (k) => {
    sink += jsDec.decode(ticker, 0, ticker.length, chStart, chEnd, k) + 1;
  }, [base]));
  if (nativeDec !== null) {
    cases.push(await measure('native simdjson 3 decoder into the ring (no objects)', reps, batch, (k) => {
      sink += nativeDec.decode(ticker, 0, ticker.length, chStart, chEnd, k) + 1;
    }, [base]));
    // Batches: several tickers in one socket read (the decoder is called once per frame).
    const many = Array.from({ length: 10 }, () => ticker);
    cases.push(await measure('native decoder, 10 tickers back to back (per 10)', reps, Math.floor(batch / 10), (k) => {
      for (const t of many) sink += nativeDec.decode(t, 0, t.length, chStart, chEnd, k) + 1;
    }));
  }
  o.progress('codec: reply decode');
  const reply = Buffer.from('{"id":1234567,"result":{"n_success":2,"n_fail":0,"errors":[]}}');
  const replyOut = new Float64Array(REPLY_FIELDS);
  const replyBase = `JSON.parse from bytes (${reply.length} B mass_quote reply)`;
  cases.push(await measure(replyBase, reps, batch, () => {
    const m = JSON.parse(reply.toString('utf8')) as { result: { n_fail: number } };
    sink += m.result.n_fail + 1;
  }));
  const jsReply = bindReply(replyOut);
  cases.push(await measure('JS reply decoder (no objects)', reps, batch, () => {
    sink += jsReply(reply, 0, reply.length) + replyOut[R_N_FAIL]!;
  }, [replyBase]));
  if (native !== null) {
    const nativeReply = native.bindReply(replyOut);
    cases.push(await measure('native simdjson 3 reply decoder (no objects)', reps, batch, () => {
      sink += nativeReply(reply, 0, reply.length) + replyOut[R_N_FAIL]!;
    }, [replyBase]));
  }
  return {
    suite: 'codec',
    description: 'Hot-path JSON: the mass-quote encoder (into the preallocated frame buffer) against JSON.stringify + Buffer.from of the same request, and the ticker decoder (into the SharedArrayBuffer ring) against JSON.parse and the simdjson npm package, and the mass-quote reply decoder against JSON.parse, ns per operation.',
    cases,
    notes: [`Checksum ${sink > 0 ? 'ok' : 'zero'} (keeps the decoders' results alive). The batch case is timed per 10 tickers: divide by 10 for per-ticker cost.`, native === null ? 'The native addon did not load: only the JavaScript decoder was measured.' : `Native: simdjson ${native.simdjsonVersion} On-Demand.`],
  };
}

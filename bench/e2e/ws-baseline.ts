import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import WebSocket from 'ws';
import { makeLoginToken, parsePrivateKey } from '../../src/protocol/login-token.js';
import { GcCounter } from './gc-counter.js';
import { instrumentNames, startSimProcess } from './sim-process.js';
import { summarize } from './tcp-floor.js';
import type { CaseResult } from '../lib/types.js';

/**
 * A typical TypeScript client doing the same job: the `ws` package, JSON.parse of every frame,
 * JSON.stringify of every request, a Map of pending ids, a mass quote of mid ± 5 bps on every
 * ticker whose mid moved. Same simulator process, same rate, same instruments.
 */
export async function runWsBaseline(o: { rate: number; instruments: number; durationSec: number; warmupSec: number; cancels?: number }): Promise<{ rtt: CaseResult; t2w: CaseResult; cancel: CaseResult; gc: { young: number; old: number; quotes: number } }> {
  const sim = await startSimProcess({ rate: Math.max(1, Math.round(o.rate / o.instruments)), instruments: o.instruments });
  const names = instrumentNames(o.instruments);
  const ws = new WebSocket(sim.url, { perMessageDeflate: false });
  await new Promise<void>((r, j) => ws.once('open', () => r()).once('error', j));
  const mk = () => hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, autoResize: false });
  const rtt = mk();
  const t2w = mk();
  let nextId = 1;
  let measuring = false;
  let quotes = 0;
  const pending = new Map<number, { t: number; resolve?: (v: unknown) => void }>();
  const lastMid = new Map<string, number>();
  const cancelRtt = mk();
  const call = (method: string, params: object, record?: hdr.Histogram) =>
    new Promise((resolve) => {
      const id = nextId++;
      const entry = { t: 0, resolve: (v: unknown) => {
        if (record !== undefined) record.recordValue(Math.max(1, Math.round((performance.now() - entry.t) * 1e6)));
        resolve(v);
      } };
      pending.set(id, entry);
      ws.send(JSON.stringify({ method, params, id }));
      entry.t = performance.now(); // as the engine: from the frame written
    });
  ws.on('message', (data: Buffer) => {
    const recv = performance.now();
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; channel_name?: string; notification?: Record<string, number | null> };
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      if (p === undefined) return;
      pending.delete(msg.id);
      if (p.resolve !== undefined) p.resolve(msg.result);
      else if (measuring) rtt.recordValue(Math.max(1, Math.round((recv - p.t) * 1e6)));
      return;
    }
    if (msg.channel_name?.startsWith('ticker.') !== true || msg.notification === undefined) return;
    const name = msg.channel_name.slice(7, msg.channel_name.lastIndexOf('.'));
    const t = msg.notification;
    const bid = t['best_bid_price'];
    const ask = t['best_ask_price'];
    const mid = typeof bid === 'number' && typeof ask === 'number' ? (bid + ask) / 2 : (t['mark_price'] as number);
    if (lastMid.get(name) === mid) return;
    lastMid.set(name, mid);
    const tick = name.startsWith('BTC') ? 1 : name.startsWith('ETH') ? 0.1 : 0.01;
    const b = Math.floor((mid * (1 - 0.0005)) / tick) * tick;
    const a = Math.ceil((mid * (1 + 0.0005)) / tick) * tick;
    const id = nextId++;
    const frame = JSON.stringify({ method: 'private/mass_quote', params: { quotes: [{ i: name, b: { p: Number(b.toFixed(2)), a: 0.1 }, a: { p: Number(a.toFixed(2)), a: 0.1 } }], post_only: true }, id });
    const entry = { t: 0 };
    pending.set(id, entry); // before the send: the reply may come in the same turn
    ws.send(frame);
    // Same points as the engine: tick-to-wire ends, and the round trip starts, once the frame is written.
    entry.t = performance.now();
    quotes++;
    if (measuring) t2w.recordValue(Math.max(1, Math.round((entry.t - recv) * 1e6)));
  });
  await call('public/login', { token: await makeLoginToken(parsePrivateKey(sim.privateKeyPem, 'bench'), sim.keyId) });
  await call('private/set_cancel_on_disconnect', { timeout_secs: 10 });
  const products = [...new Set(names.map((n) => (n.startsWith('ETH') ? 'FETHUSD' : n.startsWith('BTC') ? 'FBTCUSD' : `F${n.split('-')[0]}USD`)))];
  for (const p of products) await call('private/set_mm_protection', { product: p, trade_amount: 1000, quote_amount: 1000 });
  // The same private channels the engine needs: a market maker cannot run without them.
  await call('private/subscribe', { channels: ['session.orders', 'account.portfolio', 'account.trade_history', 'session.mm_protection'] });
  await call('public/subscribe', { channels: names.map((n) => `ticker.${n}.raw`) });
  await new Promise((r) => setTimeout(r, o.warmupSec * 1000));
  measuring = true;
  const gc = new GcCounter();
  const q0 = quotes;
  const heapBefore = process.memoryUsage().heapUsed;
  await new Promise((r) => setTimeout(r, o.durationSec * 1000));
  gc.stop();
  const heapAfter = process.memoryUsage().heapUsed;
  const measured = quotes - q0;
  measuring = false;
  // Cancel RTT, as the engine's kill switch does it: cancel_mass_quote, re-arm protection (the
  // cancel reset the groups), let the next ticker requote.
  for (let k = 0; k < (o.cancels ?? 0); k++) {
    await call('private/cancel_mass_quote', {}, cancelRtt);
    for (const p of products) await call('private/set_mm_protection', { product: p, trade_amount: 1000, quote_amount: 1000 });
    lastMid.clear();
    const q = quotes;
    for (let w = 0; w < 2000 && quotes === q; w++) await new Promise((r) => setTimeout(r, 1));
  }
  ws.close();
  await sim.stop();
  const label = `${o.instruments} instr, ${o.rate}/s`;
  return {
    rtt: { name: `ws+JSON quote RTT (${label})`, unit: 'µs', ...summarize(rtt), extra: { quotes: measured, 'heap MB before': heapBefore / 2 ** 20, 'heap MB after': heapAfter / 2 ** 20 } },
    t2w: { name: `ws+JSON tick-to-wire (${label})`, unit: 'µs', ...summarize(t2w) },
    cancel: { name: `ws+JSON cancel RTT (${label})`, unit: 'µs', ...summarize(cancelRtt) },
    gc: { young: gc.young, old: gc.old, quotes: measured },
  };
}

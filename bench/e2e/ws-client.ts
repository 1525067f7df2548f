import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { SendBudget } from '../../src/engine/send-budget.js';
import { makeLoginToken, parsePrivateKey } from '../../src/protocol/login-token.js';
import { nsHistogram, recordMs } from '../lib/hist.js';
import { ClientLatencies } from './client-latencies.js';
import { summarize } from './tcp-floor.js';
import type { BenchClient, ClientPhaseOptions, Summary } from './client-protocol.js';
import { untilQuotedAndSettled } from './cancel-pacing.js';
import { PendingQueue } from './pending-queue.js';

const MAX_IN_FLIGHT = 16;
/** Full spread as a fraction of the mid: the engine case runs its default pricer with spreadBps 20 (quotes outside the book: every ticker shows the market, not us). */
const SPREAD = 0.002;
const SIZE = 0.1;

interface Pending {
  t: number;
  tick: number;
  resolve: ((v: unknown) => void) | undefined;
}

/**
 * A typical TypeScript client doing the engine's job: the `ws` package, JSON.parse of every frame,
 * JSON.stringify of every request, a Map of pending ids. On every ticker it prices mid ± half the
 * engine's spread (20 bps full), rounded to tick as the engine's default pricer does, and sends a
 * mass quote when the prices differ from its last ones, within the same message budget
 * (SendBudget, 0.9 × the granted message_rate) and in-flight limit (16) as the engine in this
 * bench. A ticker that finds no free slot waits in line (latest wins) and goes out when a reply
 * frees one, as the engine's pending quotes do. The request has the engine's shape and fields,
 * in JSON.stringify's order.
 */
export class WsBenchClient implements BenchClient {
  readonly #o: ClientPhaseOptions;
  #ws!: WebSocket;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #index = new Map<string, number>();
  readonly #tick: number[] = [];
  /** Per instrument: the prices last sent, and the ones waiting in line. */
  readonly #last: string[] = [];
  readonly #next: Array<{ b: number; a: number; key: string } | undefined> = [];
  readonly #queue: PendingQueue;
  #budget: SendBudget | undefined;
  #inFlight = 0;
  readonly #m = new ClientLatencies();
  #products: string[] = [];
  #rxAt = 0;

  constructor(o: ClientPhaseOptions) {
    this.#o = o;
    o.instruments.forEach((n, i) => this.#index.set(n, i));
    this.#queue = new PendingQueue(o.instruments.length);
  }

  async start(): Promise<void> {
    this.#ws = new WebSocket(this.#o.url, { perMessageDeflate: false });
    // Tick-to-wire starts at the socket read, as for the engine and the ideal client: a listener
    // ahead of ws's own stamps each chunk before ws parses it.
    this.#ws.once('upgrade', (res) => res.socket.prependListener('data', () => (this.#rxAt = performance.now())));
    await new Promise<void>((r, j) => this.#ws.once('open', () => r()).once('error', j));
    this.#ws.on('message', (data: Buffer) => this.#onMessage(data));
    await this.#call('public/login', { token: await makeLoginToken(parsePrivateKey(this.#o.privateKeyPem, 'bench'), this.#o.keyId) });
    const cod = (await this.#call('private/set_cancel_on_disconnect', { timeout_secs: 10 })) as { message_rate?: number } | null;
    this.#budget = new SendBudget({ messageRate: cod?.message_rate ?? 1000 }, performance.now());
    const all = (await this.#call('public/instruments', {})) as Array<{ instrument_name: string; tick_size: number; product: string }>;
    for (const i of all) {
      const k = this.#index.get(i.instrument_name);
      if (k !== undefined) this.#tick[k] = i.tick_size;
    }
    this.#products = [...new Set(all.filter((i) => this.#index.has(i.instrument_name)).map((i) => i.product))];
    await this.#arm();
    // The private channels a market maker needs, as the engine subscribes them.
    await this.#call('private/subscribe', { channels: ['session.orders', 'account.portfolio', 'account.trade_history', 'session.mm_protection'] });
    await this.#call('public/subscribe', { channels: this.#o.instruments.map((n) => `ticker.${n}.raw`) });
  }

  resetMetrics(): void {
    this.#m.reset();
  }

  snapshot() {
    return this.#m.snapshot();
  }

  async cancels(n: number): Promise<Summary> {
    const h = nsHistogram();
    for (let k = 0; k < n; k++) {
      await this.#call('private/cancel_mass_quote', {}, h);
      await this.#arm(); // the cancel reset the protection groups
      this.#last.fill('');
      const q = this.#m.quotes;
      await untilQuotedAndSettled(() => this.#m.quotes, q);
    }
    return summarize(h).summary;
  }

  async stop(): Promise<void> {
    this.#ws.close();
    await new Promise((r) => this.#ws.once('close', r));
  }

  async #arm(): Promise<void> {
    for (const p of this.#products) await this.#call('private/set_mm_protection', { product: p, trade_amount: 1000, quote_amount: 1000 });
  }

  #call(method: string, params: object, record?: ReturnType<typeof nsHistogram>): Promise<unknown> {
    return new Promise((resolve) => {
      const id = this.#nextId++;
      const entry: Pending = { t: 0, tick: 0, resolve: undefined };
      entry.resolve = (v) => {
        if (record !== undefined) recordMs(record, performance.now() - entry.t);
        resolve(v);
      };
      this.#pending.set(id, entry);
      const text = JSON.stringify({ method, id, params });
      entry.t = performance.now(); // from just before the send call
      this.#ws.send(text);
    });
  }

  #onMessage(data: Buffer): void {
    const recv = performance.now();
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: unknown; channel_name?: string; notification?: Record<string, number | null> };
    if (msg.id !== undefined) {
      const p = this.#pending.get(msg.id);
      if (p === undefined) return;
      this.#pending.delete(msg.id);
      if (p.resolve !== undefined) {
        p.resolve(msg.result);
        return;
      }
      this.#inFlight--;
      // Arrival = the socket read that brought the reply, as for every client here.
      recordMs(this.#m.rtt, this.#rxAt - p.t);
      recordMs(this.#m.t2r, this.#rxAt - p.tick);
      this.#drain(recv);
      return;
    }
    if (msg.channel_name?.startsWith('ticker.') !== true || msg.notification === undefined) return;
    this.#m.ticks++;
    const tickAt = this.#rxAt;
    const i = this.#index.get(msg.channel_name.slice(7, msg.channel_name.lastIndexOf('.')));
    if (i === undefined) return;
    const t = msg.notification;
    const bid = t['best_bid_price'];
    const ask = t['best_ask_price'];
    const mid = typeof bid === 'number' && typeof ask === 'number' && ask > bid ? (bid + ask) / 2 : t['mark_price'];
    const tick = this.#tick[i];
    if (typeof mid !== 'number' || tick === undefined) return;
    // The engine's default pricer: half = mid × spreadBps / 20000, bid down and ask up to the tick.
    const half = (mid * SPREAD) / 2;
    const b = Number((Math.floor((mid - half) / tick) * tick).toFixed(8));
    let a = Number((Math.ceil((mid + half) / tick) * tick).toFixed(8));
    if (a <= b) a = Number((b + tick).toFixed(8));
    const key = `${b}/${a}`;
    if (this.#last[i] === key) {
      this.#queue.drop(i);
      return;
    }
    this.#next[i] = { b, a, key };
    this.#queue.push(i, tickAt);
    this.#drain(recv);
  }

  /** Sends what waits in line, oldest first, while a slot and the budget allow. */
  #drain(nowMs: number): void {
    for (;;) {
      if (this.#inFlight >= MAX_IN_FLIGHT || this.#budget === undefined) return;
      const i = this.#queue.peek();
      if (i < 0 || !this.#budget.tryTake(nowMs)) return;
      this.#queue.shift();
      const q = this.#next[i]!;
      this.#last[i] = q.key;
      const id = this.#nextId++;
      const text = JSON.stringify({ method: 'private/mass_quote', id, params: { quotes: [{ i: this.#o.instruments[i]!, b: { p: q.b, a: SIZE }, a: { p: q.a, a: SIZE } }], label: 'thalex-quoter', post_only: true } });
      const entry: Pending = { t: 0, tick: this.#queue.tickAt[i]!, resolve: undefined };
      this.#pending.set(id, entry); // before the send: the reply may come in the same turn
      this.#inFlight++;
      entry.t = performance.now(); // from just before the send call, as every client here
      this.#ws.send(text);
      recordMs(this.#m.t2w, entry.t - entry.tick);
      this.#m.quotes++;
    }
  }
}

import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SendBudget } from '../../src/engine/send-budget.js';
import { makeLoginToken, parsePrivateKey } from '../../src/protocol/login-token.js';
import { OP_TEXT, buildClientFrame } from '../../src/ws/frame-writer.js';
import { makeKey, upgradeRequest, verifyUpgradeResponse } from '../../src/ws/handshake.js';
import { BenchError } from '../lib/errors.js';
import { nsHistogram, recordMs } from '../lib/hist.js';
import { ClientLatencies } from './client-latencies.js';
import { summarize } from './tcp-floor.js';
import type { BenchClient, ClientPhaseOptions, Summary } from './client-protocol.js';
import { untilQuotedAndSettled } from './cancel-pacing.js';
import { PendingQueue } from './pending-queue.js';

const MAX_IN_FLIGHT = 16;
/** Hot ids have 8 digits, patched in place; cold calls (login, subscribe) use smaller ones. */
const FIRST_HOT_ID = 10_000_000;
const SLOTS = 1 << 16;
const KIND_QUOTE = 1;
const KIND_CANCEL = 2;
/** One instrument's prices are re-centred this often (ms), in turn, after a send, so post-only quotes stay near the market. */
const RECENTRE_MS = 20;
const HALF_SPREAD = 0.003;
const SIZE = 0.1;
const TICKER_PREFIX = Buffer.from('{"channel_name":"ticker.', 'latin1');
const REPLY_PREFIX = Buffer.from('{"id":', 'latin1');

/** A whole text frame, masked with the all-zero key (RFC 6455 §5.3 allows any key; zero leaves the payload as it is). */
function zeroMaskFrame(payload: string): { frame: Buffer; idAt: number } {
  const body = Buffer.from(payload, 'latin1');
  const head = body.length < 126 ? 2 : 4;
  const frame = Buffer.alloc(head + 4 + body.length);
  frame[0] = 0x80 | OP_TEXT;
  if (head === 2) frame[1] = 0x80 | body.length;
  else {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(body.length, 2);
  }
  body.copy(frame, head + 4);
  return { frame, idAt: head + 4 + payload.indexOf(String(FIRST_HOT_ID)) };
}

function patchId(frame: Buffer, at: number, id: number): void {
  for (let k = 7; k >= 0; k--) {
    frame[at + k] = 0x30 + (id % 10);
    id = Math.floor(id / 10);
  }
}

function nameHash(buf: Uint8Array, start: number, end: number): number {
  let h = 0;
  for (let k = start; k < end; k++) h = (Math.imul(h, 31) + buf[k]!) | 0;
  return h;
}

/**
 * The limit for any client of this venue on this machine: one raw socket, reads into one reused
 * buffer, frames pre-encoded and pre-masked (zero key) per instrument in two alternating price
 * sets, written the moment a ticker arrives with only the 8-digit id patched in, replies matched
 * by those digits without parsing, notifications skipped by their first bytes. Same message
 * budget and in-flight limit as the engine in this bench; a ticker that finds no free slot waits
 * in line (latest wins) and goes out when a reply frees one. Every 20 ms one instrument's prices
 * are re-centred on the market, in turn, after a send, never before one.
 */
export class IdealBenchClient implements BenchClient {
  readonly #o: ClientPhaseOptions;
  #sock!: Socket;
  readonly #read = Buffer.allocUnsafe(256 * 1024);
  readonly #acc = Buffer.allocUnsafe(8 * 1024 * 1024);
  #accLen = 0;
  #head = '';
  #upgraded = false;
  #upgradeDone: ((e?: Error) => void) | undefined;
  #wsKey = makeKey();
  #coldId = 1;
  readonly #cold = new Map<number, (v: unknown) => void>();
  #hotId = FIRST_HOT_ID;
  readonly #sentAt = new Float64Array(SLOTS);
  readonly #tickAt = new Float64Array(SLOTS);
  readonly #kind = new Uint8Array(SLOTS);
  #cancelDone: (() => void) | undefined;
  readonly #byHash = new Map<number, number>();
  #frames: Array<[{ frame: Buffer; idAt: number }, { frame: Buffer; idAt: number }] | undefined> = [];
  readonly #flip: Uint8Array;
  readonly #tickSize: number[] = [];
  #products: string[] = [];
  #budget: SendBudget | undefined;
  #inFlight = 0;
  readonly #queue: PendingQueue;
  /** Re-centrings due (one per 20 ms, at most one per instrument), and whose turn it is. */
  #recentreDue = 0;
  #recentreNext = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #m = new ClientLatencies();
  #cancelRtt = nsHistogram();

  constructor(o: ClientPhaseOptions) {
    this.#o = o;
    this.#flip = new Uint8Array(o.instruments.length);
    this.#queue = new PendingQueue(o.instruments.length);
    o.instruments.forEach((n, i) => this.#byHash.set(nameHash(Buffer.from(n, 'latin1'), 0, n.length), i));
    if (this.#byHash.size !== o.instruments.length) throw new BenchError('BENCH_ERR_SETUP', 'instrument name hashes collide');
  }

  async start(): Promise<void> {
    const url = new URL(this.#o.url);
    this.#sock = connect({
      host: url.hostname,
      port: Number(url.port),
      noDelay: true,
      onread: { buffer: this.#read, callback: (n, buf) => this.#onRead(n, buf as Buffer) },
    });
    await new Promise<void>((resolve, reject) => {
      this.#upgradeDone = (e) => (e === undefined ? resolve() : reject(e));
      this.#sock.once('error', reject);
      this.#sock.once('connect', () => this.#sock.write(upgradeRequest(url, this.#wsKey, {})));
    });
    await this.#call('public/login', { token: await makeLoginToken(parsePrivateKey(this.#o.privateKeyPem, 'bench'), this.#o.keyId) });
    const cod = (await this.#call('private/set_cancel_on_disconnect', { timeout_secs: 10 })) as { message_rate?: number } | null;
    this.#budget = new SendBudget({ messageRate: cod?.message_rate ?? 1000 }, performance.now());
    const all = (await this.#call('public/instruments', {})) as Array<{ instrument_name: string; tick_size: number; product: string }>;
    const by = new Map(all.map((i) => [i.instrument_name, i]));
    this.#o.instruments.forEach((n, k) => (this.#tickSize[k] = by.get(n)?.tick_size ?? 0.01));
    this.#products = [...new Set(this.#o.instruments.map((n) => by.get(n)?.product ?? ''))];
    await this.#arm();
    await this.#call('private/subscribe', { channels: ['session.orders', 'account.portfolio', 'account.trade_history', 'session.mm_protection'] });
    await this.#call('public/subscribe', { channels: this.#o.instruments.map((n) => `ticker.${n}.raw`) });
    this.#timer = setInterval(() => (this.#recentreDue = Math.min(this.#recentreDue + 1, this.#o.instruments.length)), RECENTRE_MS);
  }

  resetMetrics(): void {
    this.#m.reset();
  }

  snapshot() {
    return this.#m.snapshot();
  }

  async cancels(n: number): Promise<Summary> {
    const cancel = zeroMaskFrame(`{"method":"private/cancel_mass_quote","id":${FIRST_HOT_ID},"params":{}}`);
    for (let k = 0; k < n; k++) {
      await new Promise<void>((resolve) => {
        this.#cancelDone = resolve;
        const id = this.#hotId++;
        const slot = id & (SLOTS - 1);
        this.#kind[slot] = KIND_CANCEL;
        patchId(cancel.frame, cancel.idAt, id);
        this.#sentAt[slot] = performance.now();
        this.#sock.write(cancel.frame);
      });
      await this.#arm();
      const q = this.#m.quotes;
      await untilQuotedAndSettled(() => this.#m.quotes, q);
    }
    return summarize(this.#cancelRtt).summary;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#sock.destroy();
  }

  async #arm(): Promise<void> {
    for (const p of this.#products) await this.#call('private/set_mm_protection', { product: p, trade_amount: 1000, quote_amount: 1000 });
  }

  #call(method: string, params: object): Promise<unknown> {
    return new Promise((resolve) => {
      const id = this.#coldId++;
      this.#cold.set(id, resolve);
      this.#sock.write(buildClientFrame(OP_TEXT, Buffer.from(JSON.stringify({ method, id, params }))));
    });
  }

  #onRead(n: number, buf: Buffer): boolean {
    const rx = performance.now();
    if (!this.#upgraded) {
      this.#handshake(buf.subarray(0, n));
      return true;
    }
    let b = buf;
    let end = n;
    if (this.#accLen > 0) {
      if (this.#accLen + n > this.#acc.length) throw new BenchError('BENCH_ERR_SETUP', 'frame larger than the reassembly buffer');
      buf.copy(this.#acc, this.#accLen, 0, n);
      this.#accLen += n;
      b = this.#acc;
      end = this.#accLen;
    }
    let off = 0;
    while (end - off >= 2) {
      const b1 = b[off + 1]! & 0x7f;
      let hl = 2;
      let len = b1;
      if (b1 === 126) {
        if (end - off < 4) break;
        len = b.readUInt16BE(off + 2);
        hl = 4;
      } else if (b1 === 127) {
        if (end - off < 10) break;
        len = b.readUInt32BE(off + 6); // the simulator sends nothing near 4 GiB
        hl = 10;
      }
      if (end - off < hl + len) break;
      this.#onFrame(b, off + hl, len, rx);
      off += hl + len;
    }
    if (off < end) b.copy(this.#acc, 0, off, end);
    this.#accLen = end - off;
    return true;
  }

  #onFrame(b: Buffer, p: number, len: number, rx: number): void {
    if (len > REPLY_PREFIX.length && b[p + 2] === 0x69 && b.compare(REPLY_PREFIX, 0, REPLY_PREFIX.length, p, p + REPLY_PREFIX.length) === 0) {
      let id = 0;
      let q = p + REPLY_PREFIX.length;
      for (; b[q]! >= 0x30 && b[q]! <= 0x39; q++) id = id * 10 + b[q]! - 0x30;
      if (id < FIRST_HOT_ID) {
        const r = this.#cold.get(id);
        this.#cold.delete(id);
        r?.((JSON.parse(b.toString('utf8', p, p + len)) as { result?: unknown }).result ?? null);
        return;
      }
      const slot = id & (SLOTS - 1);
      if (this.#kind[slot] === KIND_CANCEL) {
        recordMs(this.#cancelRtt, rx - this.#sentAt[slot]!);
        this.#cancelDone?.();
        return;
      }
      this.#inFlight--;
      recordMs(this.#m.rtt, rx - this.#sentAt[slot]!);
      recordMs(this.#m.t2r, rx - this.#tickAt[slot]!);
      this.#drain(rx);
      return;
    }
    if (len <= TICKER_PREFIX.length || b[p + 17] !== 0x74 || b.compare(TICKER_PREFIX, 0, TICKER_PREFIX.length, p, p + TICKER_PREFIX.length) !== 0) return;
    this.#m.ticks++;
    const nameStart = p + TICKER_PREFIX.length;
    let nameEnd = nameStart;
    while (b[nameEnd] !== 0x2e) nameEnd++;
    const i = this.#byHash.get(nameHash(b, nameStart, nameEnd));
    if (i === undefined) return;
    const frames = this.#frames[i];
    if (frames === undefined) {
      this.#encode(i, b, p, len); // the first ticker of an instrument: prices from it
      return;
    }
    this.#queue.push(i, rx);
    this.#drain(rx);
    if (this.#recentreDue > 0 && i === this.#recentreNext) {
      this.#recentreDue--;
      this.#recentreNext = i + 1 === this.#o.instruments.length ? 0 : i + 1;
      this.#encode(i, b, p, len);
    }
  }

  /** Writes what waits in line, oldest first, while a slot, the kernel buffer and the budget allow. */
  #drain(rx: number): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#sock.writableLength === 0) {
      const i = this.#queue.peek();
      if (i < 0 || !this.#budget!.tryTake(rx)) return;
      this.#queue.shift();
      const f = this.#frames[i]![this.#flip[i]!]!;
      this.#flip[i] ^= 1;
      const id = this.#hotId++;
      const slot = id & (SLOTS - 1);
      patchId(f.frame, f.idAt, id);
      this.#kind[slot] = KIND_QUOTE;
      const tickAt = this.#queue.tickAt[i]!;
      this.#tickAt[slot] = tickAt;
      const t = performance.now();
      this.#sentAt[slot] = t;
      this.#sock.write(f.frame);
      this.#inFlight++;
      this.#m.quotes++;
      recordMs(this.#m.t2w, t - tickAt);
    }
  }

  /** Cold: two frames priced around this ticker's mid (the second one tick wider). */
  #encode(i: number, b: Buffer, p: number, len: number): void {
    const t = (JSON.parse(b.toString('utf8', p, p + len)) as { notification: Record<string, number | null> }).notification;
    const bid = t['best_bid_price'];
    const ask = t['best_ask_price'];
    const mid = typeof bid === 'number' && typeof ask === 'number' && ask > bid ? (bid + ask) / 2 : t['mark_price'];
    if (typeof mid !== 'number') return;
    const tick = this.#tickSize[i]!;
    const name = this.#o.instruments[i]!;
    const set = (w: number) => {
      const bp = Number((Math.floor((mid * (1 - HALF_SPREAD)) / tick) * tick - w * tick).toFixed(8));
      const ap = Number((Math.ceil((mid * (1 + HALF_SPREAD)) / tick) * tick + w * tick).toFixed(8));
      return zeroMaskFrame(`{"method":"private/mass_quote","id":${FIRST_HOT_ID},"params":{"quotes":[{"i":"${name}","b":{"p":${bp},"a":${SIZE}},"a":{"p":${ap},"a":${SIZE}}}],"label":"thalex-quoter","post_only":true}}`);
    };
    this.#frames[i] = [set(0), set(1)];
  }

  #handshake(chunk: Buffer): void {
    this.#head += chunk.toString('latin1');
    const end = this.#head.indexOf('\r\n\r\n');
    if (end < 0) return;
    try {
      verifyUpgradeResponse(this.#head.slice(0, end), this.#wsKey);
    } catch (e) {
      this.#upgradeDone?.(e as Error);
      return;
    }
    this.#upgraded = true;
    const rest = Buffer.from(this.#head.slice(end + 4), 'latin1');
    if (rest.length > 0) {
      rest.copy(this.#acc, 0);
      this.#accLen = rest.length;
    }
    this.#upgradeDone?.();
  }
}

import { performance } from 'node:perf_hooks';
import type { QuoteEncoder, QuoteFrameSink } from '../codec/mass-quote-encoder.js';
import { REPLY_ERROR } from '../codec/reply-decoder.js';
import type { TickDecoder } from '../codec/tick-decoder.js';
import type { RpcSession } from '../rpc/session.js';
import { CancelAllError } from './errors.js';
import type { LoopCounters } from './loop-report.js';
import { FRAME_HEADER_ROOM } from '../ws/types.js';

export const TAG_QUOTE = 1;
export const TAG_CANCEL = 2;

interface Waiter {
  id: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * The one `private/cancel_mass_quote` (no product: the whole account) that may be waiting for its
 * reply. Cold: used by stop() and the kill switch; it goes through the hot request table only so
 * that its round trip lands in the cancel RTT histogram like the quotes' do.
 */
export class CancelAll {
  readonly #rpc: RpcSession;
  readonly #encoder: QuoteEncoder;
  readonly #decoder: TickDecoder;
  readonly #reply: Float64Array;
  readonly #counters: LoopCounters;
  #waiter: Waiter | undefined;

  constructor(rpc: RpcSession, encoder: QuoteEncoder, decoder: TickDecoder, reply: Float64Array, counters: LoopCounters) {
    this.#rpc = rpc;
    this.#encoder = encoder;
    this.#decoder = decoder;
    this.#reply = reply;
    this.#counters = counters;
  }

  /** Sends the cancel into `sink` and waits for the venue's reply, at most `timeoutMs`. */
  send(sink: QuoteFrameSink | undefined, timeoutMs: number): Promise<void> {
    if (sink === undefined) return Promise.reject(new CancelAllError('not connected'));
    const id = this.#rpc.nextId();
    const len = this.#encoder.encodeCancel(sink.frame, FRAME_HEADER_ROOM, id);
    const now = performance.now();
    if (!this.#rpc.trackHot(id, TAG_CANCEL, now)) return Promise.reject(new CancelAllError('too many requests in flight to cancel'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.#waiter?.id === id) this.#waiter = undefined;
        reject(new CancelAllError(`cancel_mass_quote not confirmed within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiter = {
        id,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const sentMs = performance.now(); // the round trip starts just before the send call
      if (sink.sendFrame(len) === 2 /* NotOpen */) {
        this.#rpc.untrackHot(id);
        this.#waiter = undefined;
        clearTimeout(timer);
        reject(new CancelAllError('connection closed before cancel_mass_quote was sent'));
        return;
      }
      this.#rpc.markHotSent(id, sentMs);
      this.#counters.cancelsSent++;
    });
  }

  /** The reply to request `id` (a cancel): settles the waiter if it is this one. */
  onReply(id: number, data: Buffer, start: number, end: number): void {
    const w = this.#waiter;
    if (w === undefined || w.id !== id) return;
    this.#waiter = undefined;
    if (this.#decoder.decodeReply(data, start, end, this.#reply) === REPLY_ERROR) w.reject(new CancelAllError(`cancel_mass_quote refused: ${data.toString('utf8', start, end)}`));
    else w.resolve();
  }

  /** Request `id` (a cancel) timed out or was lost to a disconnect. */
  onLost(id: number, error: Error): void {
    const w = this.#waiter;
    if (w === undefined || w.id !== id) return;
    this.#waiter = undefined;
    w.reject(error);
  }

  onDisconnect(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.reject(new CancelAllError('connection lost before cancel_mass_quote was confirmed'));
  }
}

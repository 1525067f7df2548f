import type { EventEmitter } from 'node:events';
import type { InstrumentInfo } from './bootstrap.js';
import type { EngineEvents } from './events.js';
import { ASK, BID, type LiveQuotes } from './live-quotes.js';
import type { LoopCounters } from './loop-report.js';
import type { Protection } from './protection.js';
import type { RequestLog } from './request-log.js';

/** Thalex error codes the loop reacts to (thalex-protocol.md §9). */
export const THROTTLE_EXCEEDED = 4;
const PROT_NOT_SET = 23;
/** Refusals in a row, same code, after which a side is held back. */
export const SIDE_FAIL_HOLD = 3;

type FailedReply = { error?: { code?: number; message?: string }; result?: { errors?: Array<{ code?: number; message?: string; side?: string }> } };

/**
 * What the venue refused: per instrument and side, the last error code and how many refusals in a
 * row carried it (a side refused SIDE_FAIL_HOLD times is held back until a reconnect). Parsing a
 * refusal is cold (JSON.parse); the clean-reply path only reads `failingSides`.
 */
export class ReplyFailures {
  /** [i * 2 + side] refusals in a row with the same code; the planner holds a side at SIDE_FAIL_HOLD. */
  readonly failCount: Int32Array;
  readonly #failCode: Int32Array; // [i * 2 + side] last error code, 0 = none
  /** Sides with a nonzero failure count: a clean reply skips the reset scan while there are none. */
  failingSides = 0;
  readonly #inst: readonly InstrumentInfo[];
  readonly #requests: RequestLog;
  readonly #live: LiveQuotes;
  readonly #pending: Uint8Array;
  readonly #protection: Protection;
  readonly #events: EventEmitter<EngineEvents>;
  readonly #counters: LoopCounters;

  constructor(inst: readonly InstrumentInfo[], requests: RequestLog, live: LiveQuotes, pending: Uint8Array, protection: Protection, events: EventEmitter<EngineEvents>, counters: LoopCounters) {
    this.#inst = inst;
    this.#requests = requests;
    this.#live = live;
    this.#pending = pending;
    this.#protection = protection;
    this.#events = events;
    this.#counters = counters;
    this.failCount = new Int32Array(inst.length * 2);
    this.#failCode = new Int32Array(inst.length * 2);
  }

  /** A new session starts clean: the last one's refusals do not hold a side back here. */
  reset(): void {
    this.#failCode.fill(0);
    this.failCount.fill(0);
    this.failingSides = 0;
  }

  /**
   * Cold: a reply with an error, or with `errors[]`, to the request in `slot` (-1: unknown).
   * Returns the whole-request error code (-1 when none or unreadable) so the caller can react to
   * a throttle.
   */
  handle(slot: number, data: Buffer, start: number, end: number): number {
    let msg: FailedReply;
    try {
      msg = JSON.parse(data.toString('utf8', start, end));
    } catch {
      if (slot >= 0) this.forgetRequest(slot, -1);
      return -1;
    }
    if (msg.error !== undefined) {
      const code = typeof msg.error.code === 'number' ? msg.error.code : -1;
      this.#counters.requestErrors.set(code, (this.#counters.requestErrors.get(code) ?? 0) + 1);
      if (slot >= 0) this.forgetRequest(slot, -1);
      return code;
    }
    const errors = msg.result?.errors ?? [];
    const single = slot >= 0 && this.#requests.count(slot) === 1 ? this.#requests.instrumentAt(slot, 0) : -1;
    let failedBid = false;
    let failedAsk = false;
    for (const err of errors) {
      const code = typeof err.code === 'number' ? err.code : -1;
      const side = err.side === 'bid' || err.side === 'buy' ? BID : err.side === 'ask' || err.side === 'sell' ? ASK : -1;
      this.#counters.sideErrors.set(code, (this.#counters.sideErrors.get(code) ?? 0) + 1);
      // Error items name no instrument (spec DoubleSidedQuoteResult): attributable only when
      // the request held one; otherwise every instrument of the request re-sends that side
      // (identical levels keep priority, so this costs a message, not queue position).
      if (single >= 0) {
        this.#events.emit('quoteError', { instrument: this.#inst[single]!.name, side: err.side ?? 'unknown', code, message: err.message ?? '' });
        if (side >= 0) {
          const k = single * 2 + side;
          if (this.failCount[k] === 0) this.failingSides++;
          this.failCount[k] = this.#failCode[k] === code ? this.failCount[k]! + 1 : 1;
          this.#failCode[k] = code;
        }
        if (side !== ASK) failedBid = true; // an error naming no side may be either
        if (side !== BID) failedAsk = true;
      } else {
        this.#events.emit('quoteError', { instrument: '', side: err.side ?? 'unknown', code, message: err.message ?? '' });
      }
      if (code === PROT_NOT_SET && single >= 0) this.#protection.onCancelAll(this.#inst[single]!.product);
    }
    // The sides that went through were accepted (attributable only with one instrument).
    if (single >= 0 && this.failingSides !== 0) this.resetAccepted(slot, failedBid, failedAsk);
    if (slot >= 0) this.forgetRequest(slot, errors.length > 0 && errors.every((e) => e.side === 'bid') ? BID : errors.length > 0 && errors.every((e) => e.side === 'ask') ? ASK : -1);
    return -1;
  }

  /** The venue accepted the sides this request sent with levels (but the failed ones): their count starts over. */
  resetAccepted(slot: number, failedBid: boolean, failedAsk: boolean): void {
    const n = this.#requests.count(slot);
    for (let k = 0; k < n; k++) {
      const i = this.#requests.instrumentAt(slot, k);
      for (let side = 0; side < 2; side++) {
        if ((side === BID ? failedBid : failedAsk) || !this.#requests.sentLevels(slot, k, side)) continue;
        const f = i * 2 + side;
        if (this.failCount[f] === 0) continue;
        this.failCount[f] = 0;
        this.#failCode[f] = 0;
        this.failingSides--;
      }
    }
  }

  /**
   * What the request in `slot` sent may or may not be live (`side` -1: both sides): forget it and
   * re-consider its instruments, then free the slot.
   */
  forgetRequest(slot: number, side: number): void {
    const n = this.#requests.count(slot);
    for (let k = 0; k < n; k++) {
      const i = this.#requests.instrumentAt(slot, k);
      if (side < 0) this.#live.forgetInstrument(i);
      else this.#live.forget(i, side);
      this.#pending[i] = 1;
    }
    this.#requests.release(slot);
  }
}

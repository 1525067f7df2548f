import { performance } from 'node:perf_hooks';
import type { QuoteEncoder, QuoteFrameSink } from '../codec/mass-quote-encoder.js';
import { R_ERRORS, R_N_FAIL, REPLY_MASS_QUOTE } from '../codec/reply-decoder.js';
import type { TickDecoder } from '../codec/tick-decoder.js';
import type { EngineMetrics } from '../metrics/engine-metrics.js';
import type { QuoteSource } from '../pricing/quote-source.js';
import { QF_PRICING_NS, QF_RECV_NS, QF_SOURCE_SEQ, QUOTE_FIELDS } from '../rings/quote-layout.js';
import { seqNewer } from '../rings/seq.js';
import type { TickerRing } from '../rings/ticker-ring.js';
import type { RawChannelHandler } from '../rpc/channel-router.js';
import type { RpcError } from '../rpc/errors.js';
import type { HotReplyHandler, RpcSession } from '../rpc/session.js';
import { FRAME_HEADER_ROOM } from '../ws/types.js';
import { type CancelAll, TAG_CANCEL, TAG_QUOTE } from './cancel-all.js';
import { AWAIT_FRESH_MS, LATE_POLL_MS, WORKER_POLL_TURNS, type EngineConfig } from './config.js';
import { type LiveQuotes, MAX_LEVELS } from './live-quotes.js';
import type { LoopCounters } from './loop-report.js';
import type { QuotePlanner } from './quote-planner.js';
import { type ReplyFailures, THROTTLE_EXCEEDED } from './reply-failures.js';
import type { RequestLog } from './request-log.js';
import type { SendBudget } from './send-budget.js';

/**
 * Mass quotes one flush may send back to back (each ≤ 100 instruments): bounds the work of one
 * call; maxInFlight and the message budget are the real limits and usually stop it sooner.
 */
const MAX_BATCHES_PER_FLUSH = 8;

/** What the hot path works with: built once by QuoteLoop, shared with its cold collaborators. */
export interface HotPathParts {
  config: EngineConfig;
  rpc: RpcSession;
  live: LiveQuotes;
  source: QuoteSource;
  rings: readonly TickerRing[];
  decoder: TickDecoder;
  /** decodeReply's output (bound once by the decoder). */
  reply: Float64Array;
  encoder: QuoteEncoder;
  metrics: EngineMetrics;
  counters: LoopCounters;
  requests: RequestLog;
  planner: QuotePlanner;
  failures: ReplyFailures;
  cancel: CancelAll;
  onReplyTimeout(error: RpcError): void;
  /** Newest candidate quote per instrument (QUOTE_FIELDS each). */
  cand: Float64Array;
  /** Per instrument: 1 = something to (re)consider. */
  pending: Uint8Array;
  lastTickMs: Float64Array;
  /** Per instrument: ring seq published and not yet answered by its worker (0 = none). */
  awaiting: Float64Array;
}

/**
 * The hot path: ticker bytes → ring → pricer → (planner: risk, diff against live quotes) → one
 * `private/mass_quote` frame written into the connection's preallocated buffer; replies →
 * histograms and per-side error handling. Everything per tick and per quote lives in typed
 * arrays allocated once; nothing here allocates in steady state.
 *
 * When a quote is sent: right after the tick that produced it (inline pricing, or a worker
 * that answered within the bounded spin), else on one of a few event-loop turns, else on a 1 ms
 * timer (LATE_POLL_MS) that keeps polling while a worker is late. Requests in flight, the
 * message budget, the per-instrument minimum interval and the protection state can hold a quote
 * back; it then stays pending (latest wins: only the newest candidate per instrument is kept)
 * and goes out as soon as they allow: on the reply that frees an in-flight slot, or on the same
 * 1 ms timer for the budget and the interval. Nothing waits for the next tick or housekeeping.
 *
 * The gates below are plain fields that QuoteLoop's lifecycle sets (session up or down, paused).
 */
export class HotPath implements RawChannelHandler, HotReplyHandler {
  /** The connection's frame buffer and send call; undefined while disconnected. */
  sink: QuoteFrameSink | undefined;
  /** The session's message budget; undefined before the first session. */
  budget: SendBudget | undefined;
  /** Quoting not allowed (bootstrap, protection being armed, stopping). */
  paused = true;
  /** Ticks received before this (ns) have no tick-to-wire: quoting was not allowed when they came. */
  resumedNs = 0;
  /**
   * The connection calls onReadEnd after the messages of each socket read (the engine's does):
   * ticks then publish as they come and the quote goes out once per read, for every ticker the
   * read held (one mass quote for a burst of 100 tickers, and one worker spin, not 100).
   */
  readEnds = false;
  readonly #cfg: EngineConfig;
  readonly #n: number;
  readonly #rpc: RpcSession;
  readonly #live: LiveQuotes;
  readonly #source: QuoteSource;
  readonly #rings: readonly TickerRing[];
  readonly #decoder: TickDecoder;
  readonly #reply: Float64Array;
  readonly #encoder: QuoteEncoder;
  readonly #metrics: EngineMetrics;
  readonly #counters: LoopCounters;
  readonly #requests: RequestLog;
  readonly #planner: QuotePlanner;
  readonly #failures: ReplyFailures;
  readonly #cancel: CancelAll;
  readonly #onReplyTimeout: (error: RpcError) => void;
  readonly #workers: boolean;
  readonly #spinPolls: number;

  // Per instrument.
  readonly #cand: Float64Array;
  readonly #pending: Uint8Array;
  readonly #lastTickMs: Float64Array;
  readonly #lastQuoteMs: Float64Array;
  readonly #awaiting: Float64Array;
  /** Per instrument: tick seq of the last quote sent (latest wins: never send an older one). */
  readonly #sentSeq: Float64Array;

  // Scratch.
  readonly #q = new Float64Array(QUOTE_FIELDS);

  /** A tick of the current read still has to be flushed (and, in workers mode, spun for). */
  #readDue = false;
  #spinI = -1;
  #spinSeq = 0;
  #immediateArmed = false;
  #immediateTurns = 0;
  readonly #pollWorkers = (): void => this.#onImmediate();
  /** The 1 ms retry timer: created once, re-armed with refresh() (no allocation), unref'd. */
  #late: NodeJS.Timeout | undefined;
  #lateArmed = false;
  /** Set by flush when the budget or the minimum interval held something back. */
  #heldBack = false;
  /** Where the next batch's scan starts (round robin over the instruments). */
  #cursor = 0;
  readonly #onLateTimer = (): void => this.#onLate();
  readonly #onResultLanded = (): void => this.#onResult();

  constructor(p: HotPathParts) {
    this.#cfg = p.config;
    this.#n = p.pending.length;
    this.#rpc = p.rpc;
    this.#live = p.live;
    this.#source = p.source;
    this.#rings = p.rings;
    this.#decoder = p.decoder;
    this.#reply = p.reply;
    this.#encoder = p.encoder;
    this.#metrics = p.metrics;
    this.#counters = p.counters;
    this.#requests = p.requests;
    this.#planner = p.planner;
    this.#failures = p.failures;
    this.#cancel = p.cancel;
    this.#onReplyTimeout = p.onReplyTimeout;
    this.#workers = p.config.pricing.mode === 'workers';
    // Enough polls (~tens of µs) to cover a worker's wake-up from Atomics.wait; what it misses is
    // picked up by the immediate-poll turns below.
    this.#spinPolls = this.#workers ? p.config.pricing.spinPolls : 0;
    this.#cand = p.cand;
    this.#pending = p.pending;
    this.#lastTickMs = p.lastTickMs;
    this.#awaiting = p.awaiting;
    this.#lastQuoteMs = new Float64Array(this.#n).fill(-Infinity);
    this.#sentSeq = new Float64Array(this.#n);
  }

  onRawNotification(data: Buffer, start: number, end: number, chStart: number, chEnd: number): void {
    const nowMs = performance.now();
    // The tick's arrival is the socket read that brought it, not where its frame is decoded.
    const sink = this.sink;
    const rxNs = (sink !== undefined ? sink.rxAt : nowMs) * 1e6;
    const i = this.#decoder.decode(data, start, end, chStart, chEnd, rxNs);
    if (i < 0) {
      this.#counters.badTicks++;
      return;
    }
    this.#counters.ticks++;
    this.#lastTickMs[i] = nowMs;
    this.#source.publishTick(i);
    if (this.#workers) {
      const seq = this.#rings[i]!.latestSeq();
      this.#awaiting[i] = seq;
      if (this.readEnds) {
        this.#spinI = i;
        this.#spinSeq = seq;
        this.#readDue = true;
        return;
      }
      this.#spinAndCollect(i, seq);
    } else {
      this.#collect(i);
      if (this.readEnds) {
        this.#readDue = true;
        return;
      }
    }
    this.flush(nowMs);
  }

  /** The socket read that brought ticks is done: spin once (workers) and send once. */
  onReadEnd(): void {
    if (!this.#readDue) return;
    this.#readDue = false;
    if (this.#workers) this.#spinAndCollect(this.#spinI, this.#spinSeq);
    this.flush(performance.now());
  }

  #spinAndCollect(i: number, seq: number): void {
    this.#source.awaitQuoteSpin(i, seq, this.#spinPolls);
    // Results for other instruments may have landed meanwhile: one pass over all.
    for (let k = 0; k < this.#n; k++) this.#collect(k);
    this.armPoll();
  }

  /**
   * A worker missed the spin: poll its slot once per event-loop turn, a few turns, then wait for
   * its result to land (the worker wakes us: Atomics.waitAsync), with the 1 ms timer beside it.
   * On 2 cores a woken worker often gets a CPU only once this thread sleeps, and the timer alone
   * then held its result for up to 1 ms.
   */
  #onImmediate(): void {
    this.#immediateArmed = false;
    this.pollNow();
    if (!this.#anyAwaiting()) return;
    if (++this.#immediateTurns < WORKER_POLL_TURNS) {
      this.#immediateArmed = true;
      setImmediate(this.#pollWorkers);
    } else {
      this.#armLate();
      this.#awaitWorkers();
    }
  }

  #awaitWorkers(): void {
    // False: a worker wrote while the wait was being armed; look again on the next turn.
    if (!this.#source.awaitResults(this.#onResultLanded)) {
      this.armPoll();
      return;
    }
    // A result that landed after the last poll but before the wait was armed woke nobody.
    this.pollNow();
  }

  /** Collects whatever workers have answered and sends what can go (also housekeeping's first step). */
  pollNow(): void {
    for (let k = 0; k < this.#n; k++) if (this.#awaiting[k] !== 0) this.#collect(k);
    this.flush(performance.now());
  }

  #armLate(): void {
    if (this.#lateArmed) return;
    this.#lateArmed = true;
    if (this.#late === undefined) {
      this.#late = setTimeout(this.#onLateTimer, LATE_POLL_MS);
      this.#late.unref();
    } else {
      this.#late.refresh();
    }
  }

  #onLate(): void {
    this.#lateArmed = false;
    this.pollNow();
    if (this.#anyAwaiting() || this.#heldBack) this.#armLate();
  }

  /** A worker wrote quotes while we waited (or the wait's bound passed). */
  #onResult(): void {
    this.pollNow();
    if (this.#anyAwaiting()) this.#awaitWorkers();
  }

  /** Stops the retry timer (the loop is closing). */
  stopTimers(): void {
    if (this.#late !== undefined) clearTimeout(this.#late);
    this.#lateArmed = false;
  }

  /** Starts the immediate-turn polling if some instrument still awaits its worker. */
  armPoll(): void {
    if (!this.#immediateArmed && this.#anyAwaiting()) {
      this.#immediateArmed = true;
      this.#immediateTurns = 0;
      setImmediate(this.#pollWorkers);
    }
  }

  #anyAwaiting(): boolean {
    for (let k = 0; k < this.#n; k++) if (this.#awaiting[k] !== 0) return true;
    return false;
  }

  #collect(i: number): void {
    const q = this.#q;
    if (!this.#source.pollQuote(i, q)) {
      // A worker that is down never answers: stop waiting for it.
      if (this.#awaiting[i] !== 0 && !this.#source.isQuotable(i)) this.#awaiting[i] = 0;
      return;
    }
    if (q[QF_SOURCE_SEQ]! >= this.#awaiting[i]!) this.#awaiting[i] = 0;
    // Latest wins: a quote priced from an older tick than one already sent is dropped, never sent.
    if (seqNewer(this.#sentSeq[i]!, q[QF_SOURCE_SEQ]!)) {
      this.#counters.stale++;
      return;
    }
    this.#cand.set(q, i * QUOTE_FIELDS);
    this.#pending[i] = 1;
    const pricingNs = q[QF_PRICING_NS]!;
    if (pricingNs === pricingNs) this.#metrics.pricing.record(pricingNs);
  }

  /**
   * Sends what is pending, as far as the gates allow (in flight, backpressure, interval, budget):
   * as many mass quotes as it takes, each of at most 100 instruments (spec mass_quote `quotes`:
   * "maximum 100"), one budget token each. The scan resumes where the last full batch stopped, so
   * that with more than 100 instruments pending the last ones are not starved by the first.
   */
  flush(nowMs: number): void {
    for (let b = 0; b < MAX_BATCHES_PER_FLUSH; b++) if (!this.#sendBatch(nowMs)) return;
  }

  /** One batch; true when it went out full (more may be pending, and the gates may allow more). */
  #sendBatch(nowMs: number): boolean {
    const sink = this.sink;
    const budget = this.budget;
    // Only the budget and the interval (below) need the timer; a reply or a drain ends the others.
    this.#heldBack = false;
    if (this.paused || sink === undefined || budget === undefined) return false;
    if (this.#rpc.hotInFlight >= this.#cfg.quoting.maxInFlight) return false;
    if (sink.bufferedAmount > 0) {
      // The kernel is not taking our bytes: queueing more would only send stale prices later.
      // Everything stays pending (latest wins) until the drain (onDrain) or housekeeping.
      this.#counters.backpressured++;
      return false;
    }
    const planner = this.#planner;
    const batch = planner.batch;
    planner.begin();
    const minInterval = this.#cfg.quoting.minRequoteIntervalMs;
    const n = this.#n;
    const start = this.#cursor < n ? this.#cursor : 0;
    let k = 0;
    for (; k < n && !batch.full; k++) {
      const i = start + k < n ? start + k : start + k - n;
      if (this.#pending[i] === 0) continue;
      if (nowMs - this.#lastQuoteMs[i]! < minInterval) {
        this.#heldBack = true;
        continue;
      }
      // Its newer tick is being priced: wait for that price (the timer polls) rather than resend
      // the older one, which would go out with a tick-to-wire of a whole tick interval.
      if (this.#awaiting[i] !== 0 && nowMs - this.#lastTickMs[i]! < AWAIT_FRESH_MS) {
        this.#heldBack = true;
        continue;
      }
      planner.plan(i, nowMs);
    }
    // A full batch stopped mid-scan: the next one starts after the last instrument it considered.
    this.#cursor = start + k < n ? start + k : start + k - n;
    if (batch.count === 0) {
      if (this.#heldBack) this.#armLate();
      return false;
    }
    if (!budget.tryTake(nowMs)) {
      // Over budget: keep everything pending; the 1 ms timer retries.
      for (let e = 0; e < batch.count; e++) this.#pending[batch.instrument[e]!] = 1;
      this.#heldBack = true;
      this.#armLate();
      return false;
    }
    if (this.#heldBack) this.#armLate();
    const id = this.#rpc.nextId();
    const len = this.#encoder.encode(sink.frame, FRAME_HEADER_ROOM, id, batch);
    if (!this.#rpc.trackHot(id, TAG_QUOTE, nowMs)) {
      for (let e = 0; e < batch.count; e++) this.#pending[batch.instrument[e]!] = 1;
      return false;
    }
    let newestTickNs = 0;
    for (let e = 0; e < batch.count; e++) {
      const recvNs = this.#cand[batch.instrument[e]! * QUOTE_FIELDS + QF_RECV_NS]!;
      if (recvNs > newestTickNs) newestTickNs = recvNs;
    }
    this.#requests.record(id, batch, newestTickNs);
    // Round trips and tick-to-wire end here, just before the send call: read after write()
    // returns, the clock would hide whatever the venue did meanwhile on a shared CPU.
    const wireMs = performance.now();
    if (sink.sendFrame(len) === 2 /* NotOpen */) {
      this.#rpc.untrackHot(id);
      for (let e = 0; e < batch.count; e++) this.#pending[batch.instrument[e]!] = 1;
      return false;
    }
    const wireNs = wireMs * 1e6;
    this.#rpc.markHotSent(id, wireMs);
    this.#counters.quotesSent++;
    for (let e = 0; e < batch.count; e++) {
      const i = batch.instrument[e]!;
      this.#lastQuoteMs[i] = nowMs;
      for (let side = 0; side < 2; side++) {
        const k2 = e * 2 + side;
        if (batch.mode[k2] !== 0) {
          this.#live.commitFrom(i, side, batch.price, batch.amount, k2 * MAX_LEVELS, batch.levels[k2]!);
        }
      }
      this.#sentSeq[i] = this.#cand[i * QUOTE_FIELDS + QF_SOURCE_SEQ]!;
      const recvNs = this.#cand[i * QUOTE_FIELDS + QF_RECV_NS]!;
      if (recvNs >= this.resumedNs) this.#metrics.tickToWire.record(wireNs - recvNs);
    }
    return batch.full;
  }

  // ---- replies ----

  onHotReply(id: number, tag: number, sentMs: number, data: Buffer, start: number, end: number): void {
    const nowMs = performance.now();
    // Arrival: the socket read that brought the reply.
    const rxMs = this.sink !== undefined ? this.sink.rxAt : nowMs;
    const rttNs = (rxMs - sentMs) * 1e6;
    if (tag === TAG_CANCEL) {
      this.#metrics.cancelRtt.record(rttNs);
      this.#cancel.onReply(id, data, start, end);
      return;
    }
    this.#metrics.quoteRtt.record(rttNs);
    const slot = this.#requests.find(id);
    if (slot >= 0) {
      const tickNs = this.#requests.tickNs(slot);
      if (tickNs >= this.resumedNs && tickNs > 0) this.#metrics.tickToReply.record(rxMs * 1e6 - tickNs);
    }
    const r = this.#reply;
    if (this.#decoder.decodeReply(data, start, end, r) === REPLY_MASS_QUOTE && r[R_N_FAIL] === 0 && r[R_ERRORS] === 0) {
      if (slot >= 0) {
        if (this.#failures.failingSides !== 0) this.#failures.resetAccepted(slot, false, false);
        this.#requests.release(slot);
      }
      this.flush(nowMs);
      return;
    }
    // Cold: a refusal (whole request or some sides).
    if (this.#failures.handle(slot, data, start, end) === THROTTLE_EXCEEDED) this.budget?.onThrottled(nowMs);
    this.flush(nowMs);
  }

  onHotLost(id: number, tag: number, _sentMs: number, error: RpcError): void {
    this.#counters.lost++;
    if (error.code === 'RPC_ERR_TIMEOUT') this.#onReplyTimeout(error);
    if (tag === TAG_CANCEL) {
      this.#cancel.onLost(id, error);
      return;
    }
    const slot = this.#requests.find(id);
    if (slot >= 0) this.#failures.forgetRequest(slot, -1);
  }
}

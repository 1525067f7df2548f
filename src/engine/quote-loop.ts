import { QuoterError } from '../errors.js';
import { VenueDataError } from './errors.js';
import type { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { HistogramLogWriter } from 'hdr-histogram-js';
import { EngineMetrics } from '../metrics/engine-metrics.js';
import type { LatencySnapshot } from '../metrics/latency-histogram.js';
import type { LatencyRecorder } from '../metrics/latency-recorder.js';
import { DEFAULT_PRICER_PARAMS } from '../pricing/default-pricer.js';
import { InlinePricer } from '../pricing/inline-pricer.js';
import { PricingPool } from '../pricing/pool.js';
import type { QuoteSource } from '../pricing/quote-source.js';
import { F_BEST_ASK_PRICE, F_BEST_BID_PRICE, F_INDEX, F_MARK_PRICE, TICK_FIELDS } from '../rings/layout.js';
import { QF_ASK_COUNT, QF_ASKS, QF_BID_COUNT, QF_BIDS, QF_PRICING_NS, QF_RECV_NS, QF_SOURCE_SEQ, QUOTE_FIELDS } from '../rings/quote-layout.js';
import { seqNewer } from '../rings/seq.js';
import { TickerRing } from '../rings/ticker-ring.js';
import type { RawChannelHandler } from '../rpc/channel-router.js';
import type { RpcError } from '../rpc/errors.js';
import type { HotReplyHandler, RpcSession } from '../rpc/session.js';
import { FRAME_HEADER_ROOM } from '../ws/types.js';
import type { InstrumentInfo } from './bootstrap.js';
import type { EngineConfig } from './config.js';
import type { EngineEvents, EngineState } from './events.js';
import { ASK, BID, type LiveQuotes, MAX_LEVELS, SIDE_SEND } from './live-quotes.js';
import type { EngineLogger } from './logger.js';
import type { EngineMetricsSnapshot, LatencyDistribution, LatencyPercentiles } from './metrics-snapshot.js';
import { pricingParamRows } from './pricing-params.js';
import type { Positions } from './positions.js';
import type { Protection } from './protection.js';
import { QuoteBatch } from '../codec/quote-batch.js';
import { QuoteEncoder, type QuoteFrameSink } from '../codec/mass-quote-encoder.js';
import { RequestLog } from './request-log.js';
import { RISK_OK, RISK_REASONS, checkQuote, type RiskInput } from './risk.js';
import { SendBudget } from './send-budget.js';
import { createTickDecoder, type TickDecoder } from '../codec/tick-decoder.js';
import { R_ERRORS, R_N_FAIL, REPLY_ERROR, REPLY_FIELDS, REPLY_MASS_QUOTE } from '../codec/reply-decoder.js';

/** Placeholder: the engine fills `requests` from its RPC session. */
const NO_REQUESTS = Object.freeze({ registered: 0, answered: 0, errorReplies: 0, timedOut: 0, disconnected: 0, withdrawn: 0, inFlight: 0 });

export const TAG_QUOTE = 1;
export const TAG_CANCEL = 2;

/** Thalex error codes the loop reacts to (thalex-protocol.md §9). */
const THROTTLE_EXCEEDED = 4;
const PROT_NOT_SET = 23;
/** Refusals in a row, same code, after which a side is held back. */
const SIDE_FAIL_HOLD = 3;

export interface QuoteLoopInit {
  config: EngineConfig;
  instruments: readonly InstrumentInfo[];
  rpc: RpcSession;
  live: LiveQuotes;
  positions: Positions;
  protection: Protection;
  logger: EngineLogger;
  events: EventEmitter<EngineEvents>;
  /**
   * A quote or cancel got no reply within `rpc.hotTimeoutMs`: what the venue holds is unknown.
   * The engine drops the connection so that cancel-on-disconnect pulls everything.
   */
  onReplyTimeout(error: RpcError): void;
}

/**
 * The hot path: ticker bytes → ring → pricer → risk → diff against live quotes → one
 * `private/mass_quote` frame written into the connection's preallocated buffer; replies →
 * histograms and per-side error handling. Everything per tick and per quote lives in typed
 * arrays allocated here once.
 *
 * When a quote is sent: right after the tick that produced it (inline pricing, or a worker
 * that answered within the bounded spin), else on the next incoming message or housekeeping
 * pass. Requests in flight, the message budget, the per-instrument minimum interval and the
 * protection state can all hold a quote back; it then stays pending (latest wins: only the
 * newest candidate per instrument is kept) and goes out as soon as they allow.
 */
export class QuoteLoop implements RawChannelHandler, HotReplyHandler {
  readonly #cfg: EngineConfig;
  readonly #inst: readonly InstrumentInfo[];
  readonly #n: number;
  readonly #rpc: RpcSession;
  readonly #live: LiveQuotes;
  readonly #positions: Positions;
  readonly #protection: Protection;
  readonly #log: EngineLogger;
  readonly #events: EventEmitter<EngineEvents>;
  readonly #onReplyTimeout: (error: RpcError) => void;
  readonly #source: QuoteSource;
  readonly #rings: readonly TickerRing[];
  readonly #decoder: TickDecoder;
  /** decodeReply's output (bound once by the decoder). */
  readonly #reply = new Float64Array(REPLY_FIELDS);
  readonly #encoder: QuoteEncoder;
  readonly #metrics = new EngineMetrics();
  readonly #batch = new QuoteBatch();
  readonly #requests: RequestLog;
  readonly #workers: boolean;
  readonly #spinPolls: number;

  // Per instrument.
  readonly #cand: Float64Array; // newest candidate quote (QUOTE_FIELDS each)
  readonly #pending: Uint8Array; // 1 = something to (re)consider
  readonly #lastTickMs: Float64Array;
  readonly #lastQuoteMs: Float64Array;
  readonly #productIdx: Int32Array;
  readonly #products: string[];
  readonly #priceThreshold: Float64Array;
  readonly #sideFailCode: Int32Array; // [i][side] last error code, 0 = none
  readonly #sideFailCount: Int32Array; // [i][side] refusals in a row with that code
  /** Sides with a nonzero failure count: a clean reply skips the reset scan while there are none. */
  #failingSides = 0;
  // What the batch being built plans per instrument and side (valid when #planGen[i] === #gen),
  // so that instruments planned later in the same batch see it (exposure, product limits).
  readonly #planGen: Float64Array;
  readonly #planBid: Float64Array;
  readonly #planAsk: Float64Array;
  #gen = 0;
  /** Σ of what this batch adds to the open exposure so far (reductions are not credited). */
  #batchExtra = 0;

  // Scratch.
  readonly #q = new Float64Array(QUOTE_FIELDS);
  readonly #tick = new Float64Array(TICK_FIELDS);
  readonly #bp = new Float64Array(MAX_LEVELS);
  readonly #ba = new Float64Array(MAX_LEVELS);
  readonly #ap = new Float64Array(MAX_LEVELS);
  readonly #aa = new Float64Array(MAX_LEVELS);
  readonly #counts = new Int32Array(2);
  readonly #risk: RiskInput = { otherExposure: 0, position: 0, productPosition: 0, productBids: 0, productAsks: 0, mark: 0, index: 0, tickAgeMs: 0, quoteAmountCap: 0, volumeTick: 0, minOrderAmount: 0, tickSize: 1 };

  /** Per instrument: ring seq published and not yet answered by its worker (0 = none). */
  readonly #awaiting: Float64Array;
  /** Per instrument: tick seq of the last quote sent (latest wins: never send an older one). */
  readonly #sentSeq: Float64Array;
  #stale = 0;
  #immediateArmed = false;
  #immediateTurns = 0;
  readonly #pollWorkers = (): void => this.#onImmediate();

  #sink: QuoteFrameSink | undefined;
  #budget: SendBudget | undefined;
  #paused = true;
  #closing = false;
  #resumedNs = 0;
  /** Metrics as they were when the loop closed (the histograms are gone after). */
  #final: EngineMetricsSnapshot | undefined;
  #ticks = 0;
  #quotesSent = 0;
  #backpressured = 0;
  #cancelsSent = 0;
  #lost = 0;
  #badTicks = 0;
  #badTicksReported = 0;
  #badTicksReportMs = -Infinity;
  readonly #sideErrors = new Map<number, number>();
  readonly #requestErrors = new Map<number, number>();
  readonly #riskPulls = new Map<string, number>();
  #cancelWaiter: { id: number; resolve: () => void; reject: (e: Error) => void } | undefined;

  private constructor(init: QuoteLoopInit, source: QuoteSource, rings: readonly TickerRing[]) {
    this.#cfg = init.config;
    this.#inst = init.instruments;
    this.#n = init.instruments.length;
    this.#rpc = init.rpc;
    this.#live = init.live;
    this.#positions = init.positions;
    this.#protection = init.protection;
    this.#log = init.logger;
    this.#events = init.events;
    this.#onReplyTimeout = init.onReplyTimeout;
    this.#source = source;
    this.#rings = rings;
    this.#workers = init.config.pricing.mode === 'workers';
    // Enough polls (~tens of µs) to cover a worker's wake-up from Atomics.wait; what it misses is
    // picked up by the immediate-poll turns below.
    this.#spinPolls = this.#workers ? init.config.pricing.spinPolls : 0;
    const n = this.#n;
    this.#decoder = createTickDecoder(
      init.instruments.map((i) => i.name),
      rings,
    );
    this.#encoder = new QuoteEncoder(init.instruments, init.config.quoting);
    this.#requests = new RequestLog(1024);
    this.#cand = new Float64Array(n * QUOTE_FIELDS);
    this.#pending = new Uint8Array(n);
    this.#lastTickMs = new Float64Array(n).fill(-Infinity);
    this.#lastQuoteMs = new Float64Array(n).fill(-Infinity);
    this.#products = [...new Set(init.instruments.map((i) => i.product))];
    this.#productIdx = Int32Array.from(init.instruments.map((i) => this.#products.indexOf(i.product)));
    this.#priceThreshold = Float64Array.from(init.instruments.map((i) => init.config.quoting.requoteThresholdTicks * i.tickSize));
    this.#sideFailCode = new Int32Array(n * 2);
    this.#sideFailCount = new Int32Array(n * 2);
    this.#planGen = new Float64Array(n);
    this.#planBid = new Float64Array(n);
    this.#planAsk = new Float64Array(n);
    this.#awaiting = new Float64Array(n);
    this.#sentSeq = new Float64Array(n);
    init.rpc.setHotHandler(this);
  }

  static async create(init: QuoteLoopInit): Promise<QuoteLoop> {
    const specs = init.instruments.map((i) => ({ name: i.name, tickSize: i.tickSize, volumeTickSize: i.volumeTickSize, minOrderAmount: i.minOrderAmount }));
    const rings = init.instruments.map(() => TickerRing.create());
    const params = pricingParamRows(init.instruments, init.config.pricing.params, init.config.pricing.pricerModule !== undefined);
    let source: QuoteSource;
    if (init.config.pricing.mode === 'workers') {
      let loop: QuoteLoop | undefined;
      const pool = new PricingPool({
        instruments: specs,
        rings,
        workers: init.config.pricing.workers,
        params,
        ...(init.config.pricing.pricerModule !== undefined ? { pricerModule: init.config.pricing.pricerModule } : {}),
        onQuotableChange: (i, quotable, error) => loop?.onQuotableChange(i, quotable, error),
      });
      await pool.ready();
      source = pool;
      loop = new QuoteLoop(init, source, rings);
      return loop;
    }
    let price;
    if (init.config.pricing.pricerModule !== undefined) {
      const { pricerFromModule } = await import('../pricing/pricer.js');
      const mod: unknown = await import(init.config.pricing.pricerModule);
      price = pricerFromModule(mod) ?? undefined;
      if (price === undefined) throw new Error(`pricer module ${init.config.pricing.pricerModule} exports no price function`);
    }
    source = new InlinePricer({ instruments: specs, rings, params, ...(price !== undefined ? { price } : {}) });
    return new QuoteLoop(init, source, rings);
  }

  // ---- connection lifecycle (cold) ----

  onSession(messageRate: number, sink: QuoteFrameSink): void {
    this.#sink = sink;
    this.#budget = new SendBudget({ messageRate, fraction: this.#cfg.quoting.budgetFraction }, performance.now());
    this.#pending.fill(1);
    // A new session starts clean: the last one's refusals do not hold a side back here.
    this.#sideFailCode.fill(0);
    this.#sideFailCount.fill(0);
    this.#failingSides = 0;
  }

  onDisconnect(): void {
    this.#sink = undefined;
    this.#paused = true;
    const w = this.#cancelWaiter;
    this.#cancelWaiter = undefined;
    w?.reject(new Error('connection lost before cancel_mass_quote was confirmed'));
  }

  pause(): void {
    this.#paused = true;
  }

  /** The socket took everything we had buffered: send what is pending. */
  onDrain(): void {
    this.#flush(performance.now());
  }

  resume(): void {
    this.#paused = false;
    // Ticks that arrived while quoting was not allowed have no tick-to-wire: do not record them.
    this.#resumedNs = performance.now() * 1e6;
    this.#pending.fill(1);
    this.#flush(performance.now());
  }

  /** The venue pulled (or will pull) this product's quotes: forget them, re-quote when allowed. */
  pullProduct(product: string): void {
    for (let i = 0; i < this.#n; i++) {
      if (this.#inst[i]!.product === product) {
        this.#live.clearInstrument(i);
        this.#pending[i] = 1;
      }
    }
  }

  /** A fill changed the position: the pricer (skew) and the risk limits must see it. */
  onPosition(instrument: string): void {
    for (let i = 0; i < this.#n; i++) {
      if (this.#inst[i]!.name === instrument) {
        this.#source.setPosition(i, this.#positions.position(instrument));
        this.#pending[i] = 1;
      }
    }
  }

  setParams(params: Record<string, number>): void {
    const rows = pricingParamRows(this.#inst, params, this.#cfg.pricing.pricerModule !== undefined);
    for (let i = 0; i < this.#n; i++) this.#source.setParams(i, rows[i]!);
  }

  onQuotableChange(i: number, quotable: boolean, error?: Error): void {
    if (this.#closing) return; // workers going down because we close them
    this.#log.warn({ instrument: this.#inst[i]?.name, quotable, err: error }, 'pricer availability changed');
    // A crashed, exited or hung worker is reported once per instrument it served (its quotes
    // are pulled by the next flush, since the source no longer calls it quotable).
    if (error instanceof QuoterError) this.#events.emit('engineError', error);
    if (!quotable) {
      // What was priced before the crash is never quoted: only a result of the new worker.
      this.#cand[i * QUOTE_FIELDS + QF_SOURCE_SEQ] = 0;
      this.#awaiting[i] = 0;
    } else {
      // The new worker prices the latest tick at once: poll for that result, not the next tick.
      const seq = this.#rings[i]!.latestSeq();
      if (seq > 0) {
        this.#awaiting[i] = seq;
        this.#armPoll();
      }
    }
    this.#pending[i] = 1;
  }

  /** Stale-data pulls and quotes held back by budget, interval or in-flight limits. */
  housekeep(nowMs: number): void {
    if (this.#badTicks !== this.#badTicksReported && nowMs - this.#badTicksReportMs >= 1000) {
      const n = this.#badTicks - this.#badTicksReported;
      this.#badTicksReported = this.#badTicks;
      this.#badTicksReportMs = nowMs;
      this.#events.emit('engineError', new VenueDataError('ENGINE_ERR_BAD_TICKER', `${n} ticker frame(s) could not be decoded (unknown instrument or malformed); ignored`));
    }
    const stale = this.#cfg.risk.staleMs;
    for (let i = 0; i < this.#n; i++) {
      // hasLive: levels, or an unknown side (a partly filled one) that the pull must delete too.
      if (this.#live.hasLive(i) && nowMs - this.#lastTickMs[i]! > stale) this.#pending[i] = 1;
    }
    this.#flush(nowMs);
  }

  /**
   * Cancels every mass quote of the account (`private/cancel_mass_quote`, no product) and waits
   * for the venue's reply, at most `timeoutMs`. The reply's round trip goes to the cancel RTT
   * histogram.
   */
  cancelAll(timeoutMs: number): Promise<void> {
    const sink = this.#sink;
    if (sink === undefined) return Promise.reject(new Error('not connected'));
    const id = this.#rpc.nextId();
    const len = this.#encoder.encodeCancel(sink.frame, FRAME_HEADER_ROOM, id);
    const now = performance.now();
    if (!this.#rpc.trackHot(id, TAG_CANCEL, now)) return Promise.reject(new Error('too many requests in flight to cancel'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.#cancelWaiter?.id === id) this.#cancelWaiter = undefined;
        reject(new Error(`cancel_mass_quote not confirmed within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#cancelWaiter = {
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
      if (sink.sendFrame(len) === 2 /* NotOpen */) {
        this.#rpc.untrackHot(id);
        this.#cancelWaiter = undefined;
        clearTimeout(timer);
        reject(new Error('connection closed before cancel_mass_quote was sent'));
        return;
      }
      this.#rpc.markHotSent(id, performance.now());
      this.#cancelsSent++;
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.#source.close();
    this.#final = this.snapshot('stopped', 0);
    this.#metrics.destroy();
  }

  // ---- hot path ----

  onRawNotification(data: Buffer, start: number, end: number, chStart: number, chEnd: number): void {
    const nowMs = performance.now();
    const i = this.#decoder.decode(data, start, end, chStart, chEnd, nowMs * 1e6);
    if (i < 0) {
      this.#badTicks++;
      return;
    }
    this.#ticks++;
    this.#lastTickMs[i] = nowMs;
    this.#source.publishTick(i);
    if (this.#workers) {
      const seq = this.#rings[i]!.latestSeq();
      this.#awaiting[i] = seq;
      this.#source.awaitQuoteSpin(i, seq, this.#spinPolls);
      // Results for other instruments may have landed meanwhile: one pass over all.
      for (let k = 0; k < this.#n; k++) this.#collect(k);
      this.#armPoll();
    } else {
      this.#collect(i);
    }
    this.#flush(nowMs);
  }

  /** A worker missed the spin: poll its slot once per event-loop turn, a bounded number of turns. */
  #onImmediate(): void {
    this.#immediateArmed = false;
    for (let k = 0; k < this.#n; k++) if (this.#awaiting[k] !== 0) this.#collect(k);
    this.#flush(performance.now());
    if (this.#anyAwaiting() && ++this.#immediateTurns < 2_000) {
      this.#immediateArmed = true;
      setImmediate(this.#pollWorkers);
    }
  }

  #armPoll(): void {
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
      this.#stale++;
      return;
    }
    this.#cand.set(q, i * QUOTE_FIELDS);
    this.#pending[i] = 1;
    const pricingNs = q[QF_PRICING_NS]!;
    if (pricingNs === pricingNs) this.#metrics.pricing.record(pricingNs);
  }

  #flush(nowMs: number): void {
    const sink = this.#sink;
    const budget = this.#budget;
    if (this.#paused || sink === undefined || budget === undefined) return;
    if (this.#rpc.hotInFlight >= this.#cfg.quoting.maxInFlight) return;
    if (sink.bufferedAmount > 0) {
      // The kernel is not taking our bytes: queueing more would only send stale prices later.
      // Everything stays pending (latest wins) until the drain (onDrain) or housekeeping.
      this.#backpressured++;
      return;
    }
    const batch = this.#batch;
    batch.clear();
    this.#gen++; // forgets what the previous batch planned, without clearing per instrument
    this.#batchExtra = 0;
    const minInterval = this.#cfg.quoting.minRequoteIntervalMs;
    for (let i = 0; i < this.#n && !batch.full; i++) {
      if (this.#pending[i] === 0) continue;
      if (nowMs - this.#lastQuoteMs[i]! < minInterval) continue;
      this.#plan(i, nowMs);
    }
    if (batch.count === 0) return;
    if (!budget.tryTake(nowMs)) {
      // Over budget: keep everything pending; housekeeping retries.
      for (let e = 0; e < batch.count; e++) this.#pending[batch.instrument[e]!] = 1;
      return;
    }
    const id = this.#rpc.nextId();
    const len = this.#encoder.encode(sink.frame, FRAME_HEADER_ROOM, id, batch);
    if (!this.#rpc.trackHot(id, TAG_QUOTE, nowMs)) {
      for (let e = 0; e < batch.count; e++) this.#pending[batch.instrument[e]!] = 1;
      return;
    }
    this.#requests.record(id, batch);
    if (sink.sendFrame(len) === 2 /* NotOpen */) {
      this.#rpc.untrackHot(id);
      for (let e = 0; e < batch.count; e++) this.#pending[batch.instrument[e]!] = 1;
      return;
    }
    const wireMs = performance.now();
    const wireNs = wireMs * 1e6;
    this.#rpc.markHotSent(id, wireMs);
    this.#quotesSent++;
    for (let e = 0; e < batch.count; e++) {
      const i = batch.instrument[e]!;
      this.#lastQuoteMs[i] = nowMs;
      for (let side = 0; side < 2; side++) {
        const k = e * 2 + side;
        if (batch.mode[k] !== 0) {
          this.#live.commitFrom(i, side, batch.price, batch.amount, k * MAX_LEVELS, batch.levels[k]!);
        }
      }
      this.#sentSeq[i] = this.#cand[i * QUOTE_FIELDS + QF_SOURCE_SEQ]!;
      const recvNs = this.#cand[i * QUOTE_FIELDS + QF_RECV_NS]!;
      if (recvNs >= this.#resumedNs) this.#metrics.tickToWire.record(wireNs - recvNs);
    }
  }

  /**
   * Decides what to send for instrument `i`: risk-checked candidate levels, or nothing (a pull)
   * when a check, the protection state or the pricer's health says so; only sides that differ
   * from what is live go into the batch (an unknown side always does, so a pull deletes it).
   * Clears the pending flag when the decision is final.
   */
  #plan(i: number, nowMs: number): boolean {
    const inst = this.#inst[i]!;
    if (!this.#protection.canQuote(inst.product)) {
      // Not armed (tripped, cancelled, session ended, not armed yet): the venue already deleted
      // this product's quotes, and `[]` would fail with 23. Wait for the re-arm; stays pending.
      if (this.#live.hasLive(i)) this.#live.clearInstrument(i);
      return false;
    }
    const base = i * QUOTE_FIELDS;
    const cand = this.#cand;
    let nb = 0;
    let na = 0;
    const canQuote = this.#source.isQuotable(i) && cand[base + QF_SOURCE_SEQ]! > 0;
    if (canQuote) {
      nb = cand[base + QF_BID_COUNT]!;
      na = cand[base + QF_ASK_COUNT]!;
      for (let l = 0; l < nb; l++) {
        this.#bp[l] = cand[base + QF_BIDS + 2 * l]!;
        this.#ba[l] = cand[base + QF_BIDS + 2 * l + 1]!;
      }
      for (let l = 0; l < na; l++) {
        this.#ap[l] = cand[base + QF_ASKS + 2 * l]!;
        this.#aa[l] = cand[base + QF_ASKS + 2 * l + 1]!;
      }
      this.#ring(i);
      const r = this.#risk;
      // What may be live elsewhere, plus what this batch already plans to add there.
      r.otherExposure = this.#live.totalExposure - this.#live.exposure(i) + this.#batchExtra;
      r.position = this.#positions.position(inst.name);
      this.#productTotals(i, r);
      r.mark = this.#tick[F_MARK_PRICE]!;
      r.index = this.#tick[F_INDEX]!;
      r.tickAgeMs = nowMs - this.#lastTickMs[i]!;
      const limits = this.#cfg.protection.products[inst.product] ?? this.#cfg.protection.default;
      r.quoteAmountCap = Math.min(this.#cfg.risk.maxQuoteAmount, limits.quoteAmount);
      r.volumeTick = inst.volumeTickSize;
      r.minOrderAmount = inst.minOrderAmount;
      r.tickSize = inst.tickSize;
      this.#counts[0] = nb;
      this.#counts[1] = na;
      const verdict = checkQuote(this.#cfg.risk, r, this.#bp, this.#ba, this.#ap, this.#aa, this.#counts);
      if (verdict === RISK_OK) {
        nb = this.#counts[0]!;
        na = this.#counts[1]!;
      } else {
        nb = 0;
        na = 0;
        this.#countPull(verdict);
      }
      // A side that keeps failing with the same error is held back (pulled) until a reconnect.
      if (this.#sideFailCount[i * 2]! >= SIDE_FAIL_HOLD) nb = 0;
      if (this.#sideFailCount[i * 2 + 1]! >= SIDE_FAIL_HOLD) na = 0;
    }
    const th = this.#priceThreshold[i]!;
    const sendBid = this.#live.diff(i, BID, this.#bp, this.#ba, nb, th) === SIDE_SEND;
    const sendAsk = this.#live.diff(i, ASK, this.#ap, this.#aa, na, th) === SIDE_SEND;
    // A pull (not quotable) stays pending until nothing of it may be live any more.
    if (canQuote || !this.#live.hasLive(i)) this.#pending[i] = 0;
    if (!sendBid && !sendAsk) return false;
    const e = this.#batch.add(i);
    if (sendBid) this.#batch.setSide(e, BID, this.#bp, this.#ba, nb);
    if (sendAsk) this.#batch.setSide(e, ASK, this.#ap, this.#aa, na);
    const bid = sendBid ? sum(this.#ba, nb) : this.#live.sideExposure(i, BID);
    const ask = sendAsk ? sum(this.#aa, na) : this.#live.sideExposure(i, ASK);
    this.#planGen[i] = this.#gen;
    this.#planBid[i] = bid;
    this.#planAsk[i] = ask;
    const extra = bid + ask - this.#live.exposure(i);
    if (extra > 0) this.#batchExtra += extra;
    return true;
  }

  #ring(i: number): void {
    this.#rings[i]!.readLatest(this.#tick);
  }

  /**
   * The product's position, and the worst case of the bids and asks its OTHER instruments have
   * open: what may be live, or what this batch plans for them, whichever is larger (until the
   * frame is answered the venue may hold either).
   */
  #productTotals(i: number, r: RiskInput): void {
    const p = this.#productIdx[i]!;
    const gen = this.#gen;
    let pos = 0;
    let bids = 0;
    let asks = 0;
    for (let k = 0; k < this.#n; k++) {
      if (this.#productIdx[k] !== p) continue;
      pos += this.#positions.position(this.#inst[k]!.name);
      if (k === i) continue;
      let b = this.#live.sideExposure(k, BID);
      let a = this.#live.sideExposure(k, ASK);
      if (this.#planGen[k] === gen) {
        if (this.#planBid[k]! > b) b = this.#planBid[k]!;
        if (this.#planAsk[k]! > a) a = this.#planAsk[k]!;
      }
      bids += b;
      asks += a;
    }
    r.productPosition = pos;
    r.productBids = bids;
    r.productAsks = asks;
  }

  #countPull(verdict: number): void {
    const reason = RISK_REASONS[verdict] ?? 'unknown';
    this.#riskPulls.set(reason, (this.#riskPulls.get(reason) ?? 0) + 1);
  }

  // ---- replies ----

  onHotReply(id: number, tag: number, sentMs: number, data: Buffer, start: number, end: number): void {
    const nowMs = performance.now();
    const rttNs = (nowMs - sentMs) * 1e6;
    if (tag === TAG_CANCEL) {
      this.#metrics.cancelRtt.record(rttNs);
      const w = this.#cancelWaiter;
      if (w !== undefined && w.id === id) {
        this.#cancelWaiter = undefined;
        if (this.#decoder.decodeReply(data, start, end, this.#reply) === REPLY_ERROR) w.reject(new Error(`cancel_mass_quote refused: ${data.toString('utf8', start, end)}`));
        else w.resolve();
      }
      return;
    }
    this.#metrics.quoteRtt.record(rttNs);
    const slot = this.#requests.find(id);
    const r = this.#reply;
    if (this.#decoder.decodeReply(data, start, end, r) === REPLY_MASS_QUOTE && r[R_N_FAIL] === 0 && r[R_ERRORS] === 0) {
      if (slot >= 0) {
        if (this.#failingSides !== 0) this.#resetAccepted(slot, false, false);
        this.#requests.release(slot);
      }
      this.#flush(nowMs);
      return;
    }
    this.#handleFailedReply(slot, data, start, end, nowMs);
    this.#flush(nowMs);
  }

  /** Cold: a reply with an error, or with `errors[]`. */
  #handleFailedReply(slot: number, data: Buffer, start: number, end: number, nowMs: number): void {
    let msg: { error?: { code?: number; message?: string }; result?: { errors?: Array<{ code?: number; message?: string; side?: string }> } };
    try {
      msg = JSON.parse(data.toString('utf8', start, end));
    } catch {
      if (slot >= 0) this.#forgetRequest(slot, -1);
      return;
    }
    if (msg.error !== undefined) {
      const code = typeof msg.error.code === 'number' ? msg.error.code : -1;
      this.#requestErrors.set(code, (this.#requestErrors.get(code) ?? 0) + 1);
      if (code === THROTTLE_EXCEEDED) this.#budget?.onThrottled(nowMs);
      if (slot >= 0) this.#forgetRequest(slot, -1);
      return;
    }
    const errors = msg.result?.errors ?? [];
    const single = slot >= 0 && this.#requests.count(slot) === 1 ? this.#requests.instrumentAt(slot, 0) : -1;
    let failedBid = false;
    let failedAsk = false;
    for (const err of errors) {
      const code = typeof err.code === 'number' ? err.code : -1;
      const side = err.side === 'bid' || err.side === 'buy' ? BID : err.side === 'ask' || err.side === 'sell' ? ASK : -1;
      this.#sideErrors.set(code, (this.#sideErrors.get(code) ?? 0) + 1);
      // Error items name no instrument (spec DoubleSidedQuoteResult): attributable only when
      // the request held one; otherwise every instrument of the request re-sends that side
      // (identical levels keep priority, so this costs a message, not queue position).
      if (single >= 0) {
        this.#events.emit('quoteError', { instrument: this.#inst[single]!.name, side: err.side ?? 'unknown', code, message: err.message ?? '' });
        if (side >= 0) {
          const k = single * 2 + side;
          if (this.#sideFailCount[k] === 0) this.#failingSides++;
          this.#sideFailCount[k] = this.#sideFailCode[k] === code ? this.#sideFailCount[k]! + 1 : 1;
          this.#sideFailCode[k] = code;
        }
        if (side !== ASK) failedBid = true; // an error naming no side may be either
        if (side !== BID) failedAsk = true;
      } else {
        this.#events.emit('quoteError', { instrument: '', side: err.side ?? 'unknown', code, message: err.message ?? '' });
      }
      if (code === PROT_NOT_SET && single >= 0) this.#protection.onCancelAll(this.#inst[single]!.product);
    }
    // The sides that went through were accepted (attributable only with one instrument).
    if (single >= 0 && this.#failingSides !== 0) this.#resetAccepted(slot, failedBid, failedAsk);
    if (slot >= 0) this.#forgetRequest(slot, errors.length > 0 && errors.every((e) => e.side === 'bid') ? BID : errors.length > 0 && errors.every((e) => e.side === 'ask') ? ASK : -1);
  }

  /** The venue accepted the sides this request sent with levels (but the failed ones): their count starts over. */
  #resetAccepted(slot: number, failedBid: boolean, failedAsk: boolean): void {
    const n = this.#requests.count(slot);
    for (let k = 0; k < n; k++) {
      const i = this.#requests.instrumentAt(slot, k);
      for (let side = 0; side < 2; side++) {
        if ((side === BID ? failedBid : failedAsk) || !this.#requests.sentLevels(slot, k, side)) continue;
        const f = i * 2 + side;
        if (this.#sideFailCount[f] === 0) continue;
        this.#sideFailCount[f] = 0;
        this.#sideFailCode[f] = 0;
        this.#failingSides--;
      }
    }
  }

  #forgetRequest(slot: number, side: number): void {
    const n = this.#requests.count(slot);
    for (let k = 0; k < n; k++) {
      const i = this.#requests.instrumentAt(slot, k);
      if (side < 0) this.#live.forgetInstrument(i);
      else this.#live.forget(i, side);
      this.#pending[i] = 1;
    }
    this.#requests.release(slot);
  }

  onHotLost(id: number, tag: number, _sentMs: number, error: RpcError): void {
    this.#lost++;
    if (error.code === 'RPC_ERR_TIMEOUT') this.#onReplyTimeout(error);
    if (tag === TAG_CANCEL) {
      const w = this.#cancelWaiter;
      if (w !== undefined && w.id === id) {
        this.#cancelWaiter = undefined;
        w.reject(error);
      }
      return;
    }
    const slot = this.#requests.find(id);
    if (slot >= 0) this.#forgetRequest(slot, -1);
  }

  // ---- metrics (cold) ----

  snapshot(state: EngineState, reconnects: number): EngineMetricsSnapshot {
    if (this.#final !== undefined) return { ...this.#final, state, reconnects };
    const m = this.#metrics;
    return {
      state,
      reconnects,
      quoteRtt: toUs(m.quoteRtt.snapshotTotal()),
      cancelRtt: toUs(m.cancelRtt.snapshotTotal()),
      tickToWire: toUs(m.tickToWire.snapshotTotal()),
      pricing: toUs(m.pricing.snapshotTotal()),
      quotesSent: this.#quotesSent,
      cancelsSent: this.#cancelsSent,
      ticks: this.#ticks,
      sideErrors: Object.fromEntries(this.#sideErrors),
      requestErrors: Object.fromEntries(this.#requestErrors),
      riskPulls: Object.fromEntries(this.#riskPulls),
      lost: this.#lost,
      staleDropped: this.#stale,
      backpressured: this.#backpressured,
      badTicks: this.#badTicks,
      requests: NO_REQUESTS,
    };
  }

  /**
   * The four histograms' totals (µs) at `percentiles` (cold: once per monitor interval; the HDR
   * reads themselves allocate nothing). Null once the loop has closed: the histograms are freed.
   */
  distribution(percentiles: readonly number[]): LatencyDistribution | null {
    if (this.#final !== undefined) return null;
    const m = this.#metrics;
    const read = (r: LatencyRecorder): number[] => {
      const out = new Array<number>(percentiles.length);
      r.totalAtPercentiles(percentiles, out, 1e-3);
      return out;
    };
    return { quoteRtt: read(m.quoteRtt), cancelRtt: read(m.cancelRtt), tickToWire: read(m.tickToWire), pricing: read(m.pricing) };
  }

  /**
   * The four histograms (totals since start or the last reset) as an HdrHistogram V2 log, one
   * tagged line each, values in ns: for HistogramLogAnalyzer or hdr-plot.
   */
  hdrLog(): string {
    let out = '';
    const w = new HistogramLogWriter((chunk: string) => {
      out += chunk;
    });
    w.outputLogFormatVersion();
    w.outputComment('thalex-quoter engine histograms, values in ns');
    w.outputLegend();
    const m = this.#metrics;
    for (const [tag, r] of [['quoteRtt', m.quoteRtt], ['cancelRtt', m.cancelRtt], ['tickToWire', m.tickToWire], ['pricing', m.pricing]] as const) {
      const h = r.totalRaw();
      h.tag = tag;
      w.outputIntervalHistogram(h, 0, 0, 1000);
    }
    return out;
  }

  /** Drops every latency sample so far (e.g. a warm-up). */
  resetHistograms(): void {
    for (const r of [this.#metrics.quoteRtt, this.#metrics.cancelRtt, this.#metrics.tickToWire, this.#metrics.pricing]) {
      r.reset();
    }
  }

  /** Market vs our best prices per instrument (cold: allocates, once per monitor interval). */
  book(): Array<{ instrument: string; marketBid: number | null; marketAsk: number | null; ourBid: number | null; ourAsk: number | null }> {
    const t = new Float64Array(TICK_FIELDS);
    const num = (v: number) => (Number.isFinite(v) ? v : null);
    return this.#inst.map((inst, i) => {
      const seq = this.#rings[i]!.readLatest(t);
      const bidLive = this.#live.count(i, BID) > 0;
      const askLive = this.#live.count(i, ASK) > 0;
      return {
        instrument: inst.name,
        marketBid: seq > 0 ? num(t[F_BEST_BID_PRICE]!) : null,
        marketAsk: seq > 0 ? num(t[F_BEST_ASK_PRICE]!) : null,
        ourBid: bidLive ? this.#live.price(i, BID, 0) : null,
        ourAsk: askLive ? this.#live.price(i, ASK, 0) : null,
      };
    });
  }

  /** The engine's named histograms, for HDR logs and benchmarks. */
  get histograms(): EngineMetrics {
    return this.#metrics;
  }

  static emptySnapshot(state: EngineState, reconnects: number): EngineMetricsSnapshot {
    const z: LatencyPercentiles = { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    return { state, reconnects, quoteRtt: z, cancelRtt: z, tickToWire: z, pricing: z, quotesSent: 0, cancelsSent: 0, ticks: 0, sideErrors: {}, requestErrors: {}, riskPulls: {}, lost: 0, staleDropped: 0, backpressured: 0, badTicks: 0, requests: NO_REQUESTS };
  }
}

function sum(a: Float64Array, n: number): number {
  let s = 0;
  for (let l = 0; l < n; l++) s += a[l]!;
  return s;
}

function toUs(s: LatencySnapshot): LatencyPercentiles {
  return { count: s.count, p50: s.p50 / 1000, p90: s.p90 / 1000, p99: s.p99 / 1000, p999: s.p999 / 1000, max: s.max / 1000 };
}

export { DEFAULT_PRICER_PARAMS };

import { QuoterError } from '../errors.js';
import type { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { QuoteEncoder, type QuoteFrameSink } from '../codec/mass-quote-encoder.js';
import { REPLY_FIELDS } from '../codec/reply-decoder.js';
import { createTickDecoder } from '../codec/tick-decoder.js';
import { EngineMetrics } from '../metrics/engine-metrics.js';
import type { QuoteSource } from '../pricing/quote-source.js';
import { createQuoteSource } from '../pricing/source-factory.js';
import { QF_SOURCE_SEQ, QUOTE_FIELDS } from '../rings/quote-layout.js';
import { TickerRing } from '../rings/ticker-ring.js';
import type { RpcError } from '../rpc/errors.js';
import type { RpcSession } from '../rpc/session.js';
import type { InstrumentInfo } from './bootstrap.js';
import { CancelAll } from './cancel-all.js';
import type { EngineConfig } from './config.js';
import type { EngineEvents, EngineState } from './events.js';
import { BusyPoll } from './busy-poll.js';
import { HotPath } from './hot-path.js';
import type { LiveQuotes } from './live-quotes.js';
import type { EngineLogger } from './logger.js';
import { LoopCounters, LoopReport } from './loop-report.js';
import type { EngineMetricsSnapshot } from './metrics-snapshot.js';
import { indicesByProduct } from './product-index.js';
import { pricingParamRows } from './pricing-params.js';
import { PortfolioGreeks } from './portfolio-greeks.js';
import { OP_NET_DELTA, OP_NET_VEGA } from '../pricing/options-pricer.js';
import type { Positions } from './positions.js';
import type { Protection } from './protection.js';
import { QuotePlanner } from './quote-planner.js';
import { ReplyFailures } from './reply-failures.js';
import { RequestLog } from './request-log.js';
import { SendBudget } from './send-budget.js';

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
 * The quote loop as the engine sees it: builds the pricing source and the hot path with its
 * collaborators (planner, reply failures, cancel-all, reporting), and drives their lifecycle —
 * session up and down, pause and resume, positions and parameters, worker health, housekeeping.
 * Everything per tick and per reply is in HotPath (`hot`), which the engine registers as the
 * ticker channel's handler and the RPC session's hot reply handler, so no call goes through here.
 */
export class QuoteLoop {
  /** Ticks in, quotes out, replies handled: register it for `ticker.` notifications. */
  readonly hot: HotPath;
  /** Snapshots, distributions, HDR log, book view: the cold reporting side. */
  readonly report: LoopReport;
  /** The latency recorders (the engine reads totals and the recent window from them; cold). */
  readonly histograms: EngineMetrics;
  readonly #cfg: EngineConfig;
  readonly #inst: readonly InstrumentInfo[];
  /** Instrument indices of each product (pullProduct). */
  readonly #byProduct: Map<string, number[]>;
  readonly #n: number;
  readonly #live: LiveQuotes;
  readonly #positions: Positions;
  readonly #log: EngineLogger;
  readonly #events: EventEmitter<EngineEvents>;
  readonly #source: QuoteSource;
  readonly #rings: readonly TickerRing[];
  readonly #counters = new LoopCounters();
  /** quoting.busyPoll: the event loop never sleeps while quoting. */
  readonly #busyPoll: BusyPoll | undefined;
  readonly #failures: ReplyFailures;
  readonly #cancel: CancelAll;
  readonly #rpc: RpcSession;
  // Per instrument, shared with the hot path (which reads and writes them per tick).
  readonly #cand: Float64Array; // newest candidate quote (QUOTE_FIELDS each)
  readonly #pending: Uint8Array; // 1 = something to (re)consider
  readonly #lastTickMs: Float64Array;
  readonly #awaiting: Float64Array; // ring seq published and not yet answered by its worker
  /** The pricer parameter rows as last handed to the source (options rows carry the net greeks). */
  readonly #rows: Float64Array[];
  readonly #options: boolean;
  readonly #greeks: PortfolioGreeks;
  /** Net greeks as last written into the rows. */
  #sentNetDelta = 0;
  #sentNetVega = 0;
  #closing = false;

  private constructor(init: QuoteLoopInit, source: QuoteSource, rings: readonly TickerRing[], rows: Float64Array[], options: boolean) {
    this.#cfg = init.config;
    this.#busyPoll = init.config.quoting.busyPoll ? new BusyPoll() : undefined;
    this.#inst = init.instruments;
    this.#byProduct = indicesByProduct(init.instruments.map((i) => i.product));
    this.#n = init.instruments.length;
    this.#live = init.live;
    this.#positions = init.positions;
    this.#log = init.logger;
    this.#events = init.events;
    this.#source = source;
    this.#rings = rings;
    this.#rows = rows;
    this.#options = options;
    this.#greeks = new PortfolioGreeks(init.instruments, rings);
    const n = this.#n;
    this.#cand = new Float64Array(n * QUOTE_FIELDS);
    this.#pending = new Uint8Array(n);
    this.#lastTickMs = new Float64Array(n).fill(-Infinity);
    this.#awaiting = new Float64Array(n);
    const metrics = new EngineMetrics();
    this.histograms = metrics;
    const decoder = createTickDecoder(
      init.instruments.map((i) => i.name),
      rings,
    );
    const encoder = new QuoteEncoder(init.instruments, init.config.quoting);
    const reply = new Float64Array(REPLY_FIELDS);
    const requests = new RequestLog(1024);
    this.#failures = new ReplyFailures(init.instruments, requests, init.live, this.#pending, init.protection, init.events, this.#counters);
    const planner = new QuotePlanner(init.config, init.instruments, source, rings, init.live, init.positions, init.protection, this.#counters, this.#greeks, {
      cand: this.#cand,
      pending: this.#pending,
      lastTickMs: this.#lastTickMs,
      failCount: this.#failures.failCount,
    });
    this.#rpc = init.rpc;
    this.#cancel = new CancelAll(init.rpc, encoder, decoder, reply, this.#counters);
    this.report = new LoopReport(this.#counters, metrics, init.instruments, rings, init.live);
    this.hot = new HotPath({
      config: init.config,
      rpc: init.rpc,
      live: init.live,
      source,
      rings,
      decoder,
      reply,
      encoder,
      metrics,
      counters: this.#counters,
      requests,
      planner,
      failures: this.#failures,
      cancel: this.#cancel,
      onReplyTimeout: init.onReplyTimeout,
      cand: this.#cand,
      pending: this.#pending,
      lastTickMs: this.#lastTickMs,
      awaiting: this.#awaiting,
    });
    init.rpc.setHotHandler(this.hot);
  }

  static async create(init: QuoteLoopInit): Promise<QuoteLoop> {
    const pricing = init.config.pricing;
    const rings = init.instruments.map(() => TickerRing.create());
    let loop: QuoteLoop | undefined;
    const options = usesOptionsPricer(init.config, init.instruments);
    const rows = pricingParamRows(init.instruments, pricing.params, pricing.pricerModule !== undefined, options);
    const source = await createQuoteSource({
      mode: pricing.mode,
      // Options carry what Black-76 needs beside the tick: type, strike, expiry.
      instruments: init.instruments.map((i) => ({
        name: i.name,
        tickSize: i.tickSize,
        volumeTickSize: i.volumeTickSize,
        minOrderAmount: i.minOrderAmount,
        ...(i.optionType !== undefined ? { optionType: i.optionType } : {}),
        ...(i.strike !== undefined ? { strike: i.strike } : {}),
        ...(i.expiry !== undefined ? { expiry: i.expiry } : {}),
      })),
      rings,
      params: rows,
      workers: pricing.workers,
      ...(pricing.pricerModule !== undefined ? { pricerModule: pricing.pricerModule } : {}),
      builtin: options ? 'options' : 'spread',
      // Late-bound: the pool may report before the loop exists (then there is nothing to pull).
      onQuotableChange: (i, quotable, error) => loop?.onQuotableChange(i, quotable, error),
    });
    loop = new QuoteLoop(init, source, rings, rows, options);
    return loop;
  }

  // ---- connection lifecycle (cold) ----

  onSession(messageRate: number, sink: QuoteFrameSink): void {
    this.hot.sink = sink;
    const now = performance.now();
    this.hot.budget = new SendBudget({ messageRate, fraction: this.#cfg.quoting.budgetFraction }, now);
    // The bootstrap's requests (login, arming, subscriptions) already spent the venue's bucket.
    this.hot.budget.spend(now, this.#rpc.sentThisConnection);
    this.#pending.fill(1);
    this.#failures.reset();
  }

  onDisconnect(): void {
    this.hot.sink = undefined;
    this.hot.paused = true;
    this.#busyPoll?.stop();
    this.#cancel.onDisconnect();
  }

  pause(): void {
    this.hot.paused = true;
    this.#busyPoll?.stop();
  }

  /**
   * Arms the `due` products not being armed yet, within the message budget (100 re-arms are 100
   * requests) and before quotes: the products still waiting hold the next tokens, which quotes
   * leave them (SendBudget.reserve), so that their arming does not queue behind other products'
   * requotes. Before the first session there is no budget.
   */
  armWithinBudget(nowMs: number, due: readonly string[], arming: ReadonlySet<string>, arm: (product: string) => void): void {
    const b = this.hot.budget;
    let waiting = 0;
    for (let k = 0; k < due.length; k++) if (!arming.has(due[k]!)) waiting++;
    b?.reserve(waiting);
    for (let k = 0; k < due.length; k++) {
      const p = due[k]!;
      if (arming.has(p)) continue;
      if (b !== undefined && !b.tryTakeReserved(nowMs)) return;
      arm(p);
    }
  }

  get quotesSent(): number {
    return this.#counters.quotesSent;
  }

  /** The socket took everything we had buffered: send what is pending. */
  onDrain(): void {
    this.hot.flush(performance.now());
  }

  resume(): void {
    this.hot.paused = false;
    this.#busyPoll?.start();
    // Ticks that arrived while quoting was not allowed have no tick-to-wire: do not record them.
    this.hot.resumedNs = performance.now() * 1e6;
    this.#pending.fill(1);
    this.hot.flush(performance.now());
  }

  /** The venue pulled (or will pull) this product's quotes: forget them, re-quote when allowed. */
  pullProduct(product: string): void {
    const list = this.#byProduct.get(product);
    if (list === undefined) return;
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      this.#live.clearInstrument(i);
      this.#pending[i] = 1;
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
    this.#updateGreeks(true);
  }

  setParams(params: Record<string, number>): void {
    const rows = pricingParamRows(this.#inst, params, this.#cfg.pricing.pricerModule !== undefined, this.#options);
    for (let i = 0; i < this.#n; i++) {
      this.#rows[i] = rows[i]!;
      if (this.#options) this.#writeGreeks(rows[i]!);
      this.#source.setParams(i, rows[i]!);
    }
  }

  /** The portfolio's net delta and vega as the pricer and the risk limits last saw them. */
  netGreeks(): { delta: number; vega: number } {
    return { delta: this.#greeks.netDelta, vega: this.#greeks.netVega };
  }

  /**
   * Recomputes the net greeks (positions, latest ticks); on a position change, or when they moved
   * materially since the pricer last saw them, writes them into every options row and hands the
   * rows to the source (which re-prices everything: cold, not per tick). Every instrument is
   * reconsidered, since the risk limits depend on them too.
   */
  #updateGreeks(force: boolean): void {
    this.#greeks.update((i) => this.#positions.position(this.#inst[i]!.name));
    if (!this.#options) {
      if (force) this.#pending.fill(1);
      return;
    }
    const g = this.#greeks;
    const dl = this.#cfg.risk.maxNetDelta > 0 ? this.#cfg.risk.maxNetDelta : 1;
    const vl = this.#cfg.risk.maxNetVega > 0 ? this.#cfg.risk.maxNetVega : 100;
    const moved = Math.abs(g.netDelta - this.#sentNetDelta) > 0.01 * dl || Math.abs(g.netVega - this.#sentNetVega) > 0.01 * vl;
    if (!force && !moved) return;
    for (let i = 0; i < this.#n; i++) {
      this.#writeGreeks(this.#rows[i]!);
      this.#source.setParams(i, this.#rows[i]!);
    }
    this.#sentNetDelta = g.netDelta;
    this.#sentNetVega = g.netVega;
    this.#pending.fill(1);
  }

  #writeGreeks(row: Float64Array): void {
    row[OP_NET_DELTA] = this.#greeks.netDelta;
    row[OP_NET_VEGA] = this.#greeks.netVega;
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
        this.hot.armPoll();
      }
    }
    this.#pending[i] = 1;
  }

  /** Stale-data pulls and quotes held back by budget, interval or in-flight limits. */
  housekeep(nowMs: number): void {
    // A worker's result that came in meanwhile goes out before anything else here.
    this.hot.pollNow();
    // Marks move without fills: the greeks too (cold, one pass over the rings).
    this.#updateGreeks(false);
    const bad = this.#counters.badTickReport(nowMs);
    if (bad !== undefined) this.#events.emit('engineError', bad);
    const stale = this.#cfg.risk.staleMs;
    for (let i = 0; i < this.#n; i++) {
      // hasLive: levels, or an unknown side (a partly filled one) that the pull must delete too.
      if (this.#live.hasLive(i) && nowMs - this.#lastTickMs[i]! > stale) this.#pending[i] = 1;
    }
    this.hot.flush(nowMs);
  }

  /**
   * Cancels every mass quote of the account (`private/cancel_mass_quote`, no product) and waits
   * for the venue's reply, at most `timeoutMs`. The reply's round trip goes to the cancel RTT
   * histogram.
   */
  cancelAll(timeoutMs: number): Promise<void> {
    // Never held back by the budget, but counted in it: the venue's rate counts it too.
    this.hot.budget?.spend(performance.now());
    return this.#cancel.send(this.hot.sink, timeoutMs);
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.hot.stopTimers();
    this.#busyPoll?.stop();
    await this.#source.close();
    this.report.close();
  }

  /** Counters and histograms as one snapshot (cold); see LoopReport. */
  snapshot(state: EngineState, reconnects: number): EngineMetricsSnapshot {
    const s = this.report.snapshot(state, reconnects);
    s.netGreeks = this.netGreeks();
    return s;
  }
}

/** The built-in options pricer prices this set: asked for, or `auto` and an option among them. */
function usesOptionsPricer(config: EngineConfig, instruments: readonly InstrumentInfo[]): boolean {
  const p = config.pricing;
  if (p.pricerModule !== undefined) return false;
  return p.pricer === 'options' || (p.pricer === 'auto' && instruments.some((i) => i.optionType !== undefined));
}

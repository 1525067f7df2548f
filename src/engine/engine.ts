import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { KeyObject } from 'node:crypto';
import { QuoterError } from '../errors.js';
import { loadPrivateKey, makeLoginToken, parsePrivateKey } from '../protocol/login-token.js';
import { RpcSession } from '../rpc/session.js';
import { WsClient } from '../ws/client.js';
import type { WsError } from '../ws/errors.js';
import { RpcError } from '../rpc/errors.js';
import { AccountFeed } from './account-feed.js';
import { Arming } from './arming.js';
import { Backoff } from './backoff.js';
import { bootstrap, type BootstrapResult } from './bootstrap.js';
import { parseEngineConfig, type EngineConfig, type EngineConfigInput } from './config.js';
import { ConnectionHandler, type ConnectionOwner } from './connection.js';
import { EngineStateError, ReplyTimeoutError, VenueDataError } from './errors.js';
import { asQuoterError, isFatal } from './fatal.js';
import type { EngineEvents, EngineState } from './events.js';
import { InstrumentSet } from './instrument-set.js';
import { LiveQuotes } from './live-quotes.js';
import { routeAccountChannels } from './account-routes.js';
import { silentLogger, type EngineLogger } from './logger.js';
import { Positions } from './positions.js';
import { Protection } from './protection.js';
import { emptySnapshot } from './loop-report.js';
import { QuoteLoop } from './quote-loop.js';
import type { EngineMetricsSnapshot, LatencyDistribution } from './metrics-snapshot.js';
import type { StopReport } from './stop-report.js';

export type { StopReport } from './stop-report.js';

export interface EngineOptions {
  logger?: EngineLogger;
}

/** How long the bootstrap waits for the order and portfolio snapshots. */
const SNAPSHOT_TIMEOUT_MS = 5_000;
/** Housekeeping period: protection re-arming, stale-data pulls, deferred quotes. */
const HOUSEKEEPING_MS = 20;

/**
 * The quoting engine. Owns one connection at a time, walks the bootstrap on every (re)connect,
 * quotes while the venue and the risk limits allow, and cancels everything on `stop()`.
 *
 *   const engine = new Engine(config);
 *   engine.on('fill', (f) => …);
 *   await engine.start();   // resolves once quoting (or rejects if the first bootstrap is refused)
 *   …
 *   await engine.stop();    // cancel_mass_quote, wait for the reply, close
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly config: EngineConfig;
  readonly #log: EngineLogger;
  readonly #rpc: RpcSession;
  readonly #positions = new Positions();
  readonly #protection: Protection;
  readonly #backoff: Backoff;
  #live: LiveQuotes | undefined;
  #feed: AccountFeed | undefined;
  #loop: QuoteLoop | undefined;
  #key: KeyObject | undefined;
  #ws: WsClient | undefined;
  #state: EngineState = 'idle';
  #halted = false;
  #session: BootstrapResult | undefined;
  readonly #set: InstrumentSet; // the instruments the hot path is built for
  #housekeeping: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #reconnects = 0;
  readonly #arming: Arming;
  readonly #due: string[] = [];
  #firstStart: { resolve: () => void; reject: (e: Error) => void } | undefined;
  #everQuoted = false;
  /** The last connect failure reported, so that a venue down for minutes is reported once. */
  #lastConnectProblem: string | undefined;
  #stopReport: StopReport | undefined;
  #stopping: Promise<StopReport> | undefined;

  constructor(config: EngineConfigInput, options: EngineOptions = {}) {
    super();
    this.config = parseEngineConfig(config);
    this.#set = new InstrumentSet(this.config.instruments, this.config.instrumentRefreshMs);
    this.#log = options.logger ?? silentLogger;
    this.#backoff = new Backoff({ initialMs: this.config.reconnect.initialMs, maxMs: this.config.reconnect.maxMs });
    this.#protection = new Protection(this.config.protection, (t) => {
      if (t.to !== 'armed') this.#loop?.pullProduct(t.product);
      // The log line and the event wait for the next turn: a cancel's mm_protection notice comes
      // just before the cancel's reply, often in the same read, and the reply goes first.
      setImmediate(() => {
        this.#log.info({ product: t.product, from: t.from, to: t.to, reason: t.reason, remaining: t.remainingAmount }, `protection ${t.product}: ${t.from} → ${t.to} (${t.reason}, remaining ${t.remainingAmount})`);
        this.emit('protection', { product: t.product, state: t.to, reason: `${t.to}: ${t.reason}`, remainingAmount: t.remainingAmount });
      });
    });
    this.#rpc = new RpcSession({
      timeoutMs: this.config.rpc.timeoutMs,
      hotTimeoutMs: this.config.rpc.hotTimeoutMs,
      diagnostics: {
        onStrayReply: (id) => this.#problem(new RpcError('RPC_ERR_STRAY_REPLY', '', id ?? 0, `reply to no request in flight (id ${id}; late, after its deadline?)`)),
        onUnroutedNotification: (channel) => this.#problem(new VenueDataError('ENGINE_ERR_UNEXPECTED_CHANNEL', `notification on channel ${channel}, which the engine did not subscribe to`)),
        onBadFrame: (err) => this.#problem(err),
      },
    });
    this.#arming = new Arming(this.#rpc, this.#protection, this.config, () => this.#loop?.hot.budget, (e) => this.#problem(e));
  }

  get state(): EngineState { return this.#state; }

  /** `config.instruments` with its selectors resolved at the last bootstrap (instrument-set.ts). */
  instruments(): string[] { return this.#set.names(); }

  get reconnects(): number { return this.#reconnects; }

  /** Mass quotes sent so far: a counter, cheap to poll (metrics() reads every histogram). */
  get quotesSent(): number { return this.#loop?.quotesSent ?? 0; }

  /** Position per instrument as the engine counts it. */
  positions(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of this.instruments()) out[name] = this.#positions.position(name);
    return out;
  }

  /** Protection state per product. */
  protectionStates(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of this.#protection.products()) out[p] = this.#protection.state(p);
    return out;
  }

  /** Market best bid/ask against our best live bid/ask, per instrument (for the monitor). */
  book(): Array<{ instrument: string; marketBid: number | null; marketAsk: number | null; ourBid: number | null; ourAsk: number | null }> {
    return this.#loop?.report.book() ?? [];
  }

  /**
   * Counters since the engine was made and latencies since start, plus the latencies over the
   * recent window. Cold, and free of side effects: reading it ends no histogram interval, so it
   * may be called as often as anyone likes (a status line, the monitor, a Prometheus scrape).
   */
  metrics(): EngineMetricsSnapshot {
    const snap = this.#loop === undefined ? emptySnapshot(this.#state, this.#reconnects) : this.#loop.snapshot(this.#state, this.#reconnects);
    snap.requests = { ...this.#rpc.outcomes, inFlight: this.#rpc.inFlight };
    const budget = this.#loop?.hot.budget;
    if (budget !== undefined) snap.sendRate = budget.rate;
    this.#loop?.report.addRecent(snap);
    return snap;
  }

  /**
   * Quote RTT, cancel RTT, tick-to-wire, tick-to-reply and pricing (µs) at each of `percentiles`
   * (0-100), read from the HDR histograms, since start (or the last reset) or over the recent
   * window (see `metrics().recent`): the monitor's distribution charts. Cold (once per monitor
   * interval). Null before the first connection and after `stop()`.
   */
  latencyDistribution(percentiles: readonly number[], window: 'total' | 'recent' = 'total'): LatencyDistribution | null {
    const r = this.#loop?.report;
    if (r === undefined) return null;
    return window === 'total' ? r.distribution(percentiles) : r.recentDistribution(percentiles);
  }

  /**
   * Quote RTT, cancel RTT, tick-to-wire and pricing histograms as an HdrHistogram V2 log (ns),
   * for offline analysis (HistogramLogAnalyzer, hdr-plot). Empty before the first connection.
   */
  hdrLog(): string {
    return this.#loop?.report.hdrLog() ?? '';
  }

  /** Drops the latency samples recorded so far (a warm-up, a previous session of a benchmark). */
  resetMetrics(): void {
    this.#loop?.report.resetHistograms();
  }

  /** New pricer parameters, picked up by the pricer on its next tick. */
  setPricingParams(params: Record<string, number>): void {
    for (const [k, v] of Object.entries(params)) {
      if (!Number.isFinite(v)) throw new EngineStateError(`pricing parameter ${k} must be a finite number`);
    }
    Object.assign(this.config.pricing.params, params);
    this.#loop?.setParams(this.config.pricing.params);
  }

  /** A product disarmed after repeated protection trips is quoted again (re-armed first). */
  enableProduct(product: string): void {
    this.#protection.enable(product);
  }

  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new EngineStateError(`start() in state ${this.#state}`);
    const { privateKeyPath, privateKeyPem } = this.config.credentials;
    this.#key = privateKeyPath !== undefined ? await loadPrivateKey(privateKeyPath) : parsePrivateKey(privateKeyPem!, 'config credentials.privateKeyPem');
    this.#housekeeping = setInterval(() => this.#housekeep(), HOUSEKEEPING_MS);
    this.#housekeeping.unref();
    const started = new Promise<void>((resolve, reject) => {
      this.#firstStart = { resolve, reject };
    });
    void this.#connect();
    return started;
  }

  /**
   * Kill switch: cancel every mass quote, wait for the venue's confirmation, and quote nothing
   * until `resume()`. Resolves when the cancel was confirmed; rejects if it could not be (the
   * engine then drops the connection, and cancel-on-disconnect pulls the quotes).
   */
  async kill(): Promise<void> {
    this.#halted = true;
    if (this.#state === 'quoting') this.#setState('halted', 'kill switch');
    this.#loop?.pause();
    if (this.#rpc.connected) {
      try {
        await this.#cancelAll(this.config.shutdownTimeoutMs);
      } catch (e) {
        this.#ws?.destroy();
        throw e;
      }
    }
  }

  /** Leaves the kill switch: protection is re-armed, then quoting resumes. */
  resume(): void {
    if (!this.#halted) return;
    this.#halted = false;
    if (this.#state === 'halted') {
      this.#setState('quoting', 'resumed');
      this.#loop?.resume();
    }
  }

  /**
   * Cancels all quotes (waiting for the reply, bounded), closes the connection and the workers.
   * Resolves with what was done; a second call resolves with the same report.
   */
  stop(): Promise<StopReport> {
    if (this.#stopReport !== undefined) return Promise.resolve(this.#stopReport);
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<StopReport> {
    this.#setState('stopping');
    clearTimeout(this.#retryTimer);
    clearInterval(this.#housekeeping);
    this.#loop?.pause();
    const report: StopReport = { everQuoted: this.#everQuoted, cancelSent: false, confirmedMs: null };
    // Only a session with a quote loop can hold quotes; a session still in its first bootstrap
    // (or no session) has none, and a dropped one was emptied by the venue's cancel-on-disconnect.
    if (this.#rpc.connected && this.#loop !== undefined) {
      const t0 = performance.now();
      report.cancelSent = true;
      try {
        await this.#cancelAll(this.config.shutdownTimeoutMs);
        report.confirmedMs = performance.now() - t0;
      } catch (e) {
        report.problem = asQuoterError(e);
        this.#problem(report.problem);
      }
    }
    try {
      await this.#ws?.close(1000, 'shutdown');
    } catch {
      /* already gone */
    }
    this.#rpc.dispose();
    await this.#loop?.close();
    this.#stopReport = report;
    this.#setState('stopped');
    this.#firstStart?.reject(new EngineStateError('stopped before quoting started'));
    this.#firstStart = undefined;
    return report;
  }

  async #cancelAll(timeoutMs: number): Promise<void> {
    await this.#loop?.cancelAll(timeoutMs);
    this.#live?.clearAll();
    this.#protection.onCancelAll();
  }

  async #connect(): Promise<void> {
    if (this.#state === 'stopping' || this.#state === 'stopped') return;
    this.#setState('connecting');
    const owner: ConnectionOwner = { onConnectionClosed: (c, r, e) => this.#onClosed(c, r, e), onDrain: () => this.#loop?.onDrain(), onReadTurn: () => this.#loop?.hot.onReadEnd() };
    const ws = new WsClient(
      {
        url: this.config.url,
        ...(this.config.tls.ca !== undefined ? { ca: this.config.tls.ca } : {}),
        rejectUnauthorized: this.config.tls.rejectUnauthorized,
        pingIntervalMs: this.config.keepalive.pingIntervalMs,
        idleTimeoutMs: this.config.keepalive.idleTimeoutMs,
      },
      new ConnectionHandler(this.#rpc, owner),
    );
    this.#ws = ws;
    let opened = false;
    try {
      await ws.connect();
      opened = true;
      this.#lastConnectProblem = undefined;
      if (this.#ws !== ws || this.#state !== 'connecting') {
        ws.destroy();
        return;
      }
      this.#rpc.attach(ws);
      this.#setState('bootstrapping');
      this.#routeChannels();
      this.#feed?.resetSnapshots();
      const session = await bootstrap(this.#rpc, this.config, {
        token: () => makeLoginToken(this.#key!, this.config.credentials.keyId),
        snapshots: () => this.#feed!.snapshots(SNAPSHOT_TIMEOUT_MS),
        onStep: (step) => this.#setState('bootstrapping', step),
        beforeSnapshots: (result) => this.#prepare(result),
        // A product cooling down after a trip (or disarmed) stays unset at the venue; the
        // housekeeping pass arms it once its cool-down is over.
        mayArm: (product) => this.#protection.mayArm(product, performance.now()),
      });
      if (this.#ws !== ws || (this.#state as EngineState) !== 'bootstrapping') return;
      this.#session = session;
      for (const p of session.products) {
        const limits = this.config.protection.products[p] ?? this.config.protection.default;
        this.#protection.track(p);
        if (session.armed.includes(p)) this.#protection.armed(p, limits.tradeAmount);
      }
      this.#loop!.onSession(session.messageRate, ws);
      this.#backoff.reset();
      this.#everQuoted = true;
      if (this.#halted) {
        this.#setState('halted', 'kill switch engaged');
      } else {
        this.#setState('quoting');
        this.#loop!.resume();
      }
      this.#firstStart?.resolve();
      this.#firstStart = undefined;
    } catch (e) {
      const err = asQuoterError(e);
      if (opened) this.#problem(err);
      else this.#connectProblem(err);
      if (this.#firstStart !== undefined && isFatal(err)) {
        const first = this.#firstStart;
        this.#firstStart = undefined;
        await this.stop();
        first.reject(err);
        return;
      }
      if (this.#ws !== ws) return;
      ws.destroy();
      // A connection that never opened has no close to report: retry from here (venue down,
      // refused, TLS verification failed), with the same backoff as after a drop.
      if (!opened && this.#state === 'connecting') this.#retry(`connect failed: ${err.code}`);
    }
  }

  /** First bootstrap: size the hot path for the instruments the venue confirmed. */
  async #prepare(result: Pick<BootstrapResult, 'instruments'>): Promise<void> {
    const names = result.instruments.map((i) => i.name);
    if (!this.#set.accept(names, performance.now(), this.#log, this)) return; // the same set: the hot path stays
    await this.#loop?.close(); // a new set (selectors): a new hot path, built below; no event reaches it meanwhile
    const index = new Map(names.map((n, i) => [n, i]));
    const productOf = new Map(result.instruments.map((i) => [i.name, i.product]));
    this.#live = new LiveQuotes(names.length);
    this.#feed = new AccountFeed(this.#positions, this.#protection, this.#live, index, productOf, {
      fill: (f) => this.emit('fill', f),
      position: (instrument) => this.#loop?.onPosition(instrument),
      malformed: (channel, detail) => this.#problem(new VenueDataError('ENGINE_ERR_MALFORMED_NOTIFICATION', `${channel}: ${detail}`)),
    });
    this.#loop = await QuoteLoop.create({
      config: this.config,
      instruments: result.instruments,
      rpc: this.#rpc,
      live: this.#live,
      positions: this.#positions,
      protection: this.#protection,
      logger: this.#log,
      events: this,
      onReplyTimeout: (e) => this.#onReplyTimeout(e),
    });
    // The connection reports the end of every socket read (ConnectionHandler.onReadEnd).
    this.#loop.hot.readEnds = true;
    this.#routeChannels();
  }

  #routeChannels(): void {
    const ch = this.#rpc.channels;
    if (this.#loop !== undefined) ch.addRaw('ticker.', this.#loop.hot);
    if (this.#feed !== undefined) {
      routeAccountChannels(ch, this.#feed, (c) => this.#problem(new VenueDataError('ENGINE_ERR_MALFORMED_NOTIFICATION', `${c}: frame is not JSON`)));
    }
    ch.addParsed('system', (_c, n) => this.#onSystem(n));
  }

  #onSystem(n: unknown): void {
    if (n !== null && typeof n === 'object' && (n as { event?: unknown }).event === 'reconnect') {
      // The venue will close this connection soon (maintenance): pull our quotes and reconnect
      // on our own terms rather than wait for the drop.
      this.#log.warn('venue announced a reconnect; reconnecting now');
      void this.#plannedReconnect();
    }
  }

  async #plannedReconnect(): Promise<void> {
    if (this.#state !== 'quoting' && this.#state !== 'halted') return;
    this.#loop?.pause();
    try {
      await this.#cancelAll(this.config.shutdownTimeoutMs);
    } catch (e) {
      this.#problem(asQuoterError(e));
    }
    this.#backoff.reset();
    await this.#ws?.close(1001, 'venue reconnect notice').catch(() => undefined);
  }

  /**
   * A quote or cancel went unanswered past its deadline: the venue's view of our quotes is
   * unknown, and a connection that loses replies cannot be trusted with the next ones. Drop it:
   * cancel-on-disconnect pulls every quote of the session, and the bootstrap starts afresh.
   */
  #onReplyTimeout(error: RpcError): void {
    if (this.#state !== 'quoting' && this.#state !== 'halted') return;
    this.#problem(new ReplyTimeoutError(`${error.message}; dropping the connection so cancel-on-disconnect pulls our quotes`, { cause: error }));
    this.#ws?.destroy();
  }

  #onClosed(code: number, reason: string, error: WsError | undefined): void {
    this.#loop?.onDisconnect();
    this.#live?.clearAll();
    this.#protection.onSessionEnd();
    this.#session = undefined;
    if (this.#state === 'stopping' || this.#state === 'stopped') return;
    if (error !== undefined) this.#problem(error);
    this.#reconnects++;
    this.#retry(`closed ${code}${reason ? ` ${reason}` : ''}`);
  }

  #retry(why: string): void {
    const delay = this.#backoff.next();
    this.#setState('reconnecting', `${why}; attempt ${this.#backoff.attempt}, retry in ${delay.toFixed(0)} ms`);
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
  }

  /**
   * A connection that did not open (venue down, refused, TLS not verified). Retried every few
   * seconds for as long as it lasts, so the log says the cause once (again only when it changes),
   * each attempt is the one `reconnecting` state line, and the stack is for debug level.
   */
  #connectProblem(e: QuoterError): void {
    const cause = (e as Error & { cause?: unknown }).cause;
    const text = `${e.message}${cause instanceof Error && !e.message.includes(cause.message) ? ` (${cause.message})` : ''}`;
    if (text !== this.#lastConnectProblem) {
      this.#lastConnectProblem = text;
      this.#log.warn({ code: e.code }, `cannot reach the venue at ${this.config.url}: ${text}; retrying with backoff`);
    }
    this.#log.debug({ err: e, code: e.code }, e.message);
    this.emit('engineError', e);
  }

  #housekeep(): void {
    if (this.#state !== 'quoting' && this.#state !== 'halted') return;
    const now = performance.now();
    // Only while quoting is allowed (not halted, no planned reconnect).
    if (this.#loop !== undefined && !this.#loop.hot.paused) this.#loop.armWithinBudget(now, this.#protection.due(now, this.#due), this.#arming.inFlight, this.#arming.arm);
    this.#loop?.housekeep(now);
    this.#set.refreshIfDue(this.#rpc, now, () => this.#plannedReconnect(), (e) => this.#problem(asQuoterError(e)));
  }

  #setState(state: EngineState, detail?: string): void {
    const previous = this.#state;
    if (previous === state && detail === undefined) return;
    this.#state = state;
    // Each retry passes through `connecting`; its `reconnecting` line (cause, attempt, delay) is
    // the one that says something, so the attempt itself is debug.
    const msg = `engine ${state}${detail !== undefined ? `: ${detail}` : ''}`;
    if (state === 'connecting' && previous === 'reconnecting') this.#log.debug({ state, previous, detail }, msg);
    else this.#log.info({ state, previous, detail }, msg);
    this.emit('state', detail === undefined ? { state, previous } : { state, previous, detail });
  }

  #problem(e: QuoterError): void {
    // One line at warn; the stack (ours, rarely the reader's business) at debug.
    this.#log.warn({ code: e.code }, e.message);
    this.#log.debug({ err: e, code: e.code }, e.message);
    this.emit('engineError', e);
  }
}

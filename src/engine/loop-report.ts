import { METRIC_NAMES, type EngineMetrics, type MetricName } from '../metrics/engine-metrics.js';
import type { LatencySnapshot } from '../metrics/latency-histogram.js';
import { F_BEST_ASK_PRICE, F_BEST_BID_PRICE, TICK_FIELDS } from '../rings/layout.js';
import type { TickerRing } from '../rings/ticker-ring.js';
import type { InstrumentInfo } from './bootstrap.js';
import { VenueDataError } from './errors.js';
import type { EngineState } from './events.js';
import { ASK, BID, type LiveQuotes } from './live-quotes.js';
import type { EngineMetricsSnapshot, LatencyDistribution, LatencyPercentiles } from './metrics-snapshot.js';
import { RISK_REASONS } from './risk.js';

/** Placeholder: the engine fills `requests` from its RPC session. */
const NO_REQUESTS = Object.freeze({ registered: 0, answered: 0, errorReplies: 0, timedOut: 0, disconnected: 0, withdrawn: 0, inFlight: 0 });

/**
 * What the quote loop counts, shared by the classes that make up the loop. Plain number fields
 * so the hot path only increments them; the maps are touched on cold paths (refusals, pulls).
 */
export class LoopCounters {
  ticks = 0;
  quotesSent = 0;
  cancelsSent = 0;
  backpressured = 0;
  lost = 0;
  stale = 0;
  badTicks = 0;
  readonly sideErrors = new Map<number, number>();
  readonly requestErrors = new Map<number, number>();
  readonly riskPulls = new Map<string, number>();
  #badTicksReported = 0;
  #badTicksReportMs = -Infinity;

  countPull(verdict: number): void {
    const reason = RISK_REASONS[verdict] ?? 'unknown';
    this.riskPulls.set(reason, (this.riskPulls.get(reason) ?? 0) + 1);
  }

  /** Undecodable tickers since the last report, as one error at most once a second (else undefined). */
  badTickReport(nowMs: number): VenueDataError | undefined {
    if (this.badTicks === this.#badTicksReported || nowMs - this.#badTicksReportMs < 1000) return undefined;
    const n = this.badTicks - this.#badTicksReported;
    this.#badTicksReported = this.badTicks;
    this.#badTicksReportMs = nowMs;
    return new VenueDataError('ENGINE_ERR_BAD_TICKER', `${n} ticker frame(s) could not be decoded (unknown instrument or malformed); ignored`);
  }

  /** The engine's metrics snapshot from these counters and the histograms' totals (cold). */
  snapshot(metrics: EngineMetrics, state: EngineState, reconnects: number): EngineMetricsSnapshot {
    const t = metrics.totals();
    return {
      state,
      reconnects,
      quoteRtt: toUs(t.quoteRtt),
      cancelRtt: toUs(t.cancelRtt),
      tickToWire: toUs(t.tickToWire),
      tickToReply: toUs(t.tickToReply),
      pricing: toUs(t.pricing),
      quotesSent: this.quotesSent,
      cancelsSent: this.cancelsSent,
      ticks: this.ticks,
      sideErrors: Object.fromEntries(this.sideErrors),
      requestErrors: Object.fromEntries(this.requestErrors),
      riskPulls: Object.fromEntries(this.riskPulls),
      lost: this.lost,
      staleDropped: this.stale,
      backpressured: this.backpressured,
      badTicks: this.badTicks,
      requests: NO_REQUESTS,
    };
  }
}

/**
 * The quote loop's reporting side (cold: once per monitor interval, or on request): metrics
 * snapshots, latency distributions, the HDR log and the book view. After `close()` it answers
 * from the last snapshot, since the histograms are freed.
 */
export class LoopReport {
  readonly #counters: LoopCounters;
  readonly #metrics: EngineMetrics;
  readonly #inst: readonly InstrumentInfo[];
  readonly #rings: readonly TickerRing[];
  readonly #live: LiveQuotes;
  /** Metrics as they were when the loop closed. */
  #final: EngineMetricsSnapshot | undefined;

  constructor(counters: LoopCounters, metrics: EngineMetrics, inst: readonly InstrumentInfo[], rings: readonly TickerRing[], live: LiveQuotes) {
    this.#counters = counters;
    this.#metrics = metrics;
    this.#inst = inst;
    this.#rings = rings;
    this.#live = live;
  }

  snapshot(state: EngineState, reconnects: number): EngineMetricsSnapshot {
    if (this.#final !== undefined) return { ...this.#final, state, reconnects };
    return this.#counters.snapshot(this.#metrics, state, reconnects);
  }

  /** The four histograms' totals (µs) at `percentiles`; null once closed (the histograms are freed). */
  distribution(percentiles: readonly number[]): LatencyDistribution | null {
    if (this.#final !== undefined) return null;
    return this.#metrics.distribution(percentiles);
  }

  /**
   * Adds the recent window (see LatencyRecorder.recent) and each total's sum to `snap`, unless
   * the histograms are freed. Cold.
   */
  addRecent(snap: EngineMetricsSnapshot): void {
    const h = this.#metrics;
    if (this.#final !== undefined || h.destroyed) return;
    const recent = h.recent();
    const us = (s: LatencySnapshot): LatencyPercentiles => ({ ...toUs(s), sum: (s.mean * s.count) / 1000 });
    snap.recent = { windowSeconds: h.quoteRtt.windowMs / 1000, quoteRtt: us(recent.quoteRtt), cancelRtt: us(recent.cancelRtt), tickToWire: us(recent.tickToWire), tickToReply: us(recent.tickToReply), pricing: us(recent.pricing) };
    for (const name of METRIC_NAMES) snap[name] = { ...snap[name], sum: h[name].totalSumNs() / 1000 };
  }

  /** Each histogram's recent window (µs) at `percentiles`; null once closed. */
  recentDistribution(percentiles: readonly number[]): LatencyDistribution | null {
    const h = this.#metrics;
    if (this.#final !== undefined || h.destroyed) return null;
    const read = (name: MetricName): number[] => {
      const out = new Array<number>(percentiles.length);
      h[name].recentAtPercentiles(percentiles, out, 1e-3);
      return out;
    };
    return { quoteRtt: read('quoteRtt'), cancelRtt: read('cancelRtt'), tickToWire: read('tickToWire'), tickToReply: read('tickToReply'), pricing: read('pricing') };
  }

  /** The four histograms' totals as an HdrHistogram V2 log (ns), see EngineMetrics.totalsLog. */
  hdrLog(): string {
    return this.#metrics.totalsLog();
  }

  /** Drops every latency sample so far (e.g. a warm-up). */
  resetHistograms(): void {
    this.#metrics.resetTotals();
  }

  /** Market vs our best prices per instrument (allocates). */
  book(): BookRow[] {
    return bookRows(this.#inst, this.#rings, this.#live);
  }

  /** Keeps the last snapshot and frees the histograms. */
  close(): void {
    this.#final = this.snapshot('stopped', 0);
    this.#metrics.destroy();
  }
}

/** A snapshot before any quote loop exists (no connection yet). */
export function emptySnapshot(state: EngineState, reconnects: number): EngineMetricsSnapshot {
  const z: LatencyPercentiles = { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return { state, reconnects, quoteRtt: z, cancelRtt: z, tickToWire: z, tickToReply: z, pricing: z, quotesSent: 0, cancelsSent: 0, ticks: 0, sideErrors: {}, requestErrors: {}, riskPulls: {}, lost: 0, staleDropped: 0, backpressured: 0, badTicks: 0, requests: NO_REQUESTS };
}

export interface BookRow {
  instrument: string;
  marketBid: number | null;
  marketAsk: number | null;
  ourBid: number | null;
  ourAsk: number | null;
}

/** Market vs our best prices per instrument (cold: allocates, once per monitor interval). */
export function bookRows(inst: readonly InstrumentInfo[], rings: readonly TickerRing[], live: LiveQuotes): BookRow[] {
  const t = new Float64Array(TICK_FIELDS);
  const num = (v: number) => (Number.isFinite(v) ? v : null);
  return inst.map((instrument, i) => {
    const seq = rings[i]!.readLatest(t);
    const bidLive = live.count(i, BID) > 0;
    const askLive = live.count(i, ASK) > 0;
    return {
      instrument: instrument.name,
      marketBid: seq > 0 ? num(t[F_BEST_BID_PRICE]!) : null,
      marketAsk: seq > 0 ? num(t[F_BEST_ASK_PRICE]!) : null,
      ourBid: bidLive ? live.price(i, BID, 0) : null,
      ourAsk: askLive ? live.price(i, ASK, 0) : null,
    };
  });
}

function toUs(s: LatencySnapshot): LatencyPercentiles {
  return { count: s.count, p50: s.p50 / 1000, p90: s.p90 / 1000, p99: s.p99 / 1000, p999: s.p999 / 1000, max: s.max / 1000 };
}

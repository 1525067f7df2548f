import { QuoteBatch } from '../codec/quote-batch.js';
import type { QuoteSource } from '../pricing/quote-source.js';
import { F_DELTA, F_INDEX, F_MARK_PRICE, TICK_FIELDS } from '../rings/layout.js';
import { QF_ASK_COUNT, QF_ASKS, QF_BID_COUNT, QF_BIDS, QF_SOURCE_SEQ, QUOTE_FIELDS } from '../rings/quote-layout.js';
import type { TickerRing } from '../rings/ticker-ring.js';
import type { InstrumentInfo } from './bootstrap.js';
import type { EngineConfig } from './config.js';
import { ASK, BID, type LiveQuotes, MAX_LEVELS, SIDE_SEND } from './live-quotes.js';
import type { LoopCounters } from './loop-report.js';
import type { Positions } from './positions.js';
import type { Protection } from './protection.js';
import { indicesByProduct } from './product-index.js';
import { SIDE_FAIL_HOLD } from './reply-failures.js';
import { RISK_OK, applyGreekLimits, checkQuote, type RiskInput } from './risk.js';
import type { PortfolioGreeks } from './portfolio-greeks.js';
import {
  GL_DELTA,
  GL_DELTA_LIMIT,
  GL_NET_DELTA,
  GL_NET_VEGA,
  GL_PENDING_DELTA_DOWN,
  GL_PENDING_DELTA_UP,
  GL_PENDING_VEGA_DOWN,
  GL_PENDING_VEGA_UP,
  GL_SLOTS,
  GL_VEGA,
  GL_VEGA_LIMIT,
  GL_LOT,
  GL_MIN_ORDER,
} from '../pricing/greek-limits.js';
import { GreekExposure, GX_DELTA_DOWN, GX_DELTA_UP, GX_SLOTS, GX_VEGA_DOWN, GX_VEGA_UP } from './greek-exposure.js';

/** The quote loop's per-instrument state that the planner reads (owned by the loop). */
export interface PlannerState {
  /** Newest candidate quote per instrument (QUOTE_FIELDS each). */
  cand: Float64Array;
  /** Per instrument: 1 = something to (re)consider. */
  pending: Uint8Array;
  lastTickMs: Float64Array;
  /** [i * 2 + side] refusals in a row (ReplyFailures.failCount). */
  failCount: Int32Array;
}

/**
 * Builds one mass_quote batch: per pending instrument, the risk-checked candidate levels (or a
 * pull), diffed against what is live. Remembers what the batch plans per instrument so that
 * instruments planned later in the same batch see it (exposure, product limits). All state is
 * typed arrays allocated here once: this runs on the hot path for every pending instrument.
 */
export class QuotePlanner {
  readonly batch = new QuoteBatch();
  readonly #cfg: EngineConfig;
  readonly #inst: readonly InstrumentInfo[];
  readonly #n: number;
  readonly #source: QuoteSource;
  readonly #rings: readonly TickerRing[];
  readonly #live: LiveQuotes;
  readonly #positions: Positions;
  readonly #protection: Protection;
  readonly #counters: LoopCounters;
  readonly #cand: Float64Array;
  readonly #pending: Uint8Array;
  readonly #lastTickMs: Float64Array;
  readonly #failCount: Int32Array;
  readonly #productIdx: Int32Array;
  /** Per product: its instruments' indices (a product's sums touch those only). */
  readonly #members: Int32Array[];
  /** Per instrument: min(risk.maxQuoteAmount, its product's protection quote_amount), both fixed by the config. */
  readonly #quoteCap: Float64Array;
  // Per product, this batch's sums (valid when #prodGen[p] === #gen), and what each instrument
  // adds to its product's bids and asks in them.
  readonly #prodGen: Float64Array;
  readonly #prodPos: Float64Array;
  readonly #prodBids: Float64Array;
  readonly #prodAsks: Float64Array;
  readonly #contribBid: Float64Array;
  readonly #contribAsk: Float64Array;
  readonly #priceThreshold: Float64Array;
  /** Per instrument, a selector's |delta| band (NaN: none). */
  readonly #bandLo: Float64Array;
  readonly #bandHi: Float64Array;
  // What the batch being built plans per instrument and side (valid when #planGen[i] === #gen).
  readonly #planGen: Float64Array;
  readonly #planBid: Float64Array;
  readonly #planAsk: Float64Array;
  #gen = 0;
  /** Σ of what this batch adds to the open exposure so far (reductions are not credited). */
  #batchExtra = 0;

  // Scratch.
  readonly #tick = new Float64Array(TICK_FIELDS);
  readonly #bp = new Float64Array(MAX_LEVELS);
  readonly #ba = new Float64Array(MAX_LEVELS);
  readonly #ap = new Float64Array(MAX_LEVELS);
  readonly #aa = new Float64Array(MAX_LEVELS);
  readonly #counts = new Int32Array(2);
  readonly #greeks: PortfolioGreeks;
  readonly #gl = new Float64Array(GL_SLOTS);
  readonly #greekLimits: boolean;
  readonly #exposure: GreekExposure;
  readonly #gx = new Float64Array(GX_SLOTS);
  /** Planned bid and ask amounts, handed over in an array (doubles as call arguments are boxed). */
  readonly #sides = new Float64Array(2);
  readonly #risk: RiskInput = { otherExposure: 0, position: 0, productPosition: 0, productBids: 0, productAsks: 0, mark: 0, index: 0, tickAgeMs: 0, quoteAmountCap: 0, volumeTick: 0, minOrderAmount: 0, tickSize: 1 };

  constructor(
    cfg: EngineConfig,
    inst: readonly InstrumentInfo[],
    source: QuoteSource,
    rings: readonly TickerRing[],
    live: LiveQuotes,
    positions: Positions,
    protection: Protection,
    counters: LoopCounters,
    greeks: PortfolioGreeks,
    state: PlannerState,
  ) {
    this.#greeks = greeks;
    this.#exposure = new GreekExposure(inst.length, live, greeks);
    this.#gl[GL_DELTA_LIMIT] = cfg.risk.maxNetDelta;
    this.#gl[GL_VEGA_LIMIT] = cfg.risk.maxNetVega;
    this.#greekLimits = cfg.risk.maxNetDelta > 0 || cfg.risk.maxNetVega > 0;
    this.#cfg = cfg;
    this.#inst = inst;
    this.#n = inst.length;
    this.#source = source;
    this.#rings = rings;
    this.#live = live;
    this.#positions = positions;
    this.#protection = protection;
    this.#counters = counters;
    this.#cand = state.cand;
    this.#pending = state.pending;
    this.#lastTickMs = state.lastTickMs;
    this.#failCount = state.failCount;
    const products = [...new Set(inst.map((i) => i.product))];
    this.#productIdx = Int32Array.from(inst.map((i) => products.indexOf(i.product)));
    const byProduct = indicesByProduct(inst.map((i) => i.product));
    this.#members = products.map((p) => Int32Array.from(byProduct.get(p)!));
    this.#quoteCap = Float64Array.from(inst.map((i) => Math.min(cfg.risk.maxQuoteAmount, (cfg.protection.products[i.product] ?? cfg.protection.default).quoteAmount)));
    this.#prodGen = new Float64Array(products.length).fill(-1);
    this.#prodPos = new Float64Array(products.length);
    this.#prodBids = new Float64Array(products.length);
    this.#prodAsks = new Float64Array(products.length);
    this.#contribBid = new Float64Array(this.#n);
    this.#contribAsk = new Float64Array(this.#n);
    this.#priceThreshold = Float64Array.from(inst.map((i) => cfg.quoting.requoteThresholdTicks * i.tickSize));
    this.#planGen = new Float64Array(this.#n);
    this.#bandLo = Float64Array.from(inst.map((x) => x.deltaBand?.[0] ?? Number.NaN));
    this.#bandHi = Float64Array.from(inst.map((x) => x.deltaBand?.[1] ?? Number.NaN));
    this.#planBid = new Float64Array(this.#n);
    this.#planAsk = new Float64Array(this.#n);
  }

  /** Starts a new batch: empty, and forgets what the previous one planned without clearing per instrument. */
  begin(): void {
    if (this.#greekLimits) this.#exposure.begin();
    this.batch.clear();
    this.#gen++;
    this.#batchExtra = 0;
  }

  /**
   * Decides what to send for instrument `i`: risk-checked candidate levels, or nothing (a pull)
   * when a check, the protection state or the pricer's health says so; only sides that differ
   * from what is live go into the batch (an unknown side always does, so a pull deletes it).
   * Clears the pending flag when the decision is final.
   */
  plan(i: number, nowMs: number): boolean {
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
      this.#rings[i]!.readLatest(this.#tick);
      // A selector's delta band: outside it the instrument is not quoted (pulled if live).
      const lo = this.#bandLo[i]!;
      let outOfBand = false;
      if (lo === lo) {
        const d = Math.abs(this.#tick[F_DELTA]!);
        if (!(d >= lo && d <= this.#bandHi[i]!)) {
          nb = 0;
          na = 0;
          outOfBand = true;
        }
      }
      // This tick's greeks for the net delta and vega limits (and its share of the open ones).
      if (this.#greekLimits) this.#greeks.refreshOne(i, this.#tick);
      const r = this.#risk;
      // What may be live elsewhere, plus what this batch already plans to add there.
      r.otherExposure = this.#live.totalExposure - this.#live.exposure(i) + this.#batchExtra;
      r.position = this.#positions.position(inst.name);
      this.#productTotals(i, r);
      r.mark = this.#tick[F_MARK_PRICE]!;
      r.index = this.#tick[F_INDEX]!;
      r.tickAgeMs = nowMs - this.#lastTickMs[i]!;
      r.quoteAmountCap = this.#quoteCap[i]!;
      r.volumeTick = inst.volumeTickSize;
      r.minOrderAmount = inst.minOrderAmount;
      r.tickSize = inst.tickSize;
      this.#counts[0] = nb;
      this.#counts[1] = na;
      const verdict = checkQuote(this.#cfg.risk, r, this.#bp, this.#ba, this.#ap, this.#aa, this.#counts);
      if (verdict === RISK_OK) {
        if (this.#greekLimits) {
          // Net delta and vega limits: the sides that add to a greek get only the room left.
          const g = this.#gl;
          g[GL_NET_DELTA] = this.#greeks.netDelta;
          g[GL_NET_VEGA] = this.#greeks.netVega;
          g[GL_DELTA] = this.#greeks.delta[i]!;
          g[GL_VEGA] = this.#greeks.vega[i]!;
          const x = this.#gx;
          this.#exposure.others(i, x);
          g[GL_PENDING_DELTA_UP] = x[GX_DELTA_UP]!;
          g[GL_PENDING_DELTA_DOWN] = x[GX_DELTA_DOWN]!;
          g[GL_PENDING_VEGA_UP] = x[GX_VEGA_UP]!;
          g[GL_PENDING_VEGA_DOWN] = x[GX_VEGA_DOWN]!;
          g[GL_LOT] = inst.volumeTickSize;
          g[GL_MIN_ORDER] = inst.minOrderAmount;
          applyGreekLimits(g, this.#ba, this.#aa, this.#counts);
        }
        nb = this.#counts[0]!;
        na = this.#counts[1]!;
      } else {
        nb = 0;
        na = 0;
        // Out of its selector's delta band is a choice, not a risk pull: not counted as one.
        if (!outOfBand) this.#counters.countPull(verdict);
      }
      // A side that keeps failing with the same error is held back (pulled) until a reconnect.
      if (this.#failCount[i * 2]! >= SIDE_FAIL_HOLD) nb = 0;
      if (this.#failCount[i * 2 + 1]! >= SIDE_FAIL_HOLD) na = 0;
    }
    const th = this.#priceThreshold[i]!;
    const sendBid = this.#live.diff(i, BID, this.#bp, this.#ba, nb, th) === SIDE_SEND;
    const sendAsk = this.#live.diff(i, ASK, this.#ap, this.#aa, na, th) === SIDE_SEND;
    // A pull (not quotable) stays pending until nothing of it may be live any more.
    if (canQuote || !this.#live.hasLive(i)) this.#pending[i] = 0;
    if (!sendBid && !sendAsk) return false;
    const batch = this.batch;
    const e = batch.add(i);
    if (sendBid) batch.setSide(e, BID, this.#bp, this.#ba, nb);
    if (sendAsk) batch.setSide(e, ASK, this.#ap, this.#aa, na);
    const bid = sendBid ? sum(this.#ba, nb) : this.#live.sideExposure(i, BID);
    const ask = sendAsk ? sum(this.#aa, na) : this.#live.sideExposure(i, ASK);
    this.#planGen[i] = this.#gen;
    this.#planBid[i] = bid;
    this.#planAsk[i] = ask;
    this.#planned(i);
    if (this.#greekLimits) {
      this.#sides[0] = bid;
      this.#sides[1] = ask;
      this.#exposure.plan(i, this.#sides);
    }
    const extra = bid + ask - this.#live.exposure(i);
    if (extra > 0) this.#batchExtra += extra;
    return true;
  }

  /**
   * The product's position, and the worst case of the bids and asks its OTHER instruments have
   * open: what may be live, or what this batch plans for them, whichever is larger (until the
   * frame is answered the venue may hold either). Per product, summed once per batch and kept up
   * to date as the batch plans (#planned): an option chain is one product, and summing it for
   * every instrument made a batch O(n²) (10 000 position lookups for 100 options); each sum walks
   * the product's own instruments only (with 100 products, a walk of all 100 per product was O(n²) again).
   */
  #productTotals(i: number, r: RiskInput): void {
    const p = this.#productIdx[i]!;
    if (this.#prodGen[p] !== this.#gen) this.#sumProduct(p);
    r.productPosition = this.#prodPos[p]!;
    r.productBids = this.#prodBids[p]! - this.#contribBid[i]!;
    r.productAsks = this.#prodAsks[p]! - this.#contribAsk[i]!;
  }

  #sumProduct(p: number): void {
    let pos = 0;
    let bids = 0;
    let asks = 0;
    const members = this.#members[p]!;
    for (let m = 0; m < members.length; m++) {
      const k = members[m]!;
      pos += this.#positions.position(this.#inst[k]!.name);
      let b = this.#live.sideExposure(k, BID);
      let a = this.#live.sideExposure(k, ASK);
      if (this.#planGen[k] === this.#gen) {
        if (this.#planBid[k]! > b) b = this.#planBid[k]!;
        if (this.#planAsk[k]! > a) a = this.#planAsk[k]!;
      }
      this.#contribBid[k] = b;
      this.#contribAsk[k] = a;
      bids += b;
      asks += a;
    }
    this.#prodGen[p] = this.#gen;
    this.#prodPos[p] = pos;
    this.#prodBids[p] = bids;
    this.#prodAsks[p] = asks;
  }

  /** Instrument `i` was just planned: its product's sums (if taken this batch) see the plan. */
  #planned(i: number): void {
    const p = this.#productIdx[i]!;
    if (this.#prodGen[p] !== this.#gen) return;
    let b = this.#live.sideExposure(i, BID);
    let a = this.#live.sideExposure(i, ASK);
    if (this.#planBid[i]! > b) b = this.#planBid[i]!;
    if (this.#planAsk[i]! > a) a = this.#planAsk[i]!;
    this.#prodBids[p] = this.#prodBids[p]! + b - this.#contribBid[i]!;
    this.#prodAsks[p] = this.#prodAsks[p]! + a - this.#contribAsk[i]!;
    this.#contribBid[i] = b;
    this.#contribAsk[i] = a;
  }
}

function sum(a: Float64Array, n: number): number {
  let s = 0;
  for (let l = 0; l < n; l++) s += a[l]!;
  return s;
}

import { performance } from 'node:perf_hooks';
import type { EventCounts } from './event-counts.js';
import { DISTRIBUTION_PERCENTILES, type MonitorSample } from './sample.js';
import type { MonitorSource } from './source.js';

/**
 * Takes one `MonitorSample` per interval from the source and keeps the most recent ones, so a
 * page that opens late still draws a few minutes of history.
 */
export class Sampler {
  readonly history: MonitorSample[] = [];
  readonly #source: MonitorSource;
  readonly #counts: EventCounts;
  readonly #keep: number;
  #last: MonitorSample | undefined;
  /** Monotonic time of #last: rates must not jump when the wall clock is stepped. */
  #lastMono = 0;

  constructor(source: MonitorSource, counts: EventCounts, keep: number) {
    this.#source = source;
    this.#counts = counts;
    this.#keep = keep;
  }

  get last(): MonitorSample | undefined {
    return this.#last;
  }

  take(): MonitorSample {
    const s = this.#source;
    const m = s.metrics();
    const now = Date.now();
    const mono = performance.now();
    const prev = this.#last;
    const seconds = prev === undefined ? 0 : (mono - this.#lastMono) / 1000;
    const errors = sum(m.sideErrors) + sum(m.requestErrors);
    const d = typeof s.latencyDistribution === 'function' ? s.latencyDistribution(DISTRIBUTION_PERCENTILES) : null;
    const rd = typeof s.latencyDistribution === 'function' ? s.latencyDistribution(DISTRIBUTION_PERCENTILES, 'recent') : null;
    const sample: MonitorSample = {
      t: now,
      // The live getters, not the snapshot's copies: the snapshot may lag a state change.
      state: s.state,
      reconnects: s.reconnects,
      latency: { quoteRtt: m.quoteRtt, cancelRtt: m.cancelRtt, tickToWire: m.tickToWire, pricing: m.pricing },
      distribution: d == null ? null : { percentiles: DISTRIBUTION_PERCENTILES, quoteRtt: d.quoteRtt, cancelRtt: d.cancelRtt, tickToWire: d.tickToWire, tickToReply: d.tickToReply, pricing: d.pricing },
      recentLatency: m.recent ?? null,
      recentDistribution: rd == null ? null : { percentiles: DISTRIBUTION_PERCENTILES, quoteRtt: rd.quoteRtt, cancelRtt: rd.cancelRtt, tickToWire: rd.tickToWire, tickToReply: rd.tickToReply, pricing: rd.pricing },
      quotesSent: m.quotesSent,
      cancelsSent: m.cancelsSent,
      ticks: m.ticks,
      lost: m.lost,
      quotesPerSec: prev === undefined || seconds <= 0 ? null : Math.max(0, m.quotesSent - prev.quotesSent) / seconds,
      errorsPerSec: prev === undefined || seconds <= 0 ? null : Math.max(0, errors - sum(prev.sideErrors) - sum(prev.requestErrors)) / seconds,
      sideErrors: { ...m.sideErrors },
      requestErrors: { ...m.requestErrors },
      riskPulls: { ...m.riskPulls },
      positions: s.positions(),
      protection: s.protectionStates(),
      fills: this.#counts.fills,
      protectionTrips: this.#counts.trips,
      book: typeof s.book === 'function' ? s.book() : null,
    };
    this.#last = sample;
    this.#lastMono = mono;
    this.history.push(sample);
    if (this.history.length > this.#keep) this.history.splice(0, this.history.length - this.#keep);
    return sample;
  }
}

function sum(r: Record<string, number>): number {
  let n = 0;
  for (const k in r) n += r[k]!;
  return n;
}

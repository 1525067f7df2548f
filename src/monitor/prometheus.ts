import { Counter, Gauge, Registry } from 'prom-client';
import type { EngineState } from '../engine/events.js';
import type { LatencyPercentiles } from '../engine/metrics-snapshot.js';
import type { EventCounts } from './event-counts.js';
import type { MonitorSample } from './sample.js';

const P = 'thalex_quoter_';

/** Every engine state, for the enum gauge (a Record so the compiler flags a missing one). */
const ENGINE_STATES: Record<EngineState, true> = {
  idle: true, connecting: true, bootstrapping: true, quoting: true, halted: true, reconnecting: true, stopping: true, stopped: true,
};
const PROTECTION_STATES = ['unset', 'arming', 'armed', 'cooling', 'disarmed'] as const;
const QUANTILES: ReadonlyArray<[string, keyof LatencyPercentiles]> = [['0.5', 'p50'], ['0.9', 'p90'], ['0.99', 'p99'], ['0.999', 'p999']];
const HISTOGRAMS = { quote_rtt: 'quoteRtt', cancel_rtt: 'cancelRtt', tick_to_wire: 'tickToWire', pricing: 'pricing' } as const;

/**
 * The Prometheus view of the monitor's samples, in a dedicated Registry (never prom-client's
 * global one: an embedding program may have its own, and two engines in one process must not
 * collide).
 *
 * Counters are fed the increase since the previous sample, because the engine's counts are
 * cumulative totals and prom-client counters only go up; a total that went backwards (a new
 * engine behind the same source) is taken as a reset and its new value counted.
 *
 * Latency percentiles are Gauges labelled {histogram, quantile}, not a Summary: the engine's HDR
 * histograms already computed exact percentiles, and a prom-client Summary would compute its own
 * quantiles from whatever it is fed (quantiles of percentile values, meaningless) and invent a
 * _sum it cannot know. Quantiles from different engines cannot be aggregated either way.
 */
export class MonitorMetrics {
  readonly registry = new Registry();
  readonly #quotes: Counter;
  readonly #cancels: Counter;
  readonly #ticks: Counter;
  readonly #lost: Counter;
  readonly #sidesFailed: Counter<'code'>;
  readonly #requestsFailed: Counter<'code'>;
  readonly #riskPulls: Counter<'reason'>;
  readonly #reconnects: Counter;
  readonly #fills: Counter<'instrument'>;
  readonly #trips: Counter<'product'>;
  readonly #position: Gauge<'instrument'>;
  readonly #state: Gauge<'state'>;
  readonly #protection: Gauge<'product' | 'state'>;
  readonly #latency: Gauge<'histogram' | 'quantile'>;
  readonly #latencyMax: Gauge<'histogram'>;
  readonly #latencyCount: Gauge<'histogram'>;
  readonly #sampleTime: Gauge;
  readonly #sampleErrors: Counter<'code'>;
  /** Last totals seen, per counter and label value, to turn totals into increments. */
  readonly #seen = new Map<string, number>();

  constructor() {
    const registers = [this.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> =>
      new Counter({ name: P + name, help, labelNames, registers });
    const gauge = <L extends string>(name: string, help: string, labelNames: L[] = []): Gauge<L> =>
      new Gauge({ name: P + name, help, labelNames, registers });
    this.#quotes = counter('quotes_sent_total', 'mass_quote requests sent');
    this.#cancels = counter('cancels_sent_total', 'cancel_mass_quote requests sent');
    this.#ticks = counter('ticks_total', 'Ticker updates received');
    this.#lost = counter('requests_lost_total', 'Hot requests that timed out or were lost to a disconnect');
    this.#sidesFailed = counter('sides_failed_total', 'Quote sides refused by the venue, by Thalex error code', ['code']);
    this.#requestsFailed = counter('requests_failed_total', 'Whole requests refused by the venue, by Thalex error code', ['code']);
    this.#riskPulls = counter('risk_pulls_total', 'Quotes pulled by a pre-trade risk check, by reason', ['reason']);
    this.#reconnects = counter('reconnects_total', 'Connections lost and re-established');
    this.#fills = counter('fills_total', 'Fills since the monitor started', ['instrument']);
    this.#trips = counter('protection_trips_total', 'Market-maker protection trips (moves into cooling or disarmed) since the monitor started', ['product']);
    this.#position = gauge('position', 'Position per instrument as the engine counts it', ['instrument']);
    this.#state = gauge('engine_state', 'Engine state: 1 for the current state, 0 for the others', ['state']);
    this.#protection = gauge('protection_state', 'Protection state per product: 1 for the current state, 0 for the others', ['product', 'state']);
    this.#latency = gauge('latency_seconds', 'Latency percentile from the engine HDR histogram', ['histogram', 'quantile']);
    this.#latencyMax = gauge('latency_max_seconds', 'Largest latency recorded by the engine HDR histogram', ['histogram']);
    this.#latencyCount = gauge('latency_samples', 'Values recorded in the engine HDR histogram', ['histogram']);
    this.#sampleTime = gauge('monitor_sample_timestamp_seconds', 'When the monitor last read the engine (staleness check)');
    this.#sampleErrors = counter('monitor_sample_errors_total', 'Monitor readings that failed because an engine getter threw, by error code', ['code']);
  }

  /** Applies one sample; the event counts come from `EventCounts` (already totals). */
  update(s: MonitorSample, counts: EventCounts): void {
    this.#add(this.#quotes, 'quotes', s.quotesSent);
    this.#add(this.#cancels, 'cancels', s.cancelsSent);
    this.#add(this.#ticks, 'ticks', s.ticks);
    this.#add(this.#lost, 'lost', s.lost);
    this.#add(this.#reconnects, 'reconnects', s.reconnects);
    this.#addLabelled(this.#sidesFailed, 'sides', 'code', Object.entries(s.sideErrors));
    this.#addLabelled(this.#requestsFailed, 'requests', 'code', Object.entries(s.requestErrors));
    this.#addLabelled(this.#riskPulls, 'risk', 'reason', Object.entries(s.riskPulls));
    this.#addLabelled(this.#fills, 'fills', 'instrument', counts.fillsByInstrument.entries());
    this.#addLabelled(this.#trips, 'trips', 'product', counts.tripsByProduct.entries());

    this.#position.reset();
    for (const [instrument, v] of Object.entries(s.positions)) this.#position.set({ instrument }, v);
    for (const state of Object.keys(ENGINE_STATES)) this.#state.set({ state }, state === s.state ? 1 : 0);
    this.#protection.reset();
    for (const [product, current] of Object.entries(s.protection)) {
      for (const state of PROTECTION_STATES) this.#protection.set({ product, state }, state === current ? 1 : 0);
      // A state this list does not know still shows up rather than vanishing.
      if (!(PROTECTION_STATES as readonly string[]).includes(current)) this.#protection.set({ product, state: current }, 1);
    }
    for (const [histogram, key] of Object.entries(HISTOGRAMS)) {
      const l = s.latency[key];
      for (const [quantile, field] of QUANTILES) this.#latency.set({ histogram, quantile }, l[field] / 1e6);
      this.#latencyMax.set({ histogram }, l.max / 1e6);
      this.#latencyCount.set({ histogram }, l.count);
    }
    this.#sampleTime.set(s.t / 1000);
  }

  sampleFailed(code: string): void {
    this.#sampleErrors.inc({ code });
  }

  #add(c: Counter, key: string, total: number): void {
    const prev = this.#seen.get(key) ?? 0;
    const inc = total >= prev ? total - prev : total;
    if (inc > 0) c.inc(inc);
    else if (!this.#seen.has(key)) c.inc(0); // expose the series at 0 from the first scrape
    this.#seen.set(key, total);
  }

  #addLabelled<L extends string>(c: Counter<L>, key: string, label: L, totals: Iterable<[string, number]>): void {
    for (const [value, total] of totals) {
      const k = `${key}\u0000${value}`;
      const prev = this.#seen.get(k) ?? 0;
      const inc = total >= prev ? total - prev : total;
      if (inc > 0 || !this.#seen.has(k)) c.inc({ [label]: value } as Partial<Record<L, string>>, inc);
      this.#seen.set(k, total);
    }
  }
}

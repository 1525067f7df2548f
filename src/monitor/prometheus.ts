import { Counter, Gauge, Registry } from 'prom-client';
import type { EngineState } from '../engine/events.js';
import type { EngineMetricsSnapshot, LatencyPercentiles } from '../engine/metrics-snapshot.js';
import { QuoterError } from '../errors.js';
import type { EventCounts } from './event-counts.js';
import type { MonitorSource } from './source.js';

const P = 'thalex_quoter_';

/** Every engine state, for the enum gauge (a Record so the compiler flags a missing one). */
const ENGINE_STATES: Record<EngineState, true> = {
  idle: true, connecting: true, bootstrapping: true, quoting: true, halted: true, reconnecting: true, stopping: true, stopped: true,
};
const PROTECTION_STATES = ['unset', 'arming', 'armed', 'cooling', 'disarmed'] as const;
const QUANTILES: ReadonlyArray<[string, keyof LatencyPercentiles]> = [['0.5', 'p50'], ['0.9', 'p90'], ['0.99', 'p99'], ['0.999', 'p999']];
const HISTOGRAMS = { quote_rtt: 'quoteRtt', cancel_rtt: 'cancelRtt', tick_to_wire: 'tickToWire', pricing: 'pricing' } as const;

/** One reading of the engine, shared by every collector of one scrape. */
interface Reading {
  m: EngineMetricsSnapshot;
  positions: Record<string, number>;
  protection: Record<string, string>;
}

/**
 * The Prometheus view of the engine, the way exporters do it: every value is read from the
 * engine when Prometheus scrapes (prom-client `collect()`), in a dedicated Registry (never
 * prom-client's global one: an embedding program may have its own, and two engines in one
 * process must not collide).
 *
 * Counters expose the engine's own totals, which only go up for the engine's life: nothing is
 * derived from deltas between readings, so there is nothing to guess about resets (a restarted
 * process starts from 0, which Prometheus's rate() handles).
 *
 * Latency is a summary per histogram: quantiles over the engine's recent window (the last
 * `thalex_quoter_latency_window_seconds` to twice that, from its HDR histograms), `_count` and
 * `_sum` since start, so `rate(_sum) / rate(_count)` is the mean over any range. It is a custom
 * collector because prom-client's Summary computes its own quantiles from observations it is fed;
 * the engine's HDR histograms have exact ones already.
 */
export class MonitorMetrics {
  readonly registry = new Registry();
  readonly #source: MonitorSource;
  readonly #counts: EventCounts;
  readonly #sampleErrors: Counter<'code'>;
  #reading: Reading | null | undefined;

  constructor(source: MonitorSource, counts: EventCounts) {
    this.#source = source;
    this.#counts = counts;
    const registers = [this.registry];
    const read = () => this.#read();
    const counter = <L extends string>(name: string, help: string, labelNames: L[], fill: (c: Counter<L>, r: Reading) => void): Counter<L> =>
      new Counter({
        name: P + name,
        help,
        labelNames,
        registers,
        collect() {
          const r = read();
          if (r === null) return; // the last values stay; the failure is counted
          this.reset();
          fill(this, r);
        },
      });
    const gauge = <L extends string>(name: string, help: string, labelNames: L[], fill: (g: Gauge<L>, r: Reading) => void): Gauge<L> =>
      new Gauge({
        name: P + name,
        help,
        labelNames,
        registers,
        collect() {
          const r = read();
          if (r === null) return;
          this.reset();
          fill(this, r);
        },
      });
    const total = (name: string, help: string, pick: (m: EngineMetricsSnapshot) => number) => counter(name, help, [], (c, r) => c.inc(pick(r.m)));
    const byLabel = <L extends string>(name: string, help: string, label: L, pick: (r: Reading) => Iterable<[string, number]>) =>
      counter(name, help, [label], (c, r) => {
        for (const [value, n] of pick(r)) c.inc({ [label]: value } as Record<L, string>, n);
      });

    total('quotes_sent_total', 'mass_quote requests sent', (m) => m.quotesSent);
    total('cancels_sent_total', 'cancel_mass_quote requests sent', (m) => m.cancelsSent);
    total('ticks_total', 'Ticker updates received', (m) => m.ticks);
    total('requests_lost_total', 'Hot requests that timed out or were lost to a disconnect', (m) => m.lost);
    total('reconnects_total', 'Connections lost and re-established', (m) => m.reconnects);
    byLabel('sides_failed_total', 'Quote sides refused by the venue, by Thalex error code', 'code', (r) => Object.entries(r.m.sideErrors));
    byLabel('requests_failed_total', 'Whole requests refused by the venue, by Thalex error code', 'code', (r) => Object.entries(r.m.requestErrors));
    byLabel('risk_pulls_total', 'Quotes pulled by a pre-trade risk check, by reason', 'reason', (r) => Object.entries(r.m.riskPulls));
    byLabel('fills_total', 'Fills since the monitor started', 'instrument', () => this.#counts.fillsByInstrument.entries());
    byLabel('protection_trips_total', 'Market-maker protection trips (moves into cooling or disarmed) since the monitor started', 'product', () => this.#counts.tripsByProduct.entries());
    this.#sampleErrors = new Counter({ name: `${P}monitor_sample_errors_total`, help: 'Readings of the engine that failed because a getter threw, by error code', labelNames: ['code'], registers });

    gauge('position', 'Position per instrument as the engine counts it', ['instrument'], (g, r) => {
      for (const [instrument, v] of Object.entries(r.positions)) g.set({ instrument }, v);
    });
    gauge('engine_state', 'Engine state: 1 for the current state, 0 for the others', ['state'], (g, r) => {
      for (const state of Object.keys(ENGINE_STATES)) g.set({ state }, state === r.m.state ? 1 : 0);
    });
    gauge('protection_state', 'Protection state per product: 1 for the current state, 0 for the others', ['product', 'state'], (g, r) => {
      for (const [product, current] of Object.entries(r.protection)) {
        for (const state of PROTECTION_STATES) g.set({ product, state }, state === current ? 1 : 0);
        // A state this list does not know still shows up rather than vanishing.
        if (!(PROTECTION_STATES as readonly string[]).includes(current)) g.set({ product, state: current }, 1);
      }
    });
    gauge('latency_window_seconds', 'Length of the recent window the latency quantiles cover (they cover this to twice this)', [], (g, r) => {
      if (r.m.recent !== undefined) g.set(r.m.recent.windowSeconds);
    });
    gauge('latency_max_seconds', 'Largest latency in the recent window', ['histogram'], (g, r) => {
      for (const [histogram, key] of Object.entries(HISTOGRAMS)) g.set({ histogram }, (r.m.recent ?? r.m)[key].max / 1e6);
    });

    const latencyName = `${P}latency_seconds`;
    const latencyHelp = 'Latency from the engine HDR histograms: quantiles over the recent window, _count and _sum since start';
    this.registry.registerMetric({
      name: latencyName,
      help: latencyHelp,
      type: 'summary',
      get: async () => {
        const r = read();
        const values: Array<{ metricName?: string; labels: Record<string, string>; value: number }> = [];
        if (r !== null) {
          for (const [histogram, key] of Object.entries(HISTOGRAMS)) {
            // Before the first connection there is no window yet: the quantiles since start (all 0).
            const window = (r.m.recent ?? r.m)[key];
            for (const [quantile, field] of QUANTILES) values.push({ labels: { histogram, quantile }, value: (window[field] as number) / 1e6 });
            const all = r.m[key];
            values.push({ metricName: `${latencyName}_sum`, labels: { histogram }, value: (all.sum ?? 0) / 1e6 });
            values.push({ metricName: `${latencyName}_count`, labels: { histogram }, value: all.count });
          }
        }
        return { name: latencyName, help: latencyHelp, type: 'summary', values, aggregator: 'sum' };
      },
    } as unknown as Counter);
  }

  /** The exposition text, every value read now. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** A reading the monitor's page sampler could not take (counted with the scrape's own failures). */
  sampleFailed(code: string): void {
    this.#sampleErrors.inc({ code });
  }

  /**
   * One reading per scrape: prom-client calls every collector in one synchronous pass, so the
   * reading is kept until the microtask queue runs, then dropped. Null when a getter threw.
   */
  #read(): Reading | null {
    if (this.#reading !== undefined) return this.#reading;
    try {
      this.#reading = { m: this.#source.metrics(), positions: this.#source.positions(), protection: this.#source.protectionStates() };
    } catch (e) {
      // A failing getter must not fail the scrape: the counter says so, the other values stay.
      this.#sampleErrors.inc({ code: e instanceof QuoterError ? e.code : 'unknown' });
      this.#reading = null;
    }
    queueMicrotask(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }
}

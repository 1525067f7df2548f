import { Engine } from '../../src/engine/engine.js';
import type { LatencyPercentiles } from '../../src/engine/metrics-snapshot.js';
import type { BenchClient, ClientPhaseOptions, Summary } from './client-protocol.js';
import { untilQuotedAndSettled } from './cancel-pacing.js';

/** The chain case's instruments: the README's worked example. */
export const CHAIN_SELECTOR = { underlying: 'BTCUSD', types: ['option' as const], expiries: { next: 2 }, moneyness: [0.8, 1.2] as [number, number] };

const summary = (p: LatencyPercentiles | undefined): Summary => ({ ...(p ?? { count: 0, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, p999: Number.NaN, max: Number.NaN }), mean: Number.NaN });

/** The engine as a user configures it for this job, measured by its own HDR histograms. */
export class EngineBenchClient implements BenchClient {
  readonly #engine: Engine;

  constructor(o: ClientPhaseOptions) {
    const mode = o.kind === 'engine-workers' ? 'workers' : 'inline';
    const workers = o.workers ?? 1;
    this.#engine = new Engine({
      url: o.url,
      credentials: { keyId: o.keyId, privateKeyPem: o.privateKeyPem },
      // The chain: the README's worked example (front two expiries, ±20 % moneyness).
      instruments: o.chain === true ? [CHAIN_SELECTOR] : o.instruments,
      // size 0.1: a whole lot on every instrument (BTC 0.001, ETH 0.01, synthetic 0.1).
      pricing:
        o.chain === true
          ? { mode, workers, pricer: 'options', params: { widthVol: 4, minWidthTicks: 2, vegaSize: 20, optionMaxSize: 0.5 } }
          : o.pricerUs !== undefined && o.pricerUs > 0
            ? { mode, pricerModule: new URL('./heavy-pricer.js', import.meta.url).href, params: { '0': o.pricerUs, '1': 0.1 } }
            : { mode, workers, params: { spreadBps: 20, size: 0.1 } },
      protection: { default: { tradeAmount: 1000, quoteAmount: 1000 }, maxTrips: 1000 },
      risk: { maxPosition: 1e6, maxProductPosition: 1e6, maxQuoteAmount: 1000, maxOpenExposure: 1e6, ...(o.chain === true ? { priceBand: 1, priceBandTicks: 1000 } : {}) },
      quoting: { maxInFlight: 16, busyPoll: o.kind === 'engine-inline-busypoll' },
    });
    this.#engine.on('engineError', () => {});
  }

  async start(): Promise<void> {
    await this.#engine.start();
  }

  resetMetrics(): void {
    this.#engine.resetMetrics();
  }

  snapshot() {
    const m = this.#engine.metrics() as ReturnType<Engine['metrics']> & { tickToReply?: LatencyPercentiles };
    return { quoteRtt: summary(m.quoteRtt), tickToWire: summary(m.tickToWire), tickToReply: m.tickToReply !== undefined ? summary(m.tickToReply) : undefined, quotes: m.quotesSent, ticks: m.ticks };
  }

  async cancels(n: number): Promise<Summary> {
    for (let k = 0; k < n; k++) {
      await this.#engine.kill();
      const sent = this.#engine.quotesSent;
      this.#engine.resume(); // re-arms protection first: cancel_mass_quote reset the groups
      // A counter, as the other clients poll theirs: metrics() reads every histogram.
      await untilQuotedAndSettled(() => this.#engine.quotesSent, sent);
    }
    return summary(this.#engine.metrics().cancelRtt);
  }

  async stop(): Promise<void> {
    await this.#engine.stop();
  }
}

import { EventEmitter } from 'node:events';
import type { EngineEvents, EngineState } from '../../src/engine/events.js';
import type { EngineMetricsSnapshot, LatencyDistribution, LatencyPercentiles } from '../../src/engine/metrics-snapshot.js';
import type { BookRow, MonitorSource } from '../../src/monitor/source.js';

/**
 * A MonitorSource with numbers that move: every `metrics()` call (the monitor makes one per
 * interval) advances the counters, latencies, positions and book by one step, so two pushes
 * always differ. Deterministic (no randomness), so a failure replays.
 */
export class FakeSource extends EventEmitter<EngineEvents> implements MonitorSource {
  state: EngineState = 'quoting';
  reconnects = 0;
  step = 0;
  killCalls = 0;
  resumeCalls = 0;
  withBook = true;
  failMetrics = false;
  /** metrics() calls refused while `failMetrics` was set. */
  failedMetricsCalls = 0;
  readonly instruments = ['BTC-PERPETUAL', 'ETH-PERPETUAL'];

  metrics(): EngineMetricsSnapshot {
    if (this.failMetrics) {
      this.failedMetricsCalls++;
      throw new Error('metrics getter broke');
    }
    const n = ++this.step;
    const b = bases(n);
    return {
      state: this.state,
      reconnects: this.reconnects,
      quoteRtt: pct(n, b.quoteRtt),
      cancelRtt: pct(n, b.cancelRtt),
      tickToWire: pct(n, b.tickToWire),
      tickToReply: pct(n, b.quoteRtt + b.tickToWire),
      pricing: pct(n, b.pricing),
      // The recent window: the same shape, a tenth of the samples, a tail twice as long.
      recent: {
        windowSeconds: 30,
        quoteRtt: recentPct(n, b.quoteRtt),
        cancelRtt: recentPct(n, b.cancelRtt),
        tickToWire: recentPct(n, b.tickToWire),
        tickToReply: recentPct(n, b.quoteRtt + b.tickToWire),
        pricing: recentPct(n, b.pricing),
      },
      quotesSent: 250 * n,
      cancelsSent: n,
      ticks: 500 * n,
      sideErrors: { '15': n, '44': Math.floor(n / 2) },
      requestErrors: { '4': Math.floor(n / 3) },
      riskPulls: { stale: n },
      lost: 0,
      staleDropped: 0,
      backpressured: 0,
      badTicks: 0,
      requests: { registered: 0, answered: 0, errorReplies: 0, timedOut: 0, disconnected: 0, withdrawn: 0, inFlight: 0 },
    };
  }

  positions(): Record<string, number> {
    return { 'BTC-PERPETUAL': (this.step % 5) * 0.1, 'ETH-PERPETUAL': -(this.step % 3) };
  }

  protectionStates(): Record<string, string> {
    return { BTC: this.step % 4 === 0 ? 'cooling' : 'armed', ETH: 'armed' };
  }

  async kill(): Promise<void> {
    this.killCalls++;
    this.state = 'halted';
  }

  resume(): void {
    this.resumeCalls++;
    this.state = 'quoting';
  }

  /** A distribution shaped like a latency's (a long tail), moving with the same step as metrics(); the recent window's max is twice as high. */
  latencyDistribution(percentiles: readonly number[], window: 'total' | 'recent' = 'total'): LatencyDistribution {
    const b = bases(this.step);
    const k = window === 'recent' ? 2 : 1;
    const at = (base: number) => percentiles.map((p) => base * (p >= 100 ? 12 * k : Math.min(12, (1 / (1 - p / 100)) ** 0.3)));
    return { quoteRtt: at(b.quoteRtt), cancelRtt: at(b.cancelRtt), tickToWire: at(b.tickToWire), tickToReply: at(b.quoteRtt + b.tickToWire), pricing: at(b.pricing) };
  }

  book(): BookRow[] {
    if (!this.withBook) return [];
    const s = this.step;
    return [
      { instrument: 'BTC-PERPETUAL', marketBid: 65000 + s, marketAsk: 65010 + s, ourBid: 64995 + s, ourAsk: 65015 + s },
      { instrument: 'ETH-PERPETUAL', marketBid: 3400 + s / 10, marketAsk: 3401 + s / 10, ourBid: null, ourAsk: 3402 + s / 10 },
    ];
  }
}

function bases(n: number): Record<'quoteRtt' | 'cancelRtt' | 'tickToWire' | 'pricing', number> {
  return { quoteRtt: 40 + (n % 7) * 3, cancelRtt: 50 + (n % 5) * 2, tickToWire: 8 + (n % 4), pricing: 1 + (n % 3) };
}

function pct(n: number, base: number): LatencyPercentiles {
  return { count: 1000 * n, p50: base, p90: base * 1.5, p99: base * 3, p999: base * 6, max: base * 12, sum: 1000 * n * base * 1.25 };
}

function recentPct(n: number, base: number): LatencyPercentiles {
  return { count: 100, p50: base, p90: base * 2, p99: base * 6, p999: base * 12, max: base * 24, sum: 100 * base * 1.5 };
}

/** A source with only the required members: no `book()`, no `latencyDistribution()`. */
export function withoutBook(source: FakeSource): MonitorSource {
  return {
    get state() {
      return source.state;
    },
    get reconnects() {
      return source.reconnects;
    },
    metrics: () => source.metrics(),
    positions: () => source.positions(),
    protectionStates: () => source.protectionStates(),
    kill: () => source.kill(),
    resume: () => source.resume(),
    on: (e, l) => source.on(e, l as never),
    off: (e, l) => source.off(e, l as never),
  };
}

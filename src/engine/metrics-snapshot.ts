import type { RpcOutcomes } from '../rpc/session.js';
import type { EngineState } from './events.js';

/** Latency percentiles in microseconds. */
export interface LatencyPercentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /**
   * Σ of every value recorded (µs; the HDR histogram's mean × count, within its 0.1 %): with
   * `count`, what a Prometheus summary's `_sum`/`_count` need. Absent where not known.
   */
  sum?: number;
}

/** The four latencies over the recent window: the last `windowSeconds` to twice that. */
export interface RecentLatency {
  windowSeconds: number;
  quoteRtt: LatencyPercentiles;
  cancelRtt: LatencyPercentiles;
  tickToWire: LatencyPercentiles;
  tickToReply: LatencyPercentiles;
  pricing: LatencyPercentiles;
}

/**
 * Each histogram's value (µs, since start or the last reset) at the percentiles asked for, in the
 * same order: what `engine.latencyDistribution()` returns, for the monitor's percentile chart.
 */
export interface LatencyDistribution {
  quoteRtt: number[];
  cancelRtt: number[];
  tickToWire: number[];
  tickToReply: number[];
  pricing: number[];
}

/** What `engine.metrics()` returns: read once per interval by the monitor, the CLI status line, benchmarks. */
export interface EngineMetricsSnapshot {
  state: EngineState;
  reconnects: number;
  /** Just before the send call → the socket read that brought the reply. */
  quoteRtt: LatencyPercentiles;
  cancelRtt: LatencyPercentiles;
  /**
   * Age of the newest tick behind a quote when its frame is handed to the kernel: the socket read
   * that brought the tick → just before the send call.
   */
  tickToWire: LatencyPercentiles;
  /** The socket read that brought the newest tick behind a quote → the read that brought its reply. */
  tickToReply: LatencyPercentiles;
  /** Pricing time (worker or inline). */
  pricing: LatencyPercentiles;
  /**
   * The same latencies over the recent window (the four above are since start): what live views
   * and Prometheus quantiles show. Absent before the first connection and after `stop()`.
   */
  recent?: RecentLatency;
  quotesSent: number;
  cancelsSent: number;
  ticks: number;
  /** Sides the venue refused, by Thalex error code. */
  sideErrors: Record<string, number>;
  /** Whole requests the venue refused, by Thalex error code (e.g. 4 ThrottleExceeded). */
  requestErrors: Record<string, number>;
  /** Quotes pulled by a risk check, by reason. */
  riskPulls: Record<string, number>;
  /**
   * Net delta (Σ position × ticker delta, contracts of the underlying) and net vega (Σ position ×
   * Black-76 vega, USD per vol point) of the quoted instruments, as the options pricer and the
   * net greek limits last saw them. Absent before the first session.
   */
  netGreeks?: { delta: number; vega: number };
  /** Hot requests that timed out or were lost to a disconnect. */
  lost: number;
  /**
   * Messages per second the session's budget allows now: 0.9 × the granted message_rate, halved
   * by a ThrottleExceeded refusal (of a quote or a protection request) and recovering over 5 s.
   * Absent before the first session.
   */
  sendRate?: number;
  /** Quotes dropped because they were priced from an older tick than one already sent. */
  staleDropped: number;
  /** Sends held back because the socket was backpressured (bytes still queued in user space). */
  backpressured: number;
  /** Ticker frames that could not be decoded (malformed, unknown instrument): ignored, counted. */
  badTicks: number;
  /**
   * Every request's fate, cold and hot, since the engine was made:
   * `registered = answered + timedOut + disconnected + withdrawn + inFlight`.
   */
  requests: RequestOutcomes;
}

/** `RpcOutcomes` (rpc/session.ts) and the requests still in flight. */
export interface RequestOutcomes extends RpcOutcomes {
  inFlight: number;
}

import type { LatencySummary } from '../lib/types.js';

/**
 * The clients the e2e suite compares, each run in a process of its own against a simulator
 * process of its own:
 * - `ideal`: the limit for any client of this venue on this machine (ideal-client.ts);
 * - `ws`: a typical hand-rolled client, `ws` + JSON (ws-client.ts);
 * - `engine-*`: the engine, pricing inline or in workers, optionally busy-polling its socket.
 */
export const CLIENT_KINDS = ['ideal', 'ws', 'engine-inline', 'engine-workers'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number] | 'engine-inline-busypoll';

export interface ClientPhaseOptions {
  kind: ClientKind;
  url: string;
  keyId: string;
  privateKeyPem: string;
  instruments: string[];
  warmupSec: number;
  durationSec: number;
  /** cancel_mass_quote round trips after the quoting window. */
  cancels: number;
  /** Quote the simulator's option chain (engine clients only): `instruments` is then ignored. */
  chain?: boolean;
  /** Pricing workers (engine-workers). Default 1. */
  workers?: number;
  /** Engine clients: µs of CPU the pricer burns per call (the heavy-pricer case); 0 or absent: the default pricer. */
  pricerUs?: number;
}

/** Percentiles in µs, with the sample count. */
export type Summary = LatencySummary;

export interface ClientResult {
  /** Just before the send call → reply read. */
  quoteRtt: Summary;
  /** Reading of the chunk that held the newest tick behind a quote → just before the quote's send call. */
  tickToWire: Summary;
  /** Same tick → the quote's reply read. */
  tickToReply: Summary | undefined;
  cancelRtt: Summary;
  quotes: number;
  ticks: number;
  /** This process's CPU time (user + system) over the window, per quote sent. */
  cpuUsPerQuote: number;
  youngGcs: number;
  oldGcs: number;
  /** Mark-compacts in the window, and in the process before it (start-up and warm-up). */
  markCompacts: number;
  markCompactsBefore: number;
  externalMbStart: number;
  externalMbEnd: number;
  /** V8 heap in use (process.memoryUsage().heapUsed) at the window's start and end. */
  heapMbStart: number;
  heapMbEnd: number;
}

/** Child → parent. `measure`/`measured` bracket the window; the parent answers each with `go`. */
export type ClientMessage = { t: 'measure' } | { t: 'measured' } | { t: 'result'; result: ClientResult } | { t: 'error'; message: string };
export type ParentMessage = { t: 'go' };

/** What one client implementation provides to the driver in client-main.ts. */
export interface BenchClient {
  /** Connected, logged in, subscribed and quoting. */
  start(): Promise<void>;
  /** Discards everything recorded so far (end of the warm-up). */
  resetMetrics(): void;
  snapshot(): Pick<ClientResult, 'quoteRtt' | 'tickToWire' | 'tickToReply' | 'quotes' | 'ticks'>;
  /** `n` cancel_mass_quote round trips, each followed by re-arming and the next quote. */
  cancels(n: number): Promise<Summary>;
  stop(): Promise<void>;
}

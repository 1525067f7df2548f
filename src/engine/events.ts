import type { QuoterError } from '../errors.js';
import type { BootstrapStep } from './bootstrap.js';

export type EngineState =
  /** Constructed, not started. */
  | 'idle'
  /** Opening the socket. */
  | 'connecting'
  /** Walking the bootstrap sequence; no quote may be sent. */
  | 'bootstrapping'
  /** Quoting. */
  | 'quoting'
  /** Kill switch engaged: quotes cancelled, nothing sent until `resume()`. */
  | 'halted'
  /** Connection lost; waiting out the backoff before the next attempt. */
  | 'reconnecting'
  /** `stop()` in progress: cancelling all quotes. */
  | 'stopping'
  | 'stopped';

export interface StateChange {
  readonly state: EngineState;
  readonly previous: EngineState;
  /** Bootstrap step, or the reason for a reconnect. */
  readonly detail?: string | BootstrapStep;
}

export interface FillEvent {
  readonly instrument: string;
  readonly direction: 'buy' | 'sell';
  readonly price: number;
  readonly amount: number;
  readonly tradeId: string;
  readonly orderId: string;
  readonly time: number;
  /** Position in the instrument after this fill, as the engine counts it. */
  readonly position: number;
}

export interface ProtectionEvent {
  readonly product: string;
  /** The protection state the product is in now (see engine/protection.ts). */
  readonly state: 'unset' | 'arming' | 'armed' | 'cooling' | 'disarmed';
  /** `refill`, `executions`, `client_cancel`, `session_end`, `failover` (spec). */
  readonly reason: string;
  readonly remainingAmount: number;
}

export interface QuoteErrorEvent {
  readonly instrument: string;
  readonly side: string;
  /** Thalex error code (e.g. 15 price not aligned, 43 collar, 44 above protection quote size). */
  readonly code: number;
  readonly message: string;
}

/** Event map of `Engine` (typed node:events). */
export interface EngineEvents {
  state: [StateChange];
  fill: [FillEvent];
  protection: [ProtectionEvent];
  quoteError: [QuoteErrorEvent];
  /** `config.instruments` resolved at a bootstrap to a set other than the last one. */
  instruments: [{ readonly instruments: readonly string[] }];
  /**
   * Something went wrong that the engine handles itself (a reconnect, a refused request).
   * Named `engineError`, not `error`: node:events throws on an unheard `error`, which would let
   * a recoverable fault crash the embedding program.
   */
  engineError: [QuoterError];
}

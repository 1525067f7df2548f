import { EngineArgumentError } from './errors.js';

/**
 * Reconnect delays: exponential with "equal jitter" (half fixed, half random), so a fleet of
 * engines dropped by the same venue restart does not reconnect in lockstep, and no attempt
 * waits less than half its nominal delay.
 */
export interface BackoffOptions {
  /** First delay. Default 100 ms. */
  initialMs?: number;
  /** Cap. Default 10 000 ms. */
  maxMs?: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
  /** Uniform [0, 1) source; injectable for tests. Default Math.random. */
  random?: () => number;
}

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 100;
    this.#maxMs = options.maxMs ?? 10_000;
    this.#factor = options.factor ?? 2;
    this.#random = options.random ?? Math.random;
    if (!(this.#initialMs > 0 && this.#maxMs >= this.#initialMs && this.#factor >= 1)) {
      throw new EngineArgumentError('backoff: need 0 < initialMs <= maxMs and factor >= 1');
    }
  }

  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const nominal = Math.min(this.#maxMs, this.#initialMs * this.#factor ** this.#attempt);
    this.#attempt++;
    return nominal / 2 + (nominal / 2) * this.#random();
  }

  /** A connection got through the whole bootstrap: start again from the initial delay. */
  reset(): void {
    this.#attempt = 0;
  }
}

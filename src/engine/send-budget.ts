import { EngineArgumentError } from './errors.js';

/**
 * The session's message budget: a token bucket refilled at the rate the venue granted
 * (`message_rate` from `private/set_cancel_on_disconnect`, thalex-protocol.md §9), scaled by a
 * safety fraction. On a throttle error (code 4 ThrottleExceeded) the rate is halved and then
 * recovers linearly, so a throttled engine backs off instead of hammering the venue.
 * Numbers only: `tryTake` is on the quote path and allocates nothing.
 */
export interface SendBudgetOptions {
  /** Messages per second granted by the venue. */
  messageRate: number;
  /** Fraction of the granted rate we allow ourselves. Default 0.9. */
  fraction?: number;
  /** Bucket depth in seconds of rate. Default 1. */
  burstSeconds?: number;
  /** Seconds to recover from a halving back to the full rate. Default 5. */
  recoverySeconds?: number;
}

export class SendBudget {
  readonly #fullRate: number;
  readonly #burstSeconds: number;
  readonly #recoveryPerMs: number;
  #rate: number;
  #tokens: number;
  #lastMs: number;
  /** Tokens set aside for protection arming: quotes leave them (see reserve). */
  #reserved = 0;

  constructor(options: SendBudgetOptions, nowMs: number) {
    const { messageRate } = options;
    if (!(Number.isFinite(messageRate) && messageRate > 0)) {
      throw new EngineArgumentError(`send budget: message rate must be a positive number, got ${messageRate}`);
    }
    this.#fullRate = messageRate * (options.fraction ?? 0.9);
    this.#burstSeconds = options.burstSeconds ?? 1;
    this.#recoveryPerMs = this.#fullRate / 2 / ((options.recoverySeconds ?? 5) * 1000);
    this.#rate = this.#fullRate;
    this.#tokens = this.#capacity();
    this.#lastMs = nowMs;
  }

  /** Messages per second currently allowed. */
  get rate(): number {
    return this.#rate;
  }

  get tokens(): number {
    return this.#tokens;
  }

  /** Takes one message for a quote if there is one beyond the reserved ones. */
  tryTake(nowMs: number): boolean {
    this.#refill(nowMs);
    if (this.#tokens < 1 + this.#reserved) return false;
    this.#tokens -= 1;
    return true;
  }

  /**
   * Sets aside the next `n` tokens for requests that go before quotes: re-arming market maker
   * protection (a product without it cannot quote at all, so its arming must not queue behind
   * other products' requotes, which would otherwise take every token as it refills). Replaces the
   * previous reservation; 0 ends it.
   */
  reserve(n: number): void {
    this.#reserved = n > 0 ? n : 0;
  }

  get reserved(): number {
    return this.#reserved;
  }

  /** Takes one message for a reserved request (one reservation with it) if there is one. */
  tryTakeReserved(nowMs: number): boolean {
    this.#refill(nowMs);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    if (this.#reserved > 0) this.#reserved--;
    return true;
  }

  /**
   * Counts `n` messages that go out whatever the budget holds (a cancel, the bootstrap's
   * requests): the bucket may go into debt, down to one bucket's depth, and quotes wait it out.
   */
  spend(nowMs: number, n = 1): void {
    this.#refill(nowMs);
    this.#tokens = Math.max(-this.#capacity(), this.#tokens - n);
  }

  /** Milliseconds until a quote may take a message (0 if now), reserved ones left aside. */
  waitMs(nowMs: number): number {
    this.#refill(nowMs);
    const need = 1 + this.#reserved;
    return this.#tokens >= need ? 0 : ((need - this.#tokens) / this.#rate) * 1000;
  }

  /** The venue answered ThrottleExceeded: halve the rate and empty the bucket. */
  onThrottled(nowMs: number): void {
    this.#refill(nowMs);
    this.#rate = Math.max(this.#fullRate / 16, this.#rate / 2);
    this.#tokens = 0;
  }

  #capacity(): number {
    return Math.max(1, this.#rate * this.#burstSeconds);
  }

  #refill(nowMs: number): void {
    const dt = nowMs - this.#lastMs;
    if (dt <= 0) return;
    this.#lastMs = nowMs;
    if (this.#rate < this.#fullRate) {
      this.#rate = Math.min(this.#fullRate, this.#rate + this.#recoveryPerMs * dt);
    }
    this.#tokens = Math.min(this.#capacity(), this.#tokens + (this.#rate * dt) / 1000);
  }
}

/**
 * Market-maker protection per product group, as a state machine.
 *
 *   unset ──arm()──► arming ──ack──► armed ──trip──► cooling ──cool-down over──► arming …
 *                                      ▲                 │ too many trips in the window
 *                                      │                 ▼
 *                          refill ─────┘              disarmed ──enable() (a human)──► unset
 *
 * A trip is `session.mm_protection` with `remaining_amount ≤ 0` (the venue has pulled the
 * product's quotes, spec §6) or a quote deleted with `delete_reason: mm_protection`.
 * `cancel_mass_quote` and the end of a session reset the venue's groups (spec: "market maker
 * protection groups are reset and must be re-initialised"), so those put the group back to
 * `unset`: quoting after them always re-arms first. A `cooling` (or `disarmed`) group stays so
 * through them: a drop, a reconnect or kill/resume must not cut a cool-down short. Quotes are
 * allowed in `armed` only.
 */
export type ProtectionState = 'unset' | 'arming' | 'armed' | 'cooling' | 'disarmed';

export interface ProtectionOptions {
  /** Wait after a trip before re-arming. Default 5 000 ms. */
  cooldownMs?: number;
  /** More trips than this within `tripWindowMs` disarm the product. Default 3. */
  maxTrips?: number;
  /** Default 60 000 ms. */
  tripWindowMs?: number;
}

export interface ProtectionTransition {
  readonly product: string;
  readonly from: ProtectionState;
  readonly to: ProtectionState;
  readonly reason: string;
  readonly remainingAmount: number;
}

interface Group {
  readonly product: string;
  state: ProtectionState;
  remaining: number;
  coolUntil: number;
  trips: number[];
  /** Failed arming requests in a row, and when the next one may go (0: now). */
  armFailures: number;
  retryAt: number;
}

/**
 * Back-off of a product whose `set_mm_protection` failed: 100 ms, doubling, at most 5 s. Without
 * it, a product the venue keeps refusing was due again on every 20 ms pass and took the message
 * budget's tokens, and (arming goes before quotes) every other product waited behind it.
 */
const ARM_RETRY_FIRST_MS = 100;
const ARM_RETRY_MAX_MS = 5_000;

export class Protection {
  readonly #groups = new Map<string, Group>();
  /** The same groups as a list: housekeeping walks it every 20 ms, and a Map's entries allocate. */
  readonly #list: Group[] = [];
  readonly #cooldownMs: number;
  readonly #maxTrips: number;
  readonly #windowMs: number;
  readonly #onTransition: (t: ProtectionTransition) => void;

  constructor(options: ProtectionOptions, onTransition: (t: ProtectionTransition) => void) {
    this.#cooldownMs = options.cooldownMs ?? 5_000;
    this.#maxTrips = options.maxTrips ?? 3;
    this.#windowMs = options.tripWindowMs ?? 60_000;
    this.#onTransition = onTransition;
  }

  state(product: string): ProtectionState {
    return this.#groups.get(product)?.state ?? 'unset';
  }

  remaining(product: string): number {
    return this.#groups.get(product)?.remaining ?? 0;
  }

  canQuote(product: string): boolean {
    return this.#groups.get(product)?.state === 'armed';
  }

  products(): string[] {
    return [...this.#groups.keys()];
  }

  /** `set_mm_protection` is about to be sent for this product. */
  arming(product: string): void {
    this.#move(product, 'arming', 'set_mm_protection sent', this.#group(product).remaining);
  }

  /** `set_mm_protection` was acknowledged: the group holds `tradeAmount`. */
  armed(product: string, tradeAmount: number): void {
    const g = this.#group(product);
    if (g.state === 'disarmed') return; // a late ack does not override a human decision
    g.armFailures = 0;
    g.retryAt = 0;
    this.#move(product, 'armed', 'refill', tradeAmount);
  }

  /** `set_mm_protection` failed: back to unset; due again after a back-off (ARM_RETRY_FIRST_MS…). */
  armFailed(product: string, reason: string, nowMs: number): void {
    const g = this.#group(product);
    if (g.state !== 'arming') return;
    g.armFailures++;
    g.retryAt = nowMs + Math.min(ARM_RETRY_MAX_MS, ARM_RETRY_FIRST_MS * 2 ** (g.armFailures - 1));
    this.#move(product, 'unset', reason, 0);
  }

  /** A `session.mm_protection` notification line. */
  onNotification(product: string, remainingAmount: number, reason: string, nowMs: number): void {
    const g = this.#group(product);
    if (reason === 'refill') {
      // Our own arming is the only refill we expect; none ends a cool-down early.
      if (g.state !== 'disarmed' && g.state !== 'cooling') this.#move(product, 'armed', reason, remainingAmount);
      return;
    }
    if (reason === 'executions') {
      if (remainingAmount <= 0) this.#trip(product, reason, remainingAmount, nowMs);
      else g.remaining = remainingAmount;
      return;
    }
    // client_cancel, session_end, failover: the venue dropped the group.
    if (!this.#holds(g)) this.#move(product, 'unset', reason, remainingAmount);
  }

  /** An order of this product deleted with `delete_reason: mm_protection`. */
  onQuoteDeletedByProtection(product: string, nowMs: number): void {
    const g = this.#group(product);
    if (g.state === 'armed' || g.state === 'arming') this.#trip(product, 'mm_protection delete', g.remaining, nowMs);
  }

  /** Our own `cancel_mass_quote` (all products, or one): groups are reset at the venue. */
  onCancelAll(product?: string): void {
    for (const [p, g] of this.#groups) {
      if ((product === undefined || p === product) && !this.#holds(g)) this.#move(p, 'unset', 'client_cancel', 0);
    }
  }

  /** The connection is gone: the venue reset every group of the session. */
  onSessionEnd(): void {
    for (const [p, g] of this.#groups) {
      if (!this.#holds(g) && g.state !== 'unset') this.#move(p, 'unset', 'session_end', 0);
    }
  }

  /**
   * May `set_mm_protection` be sent for this product now (e.g. by a new session's bootstrap)?
   * Not while it cools down, nor once disarmed.
   */
  mayArm(product: string, nowMs: number): boolean {
    const g = this.#groups.get(product);
    if (g === undefined) return true;
    if (g.state === 'disarmed') return false;
    return g.state !== 'cooling' || nowMs >= g.coolUntil;
  }

  /** A venue-side reset (cancel, session end) leaves a cooling or disarmed group as it is. */
  #holds(g: Group): boolean {
    return g.state === 'cooling' || g.state === 'disarmed';
  }

  /**
   * Products that need a `set_mm_protection` now: unset ones past their back-off, and those
   * whose cool-down is over.
   */
  due(nowMs: number, out: string[]): string[] {
    out.length = 0;
    for (let k = 0; k < this.#list.length; k++) {
      const g = this.#list[k]!;
      if ((g.state === 'unset' && nowMs >= g.retryAt) || (g.state === 'cooling' && nowMs >= g.coolUntil)) out.push(g.product);
    }
    return out;
  }

  /** Declares a product the engine quotes (starts `unset`). */
  track(product: string): void {
    this.#group(product);
  }

  /** A human re-enables a disarmed product; it re-arms on the next pass. */
  enable(product: string): void {
    const g = this.#group(product);
    if (g.state !== 'disarmed') return;
    g.trips.length = 0;
    this.#move(product, 'unset', 'enabled by operator', 0);
  }

  #trip(product: string, reason: string, remaining: number, nowMs: number): void {
    const g = this.#group(product);
    if (g.state === 'cooling' || g.state === 'disarmed') return;
    g.trips.push(nowMs);
    while (g.trips.length > 0 && g.trips[0]! <= nowMs - this.#windowMs) g.trips.splice(0, 1);
    if (g.trips.length > this.#maxTrips) {
      this.#move(product, 'disarmed', `${g.trips.length} trips within ${this.#windowMs} ms (${reason})`, remaining);
      return;
    }
    g.coolUntil = nowMs + this.#cooldownMs;
    this.#move(product, 'cooling', reason, remaining);
  }

  #group(product: string): Group {
    let g = this.#groups.get(product);
    if (g === undefined) {
      g = { product, state: 'unset', remaining: 0, coolUntil: 0, trips: [], armFailures: 0, retryAt: 0 };
      this.#groups.set(product, g);
      this.#list.push(g);
    }
    return g;
  }

  #move(product: string, to: ProtectionState, reason: string, remaining: number): void {
    const g = this.#group(product);
    const from = g.state;
    g.state = to;
    g.remaining = remaining;
    if (from !== to) this.#onTransition({ product, from, to, reason, remainingAmount: remaining });
  }
}

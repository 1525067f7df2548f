import { performance } from 'node:perf_hooks';
import type { QuoterError } from '../errors.js';
import { setMmProtectionParams } from '../protocol/builders.js';
import { VenueError } from '../protocol/errors.js';
import { Method } from '../protocol/methods.js';
import { request } from '../protocol/request.js';
import type { RpcSession } from '../rpc/session.js';
import type { EngineConfig } from './config.js';
import { asQuoterError } from './fatal.js';
import type { Protection } from './protection.js';
import { THROTTLE_EXCEEDED } from './reply-failures.js';
import type { SendBudget } from './send-budget.js';

/**
 * Re-arming market maker protection while quoting: one `set_mm_protection` per product at a
 * time, its outcome handed to Protection (armed, or refused and backed off). A refusal with
 * ThrottleExceeded (code 4) also halves the message budget, as a refused quote does: the venue
 * counts every request against the same rate, and arming requests are the ones sent first.
 */
export class Arming {
  readonly #rpc: RpcSession;
  readonly #protection: Protection;
  readonly #config: EngineConfig;
  readonly #budget: () => SendBudget | undefined;
  readonly #problem: (e: QuoterError) => void;
  readonly #inFlight = new Set<string>();

  constructor(rpc: RpcSession, protection: Protection, config: EngineConfig, budget: () => SendBudget | undefined, problem: (e: QuoterError) => void) {
    this.#rpc = rpc;
    this.#protection = protection;
    this.#config = config;
    this.#budget = budget;
    this.#problem = problem;
  }

  /** Products whose request is in flight. */
  get inFlight(): ReadonlySet<string> {
    return this.#inFlight;
  }

  /** Sends the product's `set_mm_protection` unless one is in flight already. */
  readonly arm = (product: string): void => void this.#arm(product);

  async #arm(product: string): Promise<void> {
    if (this.#inFlight.has(product)) return;
    this.#inFlight.add(product);
    const limits = this.#config.protection.products[product] ?? this.#config.protection.default;
    this.#protection.arming(product);
    try {
      await request(this.#rpc, Method.SetMmProtection, setMmProtectionParams(product, limits.tradeAmount, limits.quoteAmount));
      this.#protection.armed(product, limits.tradeAmount);
    } catch (e) {
      const now = performance.now();
      if (e instanceof VenueError && e.venueCode === THROTTLE_EXCEEDED) this.#budget()?.onThrottled(now);
      this.#protection.armFailed(product, e instanceof Error ? e.message : String(e), now);
      this.#problem(asQuoterError(e));
    } finally {
      this.#inFlight.delete(product);
    }
  }
}

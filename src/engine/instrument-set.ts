/**
 * The instruments the engine's hot path is built for: `config.instruments` as last resolved, and
 * the periodic re-resolution of its selectors (instrument-selector.ts). Cold path.
 */
import type { EventEmitter } from 'node:events';
import type { RpcSession } from '../rpc/session.js';
import type { EngineEvents } from './events.js';
import { resolveWithVenue } from './instrument-resolution.js';
import type { InstrumentEntry } from './instrument-selector.js';
import type { EngineLogger } from './logger.js';

export class InstrumentSet {
  readonly #entries: readonly InstrumentEntry[];
  readonly #refreshMs: number;
  readonly #hasSelectors: boolean;
  #names: readonly string[] = [];
  #resolvedOnce = false;
  #lastResolved = 0;
  #refreshing = false;

  constructor(entries: readonly InstrumentEntry[], refreshMs: number) {
    this.#entries = entries;
    this.#refreshMs = refreshMs;
    this.#hasSelectors = entries.some((e) => typeof e !== 'string');
  }

  /** As last resolved; before the first resolution, the plain names of the config. */
  names(): string[] {
    return this.#resolvedOnce ? [...this.#names] : this.#entries.filter((e): e is string => typeof e === 'string');
  }

  /**
   * A bootstrap resolved `names`. True when the hot path must be built for them: the first time,
   * or when the set changed (an expiry went, a new one came: the hot path is sized per instrument,
   * so the engine rebuilds it; nothing is quoted meanwhile, since this runs inside the bootstrap,
   * after cancel-on-disconnect pulled the previous session's quotes). Logs and emits the change.
   */
  accept(names: readonly string[], now: number, log: EngineLogger, events: EventEmitter<EngineEvents>): boolean {
    this.#lastResolved = now;
    const first = !this.#resolvedOnce;
    if (!first && same(names, this.#names)) return false;
    if (!first) {
      const old = new Set(this.#names);
      const cur = new Set(names);
      log.info({ added: names.filter((n) => !old.has(n)), removed: this.#names.filter((n) => !cur.has(n)) }, 'instrument set changed');
    }
    this.#names = [...names];
    this.#resolvedOnce = true;
    log.info({ count: names.length, instruments: names }, 'instruments resolved');
    events.emit('instruments', { instruments: [...names] });
    return true;
  }

  /**
   * On a housekeeping pass: when a refresh is due, resolve the selectors again, and when they now
   * give another set call `onChanged` (the engine requotes it after a planned reconnect, whose
   * bootstrap rebuilds the hot path). Failures go to `onError`; never throws.
   */
  refreshIfDue(rpc: RpcSession, nowMs: number, onChanged: () => Promise<void>, onError: (e: unknown) => void): void {
    if (!this.#hasSelectors || this.#refreshMs <= 0 || this.#refreshing || nowMs - this.#lastResolved < this.#refreshMs) return;
    this.#refreshing = true;
    this.#lastResolved = nowMs;
    resolveWithVenue(rpc, this.#entries)
      .then((r) => (same(r.names, this.#names) ? undefined : onChanged()))
      .catch(onError)
      .finally(() => {
        this.#refreshing = false;
      });
  }
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

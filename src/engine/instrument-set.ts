/**
 * The instruments the engine's hot path is built for: `config.instruments` as last resolved, and
 * the periodic re-resolution of its selectors (instrument-selector.ts). Cold path.
 */
import { performance } from 'node:perf_hooks';
import type { RpcSession } from '../rpc/session.js';
import { resolveWithVenue } from './instrument-resolution.js';
import type { InstrumentEntry } from './instrument-selector.js';

export class InstrumentSet {
  readonly #entries: readonly InstrumentEntry[];
  readonly #refreshMs: number;
  readonly #hasSelectors: boolean;
  #names: readonly string[] = [];
  #lastResolved = 0;
  #refreshing = false;

  constructor(entries: readonly InstrumentEntry[], refreshMs: number) {
    this.#entries = entries;
    this.#refreshMs = refreshMs;
    this.#hasSelectors = entries.some((e) => typeof e !== 'string');
  }

  /** As last resolved; before the first resolution, the plain names of the config. */
  names(): string[] {
    return this.#names.length > 0 ? [...this.#names] : this.#entries.filter((e): e is string => typeof e === 'string');
  }

  /** Whether `names` is the set the hot path was built for. */
  same(names: readonly string[]): boolean {
    const cur = this.#names;
    return names.length === cur.length && names.every((n, i) => n === cur[i]);
  }

  /** A bootstrap resolved `names` (the hot path is, or is about to be, built for them). */
  resolved(names: readonly string[]): { added: string[]; removed: string[] } {
    const old = new Set(this.#names);
    const now = new Set(names);
    const diff = { added: names.filter((n) => !old.has(n)), removed: this.#names.filter((n) => !now.has(n)) };
    this.#names = [...names];
    this.#lastResolved = performance.now();
    return diff;
  }

  /** Whether a refresh is due (checked on every housekeeping pass, so synchronous and cheap). */
  due(nowMs: number): boolean {
    return this.#hasSelectors && this.#refreshMs > 0 && !this.#refreshing && nowMs - this.#lastResolved >= this.#refreshMs;
  }

  /** Resolves the selectors again; true when they now give another set (the caller requotes it after a planned reconnect). */
  async refresh(rpc: RpcSession, nowMs: number): Promise<boolean> {
    this.#refreshing = true;
    this.#lastResolved = nowMs;
    try {
      const { names } = await resolveWithVenue(rpc, this.#entries);
      return !this.same(names);
    } finally {
      this.#refreshing = false;
    }
  }
}

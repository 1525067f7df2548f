import { type QuoteBatch, SIDE_OMIT } from '../codec/quote-batch.js';

/**
 * Which instruments each mass quote in flight carried, so a refused request (or a side error,
 * which names no instrument) can be mapped back to what must be re-sent. Indexed by
 * `id & mask` like the RPC hot table; typed arrays only.
 */
export class RequestLog {
  readonly #mask: number;
  readonly #ids: Float64Array;
  readonly #counts: Int32Array;
  readonly #instruments: Int32Array;
  /** [slot][entry][side] → 1 when the side went out with levels (a reply accepting it confirms them). */
  readonly #withLevels: Uint8Array;
  /** Per request: arrival (ns) of the newest tick behind it, for tick-to-reply. */
  readonly #tickNs: Float64Array;
  static readonly PER_REQUEST = 100;

  constructor(capacity: number) {
    this.#mask = capacity - 1;
    this.#ids = new Float64Array(capacity);
    this.#counts = new Int32Array(capacity);
    this.#instruments = new Int32Array(capacity * RequestLog.PER_REQUEST);
    this.#withLevels = new Uint8Array(capacity * RequestLog.PER_REQUEST * 2);
    this.#tickNs = new Float64Array(capacity);
  }

  record(id: number, batch: QuoteBatch, newestTickNs: number): void {
    const s = id & this.#mask;
    this.#ids[s] = id;
    this.#tickNs[s] = newestTickNs;
    this.#counts[s] = batch.count;
    const base = s * RequestLog.PER_REQUEST;
    for (let e = 0; e < batch.count; e++) {
      this.#instruments[base + e] = batch.instrument[e]!;
      for (let side = 0; side < 2; side++) {
        const k = e * 2 + side;
        this.#withLevels[(base + e) * 2 + side] = batch.mode[k] !== SIDE_OMIT && batch.levels[k]! > 0 ? 1 : 0;
      }
    }
  }

  find(id: number): number {
    const s = id & this.#mask;
    return this.#ids[s] === id ? s : -1;
  }

  count(slot: number): number {
    return this.#counts[slot]!;
  }

  instrumentAt(slot: number, k: number): number {
    return this.#instruments[slot * RequestLog.PER_REQUEST + k]!;
  }

  /** Did entry `k` of the request carry levels on `side` (not omitted, not `[]`)? */
  sentLevels(slot: number, k: number, side: number): boolean {
    return this.#withLevels[(slot * RequestLog.PER_REQUEST + k) * 2 + side] === 1;
  }

  /** Arrival (ns) of the newest tick behind the request in `slot`. */
  tickNs(slot: number): number {
    return this.#tickNs[slot]!;
  }

  release(slot: number): void {
    this.#ids[slot] = 0;
  }
}

import { RpcConfigError } from './errors.js';

/**
 * The in-flight table of hot-path requests (mass quotes, cancels): fixed capacity, indexed by
 * `id & mask`, typed arrays only, so tracking a request allocates nothing. Ids are monotonic,
 * so a slot is reused only after `capacity` newer requests; if its previous occupant is still
 * in flight the table is full and the caller must not send.
 */
export class HotTable {
  readonly capacity: number;
  readonly #mask: number;
  /** Id in the slot, or 0 when free. Float64 so ids above 2^31 stay exact. */
  readonly #ids: Float64Array;
  readonly #tags: Int32Array;
  readonly #sentMs: Float64Array;
  readonly #deadlineMs: Float64Array;
  #count = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2 || (capacity & (capacity - 1)) !== 0) {
      throw new RpcConfigError(`hot table capacity must be a power of two ≥ 2, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#mask = capacity - 1;
    this.#ids = new Float64Array(capacity);
    this.#tags = new Int32Array(capacity);
    this.#sentMs = new Float64Array(capacity);
    this.#deadlineMs = new Float64Array(capacity);
  }

  get size(): number {
    return this.#count;
  }

  /** False when the slot for `id` is still taken by an older request (table full). */
  add(id: number, tag: number, sentMs: number, deadlineMs: number): boolean {
    const s = id & this.#mask;
    if (this.#ids[s] !== 0) return false;
    this.#ids[s] = id;
    this.#tags[s] = tag;
    this.#sentMs[s] = sentMs;
    this.#deadlineMs[s] = deadlineMs;
    this.#count++;
    return true;
  }

  /** Slot index holding `id`, or -1. */
  find(id: number): number {
    // 0 marks a free slot: a reply with id 0 (ids start at 1) must not "find" one.
    if (id <= 0) return -1;
    const s = id & this.#mask;
    return this.#ids[s] === id ? s : -1;
  }

  idAt(slot: number): number {
    return this.#ids[slot]!;
  }
  tagAt(slot: number): number {
    return this.#tags[slot]!;
  }
  sentAt(slot: number): number {
    return this.#sentMs[slot]!;
  }
  deadlineAt(slot: number): number {
    return this.#deadlineMs[slot]!;
  }

  /** Corrects the send time once the frame is actually written (it is registered before). */
  setSent(slot: number, sentMs: number): void {
    this.#sentMs[slot] = sentMs;
  }

  release(slot: number): void {
    if (this.#ids[slot] !== 0) {
      this.#ids[slot] = 0;
      this.#count--;
    }
  }
}

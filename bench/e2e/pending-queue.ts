/**
 * Instruments whose newest ticker has not been quoted yet, oldest first, each at most once: the
 * ws and ideal clients keep a ticker that finds no free slot (in flight, budget, kernel buffer)
 * here and quote it when a reply frees one, so that at 10 and 100 instruments they quote every
 * instrument of a burst, as the engine does, instead of the same first 16.
 */
export class PendingQueue {
  readonly #ring: Int32Array;
  /** Per instrument: 0 not in the ring, 1 in it and wanted, 2 in it but dropped (skipped when it comes up). */
  readonly #state: Uint8Array;
  /** Per instrument: the read of its newest unquoted ticker (ms), the start of its tick-to-wire. */
  readonly tickAt: Float64Array;
  #head = 0;
  #size = 0;

  constructor(n: number) {
    this.#ring = new Int32Array(n);
    this.#state = new Uint8Array(n);
    this.tickAt = new Float64Array(n);
  }

  /** Latest wins: a newer ticker replaces the older one's start time and keeps its place in line. */
  push(i: number, tickAt: number): void {
    this.tickAt[i] = tickAt;
    const s = this.#state[i];
    this.#state[i] = 1;
    if (s !== 0) return;
    let at = this.#head + this.#size;
    if (at >= this.#ring.length) at -= this.#ring.length;
    this.#ring[at] = i;
    this.#size++;
  }

  /** A newer ticker took the instrument back to the prices already quoted: nothing to send. */
  drop(i: number): void {
    if (this.#state[i] === 1) this.#state[i] = 2;
  }

  /** The oldest queued instrument, left in line, or -1. */
  peek(): number {
    while (this.#size > 0) {
      const i = this.#ring[this.#head]!;
      if (this.#state[i] === 1) return i;
      this.#state[i] = 0;
      this.#pop();
    }
    return -1;
  }

  /** Takes the oldest queued instrument out of line, or -1. */
  shift(): number {
    const i = this.peek();
    if (i >= 0) {
      this.#state[i] = 0;
      this.#pop();
    }
    return i;
  }

  #pop(): void {
    this.#head = this.#head + 1 === this.#ring.length ? 0 : this.#head + 1;
    this.#size--;
  }
}

/**
 * The per-worker control block (layout and invariants in `control-layout.ts`): the main thread's
 * doorbell/stop/params-version side and the worker's heartbeat/wait side, in one small class
 * so both sides use the same ordering. No method allocates.
 */
import {
  CONTROL_INTS,
  kDoorbell,
  kGeneration,
  kHeartbeat,
  kMainWaiting,
  kParamsVersion,
  kPriced,
  kResults,
  kSkipped,
  kState,
  kStop,
  kWaiting,
  WORKER_STATE_IDLE,
} from './control-layout.js';
import { RingLayoutError } from './errors.js';

export class ControlBlock {
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  /** awaitResult's state: the callback, whether a wait is pending, and its settle handler. */
  #onResult: (() => void) | undefined;
  #resultAwaited = false;
  readonly #resultLanded = (): void => {
    Atomics.store(this.i32, kMainWaiting, 0);
    this.#resultAwaited = false;
    this.#onResult?.();
  };

  constructor(sab: SharedArrayBuffer) {
    if (sab.byteLength < CONTROL_INTS * 4) throw new RingLayoutError('buffer too small for a control block');
    this.sab = sab;
    this.i32 = new Int32Array(sab, 0, CONTROL_INTS);
  }

  static create(): ControlBlock {
    return new ControlBlock(new SharedArrayBuffer(CONTROL_INTS * 4));
  }

  // ---- main thread ----

  /** Ring the doorbell after publishing ticks; wakes the worker only if it sleeps. */
  ring(): void {
    const a = this.i32;
    Atomics.add(a, kDoorbell, 1);
    // Atomics.notify takes V8's futex mutex; skip it while the worker is spinning or busy.
    if (Atomics.load(a, kWaiting) === 1) Atomics.notify(a, kDoorbell, 1);
  }

  /**
   * Calls `onResult` when the worker writes its next batch of quotes, or after `timeoutMs`: for a
   * main thread that stopped polling a late worker, so that the worker's result is picked up when
   * it lands rather than on the next poll timer. One wait at a time (a call while one is pending
   * only replaces the callback). Allocates (Atomics.waitAsync's promise): the late path only.
   * Returns false, arming nothing, if the worker wrote while this armed. A result written before
   * the call wakes nobody: the caller polls once more after arming.
   */
  awaitResult(onResult: () => void, timeoutMs: number): boolean {
    this.#onResult = onResult;
    if (this.#resultAwaited) return true;
    const a = this.i32;
    const seen = Atomics.load(a, kResults);
    Atomics.store(a, kMainWaiting, 1);
    const r = Atomics.waitAsync(a, kResults, seen, timeoutMs);
    if (!r.async) {
      Atomics.store(a, kMainWaiting, 0);
      return false;
    }
    this.#resultAwaited = true;
    void r.value.then(this.#resultLanded);
    return true;
  }

  requestStop(): void {
    Atomics.store(this.i32, kStop, 1);
    Atomics.add(this.i32, kDoorbell, 1);
    Atomics.notify(this.i32, kDoorbell);
  }

  /** Open a parameter write (version turns odd). Pair with `endParamsWrite`. */
  beginParamsWrite(): void {
    Atomics.add(this.i32, kParamsVersion, 1);
  }

  /** Close a parameter write (version turns even) and wake the worker to re-price. */
  endParamsWrite(): void {
    Atomics.add(this.i32, kParamsVersion, 1);
    this.ring();
  }

  /**
   * Hand the block to a new task: clear the stop flag and state, then publish the generation (a
   * worker of an older generation that still runs sees the change and leaves its loop).
   */
  beginGeneration(gen: number): void {
    Atomics.store(this.i32, kStop, 0);
    Atomics.store(this.i32, kState, WORKER_STATE_IDLE);
    Atomics.store(this.i32, kGeneration, gen);
  }

  heartbeat(): number {
    return Atomics.load(this.i32, kHeartbeat);
  }

  state(): number {
    return Atomics.load(this.i32, kState);
  }

  priced(): number {
    return Atomics.load(this.i32, kPriced);
  }

  skipped(): number {
    return Atomics.load(this.i32, kSkipped);
  }

  // ---- worker ----

  doorbell(): number {
    return Atomics.load(this.i32, kDoorbell);
  }

  stopRequested(): boolean {
    return Atomics.load(this.i32, kStop) !== 0;
  }

  generation(): number {
    return Atomics.load(this.i32, kGeneration);
  }

  paramsVersion(): number {
    return Atomics.load(this.i32, kParamsVersion);
  }

  beat(): void {
    Atomics.add(this.i32, kHeartbeat, 1);
  }

  setState(state: number): void {
    Atomics.store(this.i32, kState, state);
  }

  countPriced(n: number): void {
    Atomics.add(this.i32, kPriced, n);
  }

  /** Quotes were written: wakes a main thread awaiting them (awaitResult), only if one is. */
  signalResults(): void {
    const a = this.i32;
    Atomics.add(a, kResults, 1);
    if (Atomics.load(a, kMainWaiting) === 1) Atomics.notify(a, kResults);
  }

  countSkipped(n: number): void {
    Atomics.add(this.i32, kSkipped, n);
  }

  /**
   * Sleep until the doorbell moves away from `seen` or `timeoutMs` passes. `seen` must have been
   * loaded before the caller last scanned its rings (see the doorbell invariant).
   */
  sleep(seen: number, timeoutMs: number): void {
    const a = this.i32;
    Atomics.store(a, kWaiting, 1);
    Atomics.wait(a, kDoorbell, seen, timeoutMs);
    Atomics.store(a, kWaiting, 0);
  }
}

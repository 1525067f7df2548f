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
  kParamsVersion,
  kPriced,
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

/**
 * The per-worker control block (Int32, CONTROL_INTS) and the pool-wide parameter region
 * (Float64). Imported by both thread sides.
 *
 * Control block: main-thread-written ints on the first cache line, worker-written ints on the
 * second, so the worker's heartbeat does not bounce the line the main thread writes.
 *   [kDoorbell]      main: Atomics.add(+1) after publishing ticks for this worker's instruments,
 *                    then Atomics.notify if [kWaiting] is 1.
 *   [kStop]          main: 1 = leave the loop and return.
 *   [kParamsVersion] main: seqlock over this worker's parameter rows: odd while writing.
 *   [kGeneration]    main: id of the task that owns this block; a worker whose id differs exits.
 *   [kMainWaiting]   main: 1 while it awaits [kResults] with Atomics.waitAsync (a worker missed the
 *                    main thread's spin and poll turns), else 0.
 *   [kHeartbeat]     worker: +1 per loop turn (each wake, each batch). A stall means a hung pricer.
 *   [kState]         worker: WORKER_STATE_*.
 *   [kWaiting]       worker: 1 just before Atomics.wait, 0 after.
 *   [kPriced]        worker: quotes written.   [kSkipped] worker: ticks superseded before priced.
 *   [kResults]       worker: Atomics.add(+1) after writing a batch of quotes, then Atomics.notify
 *                    if [kMainWaiting] is 1: the same no-lost-wake-up handshake as the doorbell's,
 *                    the other way round (the main thread loads `seen`, stores kMainWaiting = 1,
 *                    then waits on kResults for a change from `seen`).
 *
 * Doorbell invariant (no lost wake-up): the worker stores kWaiting = 1 and then calls
 * Atomics.wait(kDoorbell, seen), where `seen` was loaded BEFORE it last scanned the rings; the main
 * thread publishes the tick (Atomics.store H_SEQ), Atomics.add(kDoorbell), then loads kWaiting.
 * All are sequentially consistent, so either the main thread sees kWaiting = 1 and notifies, or the
 * worker's wait sees the changed doorbell and returns at once ("not-equal").
 *
 * Parameter rows (Float64, PARAM_ROW doubles per instrument, indexed by pool instrument index):
 *   [PR_POSITION] the engine's position; [PR_PARAMS …] pricer parameters (PRICER_PARAMS of them,
 *   meaning defined by the pricer; see default-pricer.ts). Written only by the main thread between
 *   two Atomics.add(kParamsVersion, 1) of the owning worker; the worker copies the rows when it
 *   sees a new even version and keeps the copy only if the version did not move meanwhile.
 */
export const kDoorbell = 0;
export const kStop = 1;
export const kParamsVersion = 2;
export const kGeneration = 3;
export const kMainWaiting = 4;
export const kHeartbeat = 16;
export const kState = 17;
export const kWaiting = 18;
export const kPriced = 19;
export const kSkipped = 20;
export const kResults = 21;
export const CONTROL_INTS = 32;

export const WORKER_STATE_IDLE = 0;
export const WORKER_STATE_STARTING = 1;
export const WORKER_STATE_RUNNING = 2;
export const WORKER_STATE_STOPPED = 3;
export const WORKER_STATE_FAILED = 4;

export const PARAM_ROW = 32;
export const PR_POSITION = 0;
export const PR_PARAMS = 1;
export const PRICER_PARAMS = PARAM_ROW - PR_PARAMS;

export function paramsBytes(instruments: number): number {
  return instruments * PARAM_ROW * 8;
}

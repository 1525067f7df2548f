/**
 * Main-thread side of worker pricing. Piscina owns the threads (start, replace, destroy); each
 * worker runs ONE long-lived task (`worker.ts`) for as long as the engine runs. Ticks and quotes
 * cross threads only through SharedArrayBuffers: `publishTick` rings the worker's doorbell, and the
 * main thread reads quote slots itself (`pollQuote`, `awaitQuoteSpin`), never awaiting a worker
 * per tick (a piscina task per tick measured ~55 µs p50 here, against ~1 µs for this handoff).
 *
 * Failure handling, off the hot path: a task that rejects (pricer threw, worker exited) or a
 * heartbeat stalled past `heartbeatTimeoutMs` (checked every `monitorIntervalMs`) marks the
 * worker's instruments not quotable, aborts the task (piscina terminates a running thread on
 * abort), and starts a new generation with FRESH quote slots, so a stale thread can never write a
 * slot the main thread reads. Instruments become quotable again when the new task is running.
 */
import { Piscina } from 'piscina';
import { ControlBlock } from '../rings/control-block.js';
import {
  PARAM_ROW,
  PR_PARAMS,
  PR_POSITION,
  PRICER_PARAMS,
  WORKER_STATE_RUNNING,
  paramsBytes,
} from '../rings/control-layout.js';
import { QF_SOURCE_SEQ } from '../rings/quote-layout.js';
import { QuoteSlots } from '../rings/quote-slot.js';
import { seqNewer } from '../rings/seq.js';
import { TickerRing } from '../rings/ticker-ring.js';
import { PricingConfigError, PricingWorkerError } from './errors.js';
import type { InstrumentSpec } from './pricer.js';
import type { QuoteSource } from './quote-source.js';
import type { PricingTask, PricingTaskInstrument, PricingTaskResult } from './task.js';
import { siblingJsFile } from './worker-file.js';

/** Default `spinIterations`: the worker's doorbell polls before it sleeps (a few µs). */
export const DEFAULT_WORKER_SPIN_ITERATIONS = 2_000;
/** Default `waitTimeoutMs`: a worker's longest Atomics.wait. */
export const DEFAULT_WORKER_WAIT_MS = 20;
/** Default `resultWaitMs`: longest wait for a late worker's result (awaitResults); the quote loop's 1 ms poll timer runs beside it. */
export const DEFAULT_RESULT_WAIT_MS = 50;

export interface PricingPoolOptions {
  instruments: readonly InstrumentSpec[];
  /** One ring per instrument (e.g. shared with the decoder); created when omitted. */
  rings?: readonly TickerRing[];
  ringSlots?: number;
  /** Worker threads (default 1: on 2 cores the other core belongs to the event loop). */
  workers?: number;
  /** Absolute path or file URL of a pricer module (see pricer.ts); default pricer when omitted. */
  pricerModule?: string;
  /** Initial pricer parameters, one row per instrument, or one row for all. */
  params?: ArrayLike<number> | readonly ArrayLike<number>[];
  /**
   * Doorbell polls before a worker sleeps (default 2000, a few µs). Each poll keeps a core busy:
   * raise it for latency when cores are spare, 0 to always sleep (adds the futex wake-up).
   */
  spinIterations?: number;
  /** Longest worker sleep (default 20 ms); bounds heartbeat gaps of an idle worker. */
  waitTimeoutMs?: number;
  /** Longest main-thread wait for a late worker's result in awaitResults (default 50 ms). */
  resultWaitMs?: number;
  /**
   * Time one pricing call in this many (power of two; 0 = never; default 16). performance.now()
   * allocates in Node 20, so timing every call would add a scavenge every ~30k quotes to the worker.
   * Untimed quotes carry NaN in QF_PRICING_NS.
   */
  timePricingEvery?: number;
  /** Heartbeat stall that counts as hung (default 1000 ms). */
  heartbeatTimeoutMs?: number;
  /** Time a new task may take to reach its loop (load the pricer) (default 10 s). */
  startTimeoutMs?: number;
  /** Health check period (default 100 ms). */
  monitorIntervalMs?: number;
  /** Delay before a replacement starts; doubles per consecutive failure up to 5 s (default 50 ms). */
  restartDelayMs?: number;
  /** Called when an instrument becomes quotable or not (`error` set when a worker failed). */
  onQuotableChange?: (instrument: number, quotable: boolean, error?: PricingWorkerError) => void;
  /** Called once per detected worker failure, before its replacement starts. */
  onWorkerError?: (error: PricingWorkerError) => void;
}

interface WorkerEntry {
  readonly id: number;
  readonly control: ControlBlock;
  readonly instruments: readonly PricingTaskInstrument[];
  slots: QuoteSlots;
  generation: number;
  abort: AbortController | null;
  /** 'starting' | 'running' from the monitor's view; 'down' between failure and restart. */
  phase: 'starting' | 'running' | 'down' | 'stopped';
  startedAt: number;
  lastBeat: number;
  lastBeatAt: number;
  failures: number;
  restartTimer: NodeJS.Timeout | null;
  task: Promise<unknown> | null;
}

let nextGeneration = 1;

export class PricingPool implements QuoteSource {
  readonly count: number;
  readonly rings: readonly TickerRing[];
  /** 1 = quotable; read-only outside the pool. */
  readonly quotable: Uint8Array;
  private readonly piscina: Piscina;
  private readonly workers: WorkerEntry[] = [];
  private readonly workerOf: Int32Array;
  private readonly localOf: Int32Array;
  private readonly lastWriteSeq: Int32Array;
  private readonly lastSourceSeq: Int32Array;
  private readonly params: Float64Array;
  private readonly paramsSab: SharedArrayBuffer;
  private readonly opts: Required<
    Pick<
      PricingPoolOptions,
      'spinIterations' | 'waitTimeoutMs' | 'resultWaitMs' | 'timePricingEvery' | 'heartbeatTimeoutMs' | 'startTimeoutMs' | 'monitorIntervalMs' | 'restartDelayMs'
    >
  >;
  private readonly pricerModule: string | null;
  private readonly onQuotableChange: PricingPoolOptions['onQuotableChange'];
  private readonly onWorkerError: PricingPoolOptions['onWorkerError'];
  private monitor: NodeJS.Timeout | null = null;
  private closing = false;
  private readyWaiters: Array<() => void> = [];
  /** Failures seen so far (for tests and metrics). */
  failures = 0;
  /** Quotes dropped by `pollQuote` because they were priced from an older tick than one returned. */
  staleQuotes = 0;

  constructor(options: PricingPoolOptions) {
    const n = options.instruments.length;
    if (n === 0) throw new PricingConfigError('at least one instrument is required');
    const nWorkers = Math.min(options.workers ?? 1, n);
    if (!Number.isInteger(nWorkers) || nWorkers < 1) throw new PricingConfigError('workers must be a positive integer');
    if (options.rings !== undefined && options.rings.length !== n) {
      throw new PricingConfigError(`${options.rings.length} rings for ${n} instruments`);
    }
    this.count = n;
    this.rings = options.rings ?? options.instruments.map(() => TickerRing.create(options.ringSlots));
    this.quotable = new Uint8Array(n);
    this.workerOf = new Int32Array(n);
    this.localOf = new Int32Array(n);
    this.lastWriteSeq = new Int32Array(n);
    this.lastSourceSeq = new Int32Array(n);
    this.paramsSab = new SharedArrayBuffer(paramsBytes(n));
    this.params = new Float64Array(this.paramsSab);
    this.opts = {
      spinIterations: options.spinIterations ?? DEFAULT_WORKER_SPIN_ITERATIONS,
      waitTimeoutMs: options.waitTimeoutMs ?? DEFAULT_WORKER_WAIT_MS,
      resultWaitMs: options.resultWaitMs ?? DEFAULT_RESULT_WAIT_MS,
      timePricingEvery: options.timePricingEvery ?? 16,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 1000,
      startTimeoutMs: options.startTimeoutMs ?? 10_000,
      monitorIntervalMs: options.monitorIntervalMs ?? 100,
      restartDelayMs: options.restartDelayMs ?? 50,
    };
    const every = this.opts.timePricingEvery;
    if (!Number.isInteger(every) || every < 0 || (every & (every - 1)) !== 0) {
      throw new PricingConfigError(`timePricingEvery ${every} must be 0 or a power of two`);
    }
    this.pricerModule = options.pricerModule ?? null;
    this.onQuotableChange = options.onQuotableChange;
    this.onWorkerError = options.onWorkerError;

    if (options.params !== undefined) {
      const p = options.params;
      const perInstrument = p.length > 0 && typeof (p as ArrayLike<unknown>)[0] === 'object';
      for (let i = 0; i < n; i++) {
        const row = perInstrument ? (p as readonly ArrayLike<number>[])[i] : (p as ArrayLike<number>);
        if (row !== undefined) this.writeRow(i, row);
      }
    }

    // Round-robin assignment: instrument i → worker i mod W.
    const lists: PricingTaskInstrument[][] = [];
    for (let w = 0; w < nWorkers; w++) lists.push([]);
    for (let i = 0; i < n; i++) {
      const w = i % nWorkers;
      this.workerOf[i] = w;
      this.localOf[i] = lists[w]!.length;
      const ring = this.rings[i]!;
      lists[w]!.push({ index: i, ring: ring.sab, ringByteOffset: ring.byteOffset, spec: { ...options.instruments[i]! } });
    }

    this.piscina = new Piscina({
      filename: siblingJsFile(import.meta.url, './worker.js'),
      minThreads: nWorkers,
      maxThreads: nWorkers,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
    // Failures are handled through task rejections; a pool-level error must not crash the process.
    this.piscina.on('error', () => {});

    for (let w = 0; w < nWorkers; w++) {
      const instruments = lists[w]!;
      this.workers.push({
        id: w,
        control: ControlBlock.create(),
        instruments,
        slots: QuoteSlots.create(instruments.length),
        generation: 0,
        abort: null,
        phase: 'down',
        startedAt: 0,
        lastBeat: 0,
        lastBeatAt: 0,
        failures: 0,
        restartTimer: null,
        task: null,
      });
    }
    for (const w of this.workers) this.startWorker(w);
    this.monitor = setInterval(() => this.check(), this.opts.monitorIntervalMs);
    this.monitor.unref();
  }

  // ---- hot path (no allocation) ----

  publishTick(i: number): void {
    this.workers[this.workerOf[i]!]!.control.ring();
  }

  /**
   * Write a tick into instrument `i`'s ring and ring the doorbell; returns the tick seq.
   * Convenience form (doubles passed as arguments may be boxed); the hot path uses `publishFrom`.
   */
  publish(
    i: number,
    bidPrice: number,
    bidAmount: number,
    askPrice: number,
    askAmount: number,
    mark: number,
    index: number,
    markTs: number,
    collarLow: number,
    collarHigh: number,
    recvNs: number,
  ): number {
    const s = this.rings[i]!.publish(bidPrice, bidAmount, askPrice, askAmount, mark, index, markTs, collarLow, collarHigh, recvNs);
    this.workers[this.workerOf[i]!]!.control.ring();
    return s;
  }

  /** Write the tick staged in `src` (F_ constants) into `i`'s ring and price it. No allocation. */
  publishFrom(i: number, src: Float64Array): number {
    const s = this.rings[i]!.publishFrom(src);
    this.workers[this.workerOf[i]!]!.control.ring();
    return s;
  }

  pollQuote(i: number, out: Float64Array): boolean {
    if (this.quotable[i] === 0) return false;
    const w = this.workers[this.workerOf[i]!]!;
    const got = w.slots.read(this.localOf[i]!, out, this.lastWriteSeq[i]!);
    if (got <= 0) return false;
    this.lastWriteSeq[i] = got;
    const src = out[QF_SOURCE_SEQ]!;
    // Latest wins: never hand out a quote priced from an older tick than one already returned.
    if (seqNewer(this.lastSourceSeq[i]!, src)) {
      this.staleQuotes++;
      return false;
    }
    this.lastSourceSeq[i] = src;
    return true;
  }

  awaitQuoteSpin(i: number, sourceSeq: number, maxSpins: number): boolean {
    const slots = this.workers[this.workerOf[i]!]!.slots;
    const local = this.localOf[i]!;
    for (let k = 0; k <= maxSpins; k++) {
      const s = slots.sourceSeq(local);
      if (s !== 0 && !seqNewer(sourceSeq, s)) return true;
    }
    return false;
  }

  awaitResults(onResult: () => void): boolean {
    let armed = true;
    for (const w of this.workers) if (!w.control.awaitResult(onResult, this.opts.resultWaitMs)) armed = false;
    return armed;
  }

  isQuotable(i: number): boolean {
    return this.quotable[i] === 1;
  }

  // ---- cold path ----

  setParams(i: number, params: ArrayLike<number>): void {
    const c = this.workers[this.workerOf[i]!]!.control;
    c.beginParamsWrite();
    this.writeRow(i, params);
    c.endParamsWrite();
  }

  setPosition(i: number, position: number): void {
    const c = this.workers[this.workerOf[i]!]!.control;
    c.beginParamsWrite();
    this.params[i * PARAM_ROW + PR_POSITION] = position;
    c.endParamsWrite();
  }

  /** Resolves when every worker runs its loop (all instruments quotable), or the pool closes. */
  ready(): Promise<void> {
    if (this.allRunning()) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Live piscina threads. */
  get threadCount(): number {
    return this.piscina.threads.length;
  }

  /** Per-worker counters, for metrics and tests. */
  stats(): Array<{ worker: number; generation: number; phase: string; heartbeat: number; priced: number; skipped: number }> {
    return this.workers.map((w) => ({
      worker: w.id,
      generation: w.generation,
      phase: w.phase,
      heartbeat: w.control.heartbeat(),
      priced: w.control.priced(),
      skipped: w.control.skipped(),
    }));
  }

  /** Stop the loops (stop flag + notify), wait for the tasks, then destroy the threads. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.monitor !== null) clearInterval(this.monitor);
    for (const r of this.readyWaiters.splice(0)) r();
    const tasks: Promise<unknown>[] = [];
    for (const w of this.workers) {
      if (w.restartTimer !== null) clearTimeout(w.restartTimer);
      this.setQuotable(w, false);
      w.phase = 'stopped';
      w.control.requestStop();
      if (w.task !== null) tasks.push(w.task);
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled(tasks), timedOut]);
    clearTimeout(timer);
    // A task still running after the timeout is hung: abort terminates its thread.
    for (const w of this.workers) w.abort?.abort();
    await this.piscina.destroy();
  }

  private writeRow(i: number, row: ArrayLike<number>): void {
    const base = i * PARAM_ROW + PR_PARAMS;
    const n = Math.min(row.length, PRICER_PARAMS);
    for (let k = 0; k < n; k++) this.params[base + k] = row[k]!;
    for (let k = n; k < PRICER_PARAMS; k++) this.params[base + k] = 0;
  }

  private startWorker(w: WorkerEntry): void {
    w.restartTimer = null;
    if (this.closing) return;
    // Fresh slots per generation: a terminated-but-not-yet-dead thread writes only the old ones.
    // lastSourceSeq is kept, so a new worker cannot hand out a quote older than one returned.
    if (w.generation !== 0) w.slots = QuoteSlots.create(w.instruments.length);
    for (const ins of w.instruments) this.lastWriteSeq[ins.index] = 0;
    const gen = nextGeneration++;
    w.generation = gen;
    const c = w.control;
    c.beginGeneration(gen);
    w.phase = 'starting';
    w.startedAt = performance.now();
    w.lastBeat = c.heartbeat();
    w.lastBeatAt = w.startedAt;
    const abort = new AbortController();
    w.abort = abort;
    const task: PricingTask = {
      worker: w.id,
      generation: gen,
      control: c.sab,
      quotes: w.slots.sab,
      params: this.paramsSab,
      instruments: w.instruments,
      pricerModule: this.pricerModule,
      spinIterations: this.opts.spinIterations,
      waitTimeoutMs: this.opts.waitTimeoutMs,
      timePricingEvery: this.opts.timePricingEvery,
    };
    const p = this.piscina.run(task, { signal: abort.signal }) as Promise<PricingTaskResult>;
    w.task = p.then(
      (res) => {
        if (w.generation !== gen || this.closing) return;
        this.fail(w, gen, 'exit', `pricing worker ${w.id} task returned (${res.reason})`);
      },
      (err: unknown) => {
        if (w.generation !== gen || this.closing) return;
        const exited = err instanceof Error && /exited/.test(err.message);
        this.fail(w, gen, exited ? 'exit' : 'crash', `pricing worker ${w.id} ${exited ? 'exited' : 'failed'}`, err);
      },
    );
  }

  private fail(w: WorkerEntry, gen: number, reason: PricingWorkerError['reason'], message: string, cause?: unknown): void {
    if (w.generation !== gen || w.phase === 'down' || this.closing) return;
    w.phase = 'down';
    this.failures++;
    w.failures++;
    const error = new PricingWorkerError(w.id, reason, message, cause === undefined ? undefined : { cause });
    this.setQuotable(w, false, error);
    this.onWorkerError?.(error);
    // Abort whatever still runs (hung loop): piscina terminates that thread and spawns another.
    const abort = w.abort;
    w.abort = null;
    abort?.abort(error);
    const delay = Math.min(this.opts.restartDelayMs * 2 ** (w.failures - 1), 5000);
    w.restartTimer = setTimeout(() => this.startWorker(w), delay);
    w.restartTimer.unref();
  }

  private check(): void {
    const now = performance.now();
    for (const w of this.workers) {
      const gen = w.generation;
      if (w.phase === 'starting') {
        if (w.control.state() === WORKER_STATE_RUNNING) {
          w.phase = 'running';
          w.lastBeat = w.control.heartbeat();
          w.lastBeatAt = now;
          this.setQuotable(w, true);
        } else if (now - w.startedAt > this.opts.startTimeoutMs) {
          this.fail(w, gen, 'start', `pricing worker ${w.id} did not start within ${this.opts.startTimeoutMs} ms`);
        }
      } else if (w.phase === 'running') {
        const beat = w.control.heartbeat();
        if (beat !== w.lastBeat) {
          w.lastBeat = beat;
          w.lastBeatAt = now;
          // A healthy stretch as long as the hang timeout forgives earlier failures.
          if (w.failures !== 0 && now - w.startedAt > this.opts.heartbeatTimeoutMs) w.failures = 0;
        } else if (now - w.lastBeatAt > this.opts.heartbeatTimeoutMs) {
          this.fail(w, gen, 'hung', `pricing worker ${w.id} heartbeat stalled for ${Math.round(now - w.lastBeatAt)} ms`);
        }
      }
    }
    if (this.readyWaiters.length !== 0 && this.allRunning()) {
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const r of waiters) r();
    }
  }

  private allRunning(): boolean {
    for (const w of this.workers) if (w.phase !== 'running') return false;
    return true;
  }

  private setQuotable(w: WorkerEntry, on: boolean, error?: PricingWorkerError): void {
    const v = on ? 1 : 0;
    for (const ins of w.instruments) {
      if (this.quotable[ins.index] === v) continue;
      this.quotable[ins.index] = v;
      this.onQuotableChange?.(ins.index, on, error);
    }
  }
}

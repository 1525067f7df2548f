/**
 * The message a pricing worker receives once, as its long-lived piscina task. Neutral: imported
 * by the pool (main thread) and the worker. SharedArrayBuffers are shared, not copied.
 */
import type { InstrumentSpec } from './pricer.js';

export interface PricingTaskInstrument {
  /** Index of the instrument in the pool (its parameter row). */
  readonly index: number;
  readonly ring: SharedArrayBuffer;
  readonly ringByteOffset: number;
  readonly spec: InstrumentSpec;
}

export interface PricingTask {
  readonly worker: number;
  readonly generation: number;
  readonly control: SharedArrayBuffer;
  /** Quote slots of this worker's instruments, slot j = instruments[j]. */
  readonly quotes: SharedArrayBuffer;
  readonly params: SharedArrayBuffer;
  readonly instruments: readonly PricingTaskInstrument[];
  /** Absolute path or file URL of the pricer module; null = the default pricer. */
  readonly pricerModule: string | null;
  /** Doorbell polls before sleeping (0 = sleep at once). */
  readonly spinIterations: number;
  /** Longest single Atomics.wait; bounds heartbeat gaps of an idle worker. */
  readonly waitTimeoutMs: number;
  /** Time one pricing call in this many (power of two; 0 = never); others get NaN. */
  readonly timePricingEvery: number;
}

export interface PricingTaskResult {
  readonly generation: number;
  readonly reason: 'stopped' | 'superseded';
  readonly priced: number;
}

/**
 * Piscina worker entry: ONE long-lived task per worker that prices its instruments until told to
 * stop. It imports only rings/ and pricing/ modules (never main-thread code).
 *
 * Loop: load the doorbell; for each instrument whose ring seq moved (or all after a parameter
 * change), read the LATEST tick (intermediate ticks are skipped: latest wins), price it, write the
 * quote slot with the source tick seq; beat the heartbeat. When nothing moved, poll the doorbell
 * `spinIterations` times (the main thread can then see a quote ~1 µs after publishing), then
 * Atomics.wait on it for at most `waitTimeoutMs`. On 2 cores a spinning worker takes the core the
 * event loop needs, so the spin is bounded and 0 turns it off.
 */
import { pathToFileURL } from 'node:url';
import { ControlBlock } from '../rings/control-block.js';
import {
  PARAM_ROW,
  PR_PARAMS,
  PR_POSITION,
  PRICER_PARAMS,
  WORKER_STATE_FAILED,
  WORKER_STATE_RUNNING,
  WORKER_STATE_STARTING,
  WORKER_STATE_STOPPED,
} from '../rings/control-layout.js';
import { F_RECV_NS, TICK_FIELDS } from '../rings/layout.js';
import { QUOTE_STATUS_EMPTY, QUOTE_STATUS_OK } from '../rings/quote-layout.js';
import { QS_PRICING_NS, QS_RECV_NS, QuoteSlots } from '../rings/quote-slot.js';
import { seqNewer } from '../rings/seq.js';
import { TickerRing } from '../rings/ticker-ring.js';
import { price as defaultPrice } from './default-pricer.js';
import { PricerLoadError } from './errors.js';
import { QuoteOut, pricerFromModule } from './pricer.js';
import type { PriceFn } from './pricer.js';
import type { PricingTask, PricingTaskResult } from './task.js';

async function loadPricer(spec: string | null): Promise<PriceFn> {
  if (spec === null) return defaultPrice;
  const url = spec.startsWith('file:') ? spec : pathToFileURL(spec).href;
  let mod: unknown;
  try {
    mod = await import(url);
  } catch (err) {
    throw new PricerLoadError(`cannot load pricer module ${spec}`, { cause: err });
  }
  const fn = pricerFromModule(mod);
  if (fn === null) throw new PricerLoadError(`pricer module ${spec} has no default export function or price()`);
  return fn;
}

export default async function runPricingTask(task: PricingTask): Promise<PricingTaskResult> {
  const ctrl = new ControlBlock(task.control);
  const gen = task.generation;
  if (ctrl.generation() !== gen) return { generation: gen, reason: 'superseded', priced: 0 };
  ctrl.setState(WORKER_STATE_STARTING);
  try {
    const price = await loadPricer(task.pricerModule);
    const priced = loop(task, ctrl, price);
    ctrl.setState(WORKER_STATE_STOPPED);
    return { generation: gen, reason: ctrl.generation() === gen ? 'stopped' : 'superseded', priced };
  } catch (err) {
    ctrl.setState(WORKER_STATE_FAILED);
    throw err;
  }
}

function loop(task: PricingTask, ctrl: ControlBlock, price: PriceFn): number {
  const n = task.instruments.length;
  const gen = task.generation;
  const rings: TickerRing[] = [];
  const ticks: Float64Array[] = [];
  const outs: QuoteOut[] = [];
  const params: Float64Array[] = [];
  const rows = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const ins = task.instruments[j]!;
    rings.push(new TickerRing(ins.ring, ins.ringByteOffset));
    ticks.push(new Float64Array(TICK_FIELDS));
    outs.push(new QuoteOut(ins.spec));
    params.push(new Float64Array(PRICER_PARAMS));
    rows[j] = ins.index * PARAM_ROW;
  }
  const positions = new Float64Array(n);
  const lastSeq = new Int32Array(n);
  const slots = new QuoteSlots(task.quotes, Math.max(1, n));
  const shared = new Float64Array(task.params);
  const spinIterations = task.spinIterations;
  const waitTimeoutMs = task.waitTimeoutMs;
  // performance.now() allocates in Node 20 (an array inside process.hrtime plus the boxed result),
  // so pricing time is sampled once every `timePricingEvery` quotes (a power of two; 0 = never).
  const timeMask = task.timePricingEvery > 0 ? task.timePricingEvery - 1 : -1;
  let timed = 0;
  let seenParams = -1;
  let priced = 0;

  ctrl.setState(WORKER_STATE_RUNNING);
  for (;;) {
    const bell = ctrl.doorbell(); // before the scan: see the doorbell invariant
    if (ctrl.stopRequested() || ctrl.generation() !== gen) break;
    ctrl.beat();

    let repriceAll = false;
    const pv = ctrl.paramsVersion();
    if (pv !== seenParams && (pv & 1) === 0) {
      for (let j = 0; j < n; j++) {
        const row = rows[j]!;
        positions[j] = shared[row + PR_POSITION]!;
        const p = params[j]!;
        for (let k = 0; k < PRICER_PARAMS; k++) p[k] = shared[row + PR_PARAMS + k]!;
      }
      // Keep the copy only if no write overlapped it (seqlock on kParamsVersion).
      if (ctrl.paramsVersion() === pv) {
        seenParams = pv;
        repriceAll = true;
      }
    }

    let did = 0;
    let skipped = 0;
    for (let j = 0; j < n; j++) {
      const ring = rings[j]!;
      const s = ring.latestSeq();
      if (s === 0 || (s === lastSeq[j] && !repriceAll)) continue;
      const tick = ticks[j]!;
      const got = ring.readLatest(tick); // may be newer than s: latest wins
      if (got <= 0) continue; // contended: the doorbell has moved, we come back
      const prev = lastSeq[j]!;
      if (prev !== 0 && seqNewer(got, prev) && got > prev) skipped += got - prev - 1;
      lastSeq[j] = got;
      const out = outs[j]!;
      out.clear();
      const stamps = out.stamps;
      stamps[QS_RECV_NS] = tick[F_RECV_NS]!;
      if (timeMask !== -1 && (timed++ & timeMask) === 0) {
        const t0 = performance.now();
        price(tick, positions[j]!, params[j]!, out);
        stamps[QS_PRICING_NS] = (performance.now() - t0) * 1e6;
      } else {
        price(tick, positions[j]!, params[j]!, out);
        stamps[QS_PRICING_NS] = NaN;
      }
      const status = out.bidCount + out.askCount === 0 ? QUOTE_STATUS_EMPTY : QUOTE_STATUS_OK;
      slots.write(j, got, status, out);
      did++;
    }
    if (did !== 0) {
      priced += did;
      ctrl.countPriced(did);
      if (skipped !== 0) ctrl.countSkipped(skipped);
      ctrl.signalResults();
      continue;
    }
    // Nothing new: bounded spin on the doorbell, then sleep.
    let spins = 0;
    while (spins < spinIterations && ctrl.doorbell() === bell) spins++;
    if (spins >= spinIterations) ctrl.sleep(bell, waitTimeoutMs);
  }
  return priced;
}

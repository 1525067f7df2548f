// Reader side of the ticker-ring stress test, in a real worker thread. Reads the ring until it
// sees seq `last`, checking every accepted tick for consistency and monotonic seqs.
import { workerData, parentPort } from 'node:worker_threads';
import { tickFields } from './tick-fields.mjs';

const { TickerRing } = await import(new URL('../../dist/rings/ticker-ring.js', import.meta.url).href);
const { TICK_FIELDS, F_SEQ_END } = await import(new URL('../../dist/rings/layout.js', import.meta.url).href);
const { sab, last, flags } = workerData;
const ring = new TickerRing(sab);
const ready = new Int32Array(flags);
const out = new Float64Array(TICK_FIELDS);
let reads = 0, torn = 0, backwards = 0, contended = 0, prev = 0, distinct = 0;
Atomics.store(ready, 0, 1);
Atomics.notify(ready, 0);
for (;;) {
  const s = ring.readLatest(out);
  if (s === -1) { contended++; continue; }
  if (s === 0) continue;
  reads++;
  if (s < prev) backwards++;
  if (s !== prev) distinct++;
  prev = s;
  const f = tickFields(s);
  if (out[0] !== s || out[F_SEQ_END] !== s) torn++;
  for (let k = 0; k < f.length; k++) if (out[k + 1] !== f[k]) { torn++; break; }
  if (s === last) break;
}
parentPort.postMessage({ reads, torn, backwards, contended, distinct, lastSeen: prev });

// Writer side of the quote-slot stress test, in a real worker thread: writes quotes 1 … last into
// slot 0, each level a function of the source seq.
import { workerData, parentPort } from 'node:worker_threads';

const { QuoteSlots } = await import(new URL('../../dist/rings/quote-slot.js', import.meta.url).href);
const { sab, last, flags } = workerData;
const slots = new QuoteSlots(sab, 1);
const go = new Int32Array(flags);
const q = {
  bidPrices: new Float64Array(10), bidAmounts: new Float64Array(10),
  askPrices: new Float64Array(10), askAmounts: new Float64Array(10), bidCount: 0, askCount: 0,
  stamps: new Float64Array(2),
};
Atomics.store(go, 0, 1);
Atomics.notify(go, 0);
for (let s = 1; s <= last; s++) {
  const n = (s % 10) + 1;
  for (let k = 0; k < 10; k++) {
    q.bidPrices[k] = s - k; q.bidAmounts[k] = s * 10 + k;
    q.askPrices[k] = s + k; q.askAmounts[k] = s * 20 + k;
  }
  q.bidCount = n; q.askCount = 11 - n;
  q.stamps[0] = s * 3; q.stamps[1] = s * 5;
  slots.write(0, s, 0, q);
}
parentPort.postMessage({ written: last });

import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  QF_ASK_COUNT,
  QF_ASKS,
  QF_BID_COUNT,
  QF_BIDS,
  QF_PRICING_NS,
  QF_RECV_NS,
  QF_SOURCE_SEQ,
  QF_STATUS,
  QF_WRITE_SEQ,
  QUOTE_FIELDS,
} from '../../src/rings/quote-layout.js';
import { QuoteSlots } from '../../src/rings/quote-slot.js';
import { ControlBlock } from '../../src/rings/control-block.js';

function levels(n: number) {
  return {
    bidPrices: new Float64Array(10),
    bidAmounts: new Float64Array(10),
    askPrices: new Float64Array(10),
    askAmounts: new Float64Array(10),
    bidCount: n,
    askCount: n,
    stamps: new Float64Array(2),
  };
}

describe('QuoteSlots (single thread)', () => {
  it('round-trips a quote and tells new from already read', () => {
    const slots = QuoteSlots.create(3);
    const out = new Float64Array(QUOTE_FIELDS);
    expect(slots.read(1, out, 0)).toBe(0);
    const q = levels(2);
    q.bidPrices.set([99, 98]);
    q.bidAmounts.set([1, 2]);
    q.askPrices.set([101, 102]);
    q.askAmounts.set([3, 4]);
    q.stamps.set([7, 300]);
    const w = slots.write(1, 42, 0, q);
    expect(w).toBe(2);
    expect(slots.sourceSeq(1)).toBe(42);
    expect(slots.sourceSeq(0)).toBe(0);
    expect(slots.read(1, out, 0)).toBe(2);
    expect(out[QF_WRITE_SEQ]).toBe(2);
    expect(out[QF_SOURCE_SEQ]).toBe(42);
    expect(out[QF_RECV_NS]).toBe(7);
    expect(out[QF_PRICING_NS]).toBe(300);
    expect(out[QF_STATUS]).toBe(0);
    expect(out[QF_BID_COUNT]).toBe(2);
    expect(out[QF_ASK_COUNT]).toBe(2);
    expect(Array.from(out.subarray(QF_BIDS, QF_BIDS + 4))).toEqual([99, 1, 98, 2]);
    expect(Array.from(out.subarray(QF_ASKS, QF_ASKS + 4))).toEqual([101, 3, 102, 4]);
    expect(slots.read(1, out, 2)).toBe(0); // nothing new
    expect(slots.write(1, 43, 0, q)).toBe(4);
    expect(slots.read(1, out, 2)).toBe(4);
  });

  it('control block: the doorbell wakes only a sleeping worker; generation resets stop', () => {
    const c = ControlBlock.create();
    const seen = c.doorbell();
    c.ring();
    expect(c.doorbell()).toBe(seen + 1);
    c.sleep(seen, 1000); // not-equal: returns at once
    c.requestStop();
    expect(c.stopRequested()).toBe(true);
    c.beginGeneration(7);
    expect(c.stopRequested()).toBe(false);
    expect(c.generation()).toBe(7);
  });
});

describe('QuoteSlots across threads', () => {
  it('the main thread never reads a torn quote while a worker writes 10^6 of them', async () => {
    const last = 1_000_000;
    const slots = QuoteSlots.create(1);
    const flags = new SharedArrayBuffer(4);
    const go = new Int32Array(flags);
    const worker = new Worker(new URL('./quote-writer.worker.mjs', import.meta.url), {
      workerData: { sab: slots.sab, last, flags },
    });
    const done = new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    while (Atomics.load(go, 0) === 0) await new Promise((r) => setTimeout(r, 1));
    const out = new Float64Array(QUOTE_FIELDS);
    let lastWrite = 0;
    let prevSrc = 0;
    let reads = 0;
    let torn = 0;
    let backwards = 0;
    for (;;) {
      const w = slots.read(0, out, lastWrite);
      if (w <= 0) continue;
      lastWrite = w;
      reads++;
      const s = out[QF_SOURCE_SEQ]!;
      if (s <= prevSrc) backwards++;
      prevSrc = s;
      const n = (s % 10) + 1;
      let ok = out[QF_RECV_NS] === s * 3 && out[QF_PRICING_NS] === s * 5 && out[QF_BID_COUNT] === n && out[QF_ASK_COUNT] === 11 - n;
      for (let k = 0; ok && k < n; k++) {
        ok = out[QF_BIDS + 2 * k] === s - k && out[QF_BIDS + 2 * k + 1] === s * 10 + k;
      }
      for (let k = 0; ok && k < 11 - n; k++) {
        ok = out[QF_ASKS + 2 * k] === s + k && out[QF_ASKS + 2 * k + 1] === s * 20 + k;
      }
      if (!ok) torn++;
      if (s === last) break;
    }
    await done;
    await worker.terminate();
    expect(torn).toBe(0);
    expect(backwards).toBe(0);
    expect(reads).toBeGreaterThan(0);
  });
});

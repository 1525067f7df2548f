import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  F_BEST_ASK_PRICE,
  F_BEST_BID_PRICE,
  F_RECV_NS,
  F_SEQ_BEGIN,
  F_SEQ_END,
  H_SLOTS,
  TICK_FIELDS,
  ringBytes,
} from '../../src/rings/layout.js';
import { RingLayoutError } from '../../src/rings/errors.js';
import { SEQ_MAX, nextSeq, seqNewer } from '../../src/rings/seq.js';
import { TickerRing } from '../../src/rings/ticker-ring.js';
// @ts-expect-error plain JS helper shared with the worker scripts
import { tickFields } from './tick-fields.mjs';

const fields = tickFields as (s: number) => number[];

function publishTick(ring: TickerRing, s: number): number {
  const f = fields(s);
  return ring.publish(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, f[8]!, f[9]!, f[10]!, f[11]!, f[12]!);
}

describe('TickerRing (single thread)', () => {
  it('reads back the latest tick whole, 0 before any', () => {
    const ring = TickerRing.create(8);
    const out = new Float64Array(TICK_FIELDS);
    expect(ring.readLatest(out)).toBe(0);
    expect(ring.latestSeq()).toBe(0);
    for (let s = 1; s <= 21; s++) expect(publishTick(ring, s)).toBe(s);
    expect(ring.readLatest(out)).toBe(21);
    expect(out[F_SEQ_BEGIN]).toBe(21);
    expect(out[F_SEQ_END]).toBe(21);
    expect(Array.from(out.subarray(1, F_SEQ_END))).toEqual(fields(21));
    expect(out[F_BEST_BID_PRICE]).toBe(21);
    expect(out[F_BEST_ASK_PRICE]).toBe(42.5);
    expect(out[F_RECV_NS]).toBe(21000);
  });

  it('attaches to an existing buffer (other thread, native writer) and at an offset', () => {
    const sab = new SharedArrayBuffer(64 + ringBytes(4));
    const w = TickerRing.create(4, sab, 64);
    publishTick(w, 1);
    const r = new TickerRing(sab, 64);
    expect(r.slots).toBe(4);
    const out = new Float64Array(TICK_FIELDS);
    expect(r.readLatest(out)).toBe(1);
    expect(out[2]).toBe(1.25);
  });

  it('rejects bad layouts with RING_ERR_LAYOUT', () => {
    expect(() => TickerRing.create(3)).toThrow(RingLayoutError);
    expect(() => new TickerRing(new SharedArrayBuffer(ringBytes(8)))).toThrow(/power of two/);
    const sab = new SharedArrayBuffer(ringBytes(2));
    new Int32Array(sab)[H_SLOTS] = 8;
    try {
      new TickerRing(sab);
      expect.unreachable();
    } catch (e) {
      expect((e as RingLayoutError).code).toBe('RING_ERR_LAYOUT');
    }
  });

  it('sequences wrap from 2^31-1 to 1 and compare newer across the wrap', () => {
    expect(nextSeq(SEQ_MAX)).toBe(1);
    expect(nextSeq(5)).toBe(6);
    expect(seqNewer(6, 5)).toBe(true);
    expect(seqNewer(5, 6)).toBe(false);
    expect(seqNewer(1, SEQ_MAX)).toBe(true);
    expect(seqNewer(SEQ_MAX, 1)).toBe(false);
    expect(seqNewer(1, 0)).toBe(true);
    expect(seqNewer(0, 1)).toBe(false);
  });
});

interface ReaderResult {
  reads: number;
  torn: number;
  backwards: number;
  contended: number;
  distinct: number;
  lastSeen: number;
}

async function stress(slots: number, last: number): Promise<ReaderResult> {
  const ring = TickerRing.create(slots);
  const flags = new SharedArrayBuffer(4);
  const ready = new Int32Array(flags);
  const worker = new Worker(new URL('./ring-reader.worker.mjs', import.meta.url), {
    workerData: { sab: ring.sab, last, flags },
  });
  const result = new Promise<ReaderResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  // Wait (asynchronously, so the worker can start) until the reader is in its loop.
  while (Atomics.load(ready, 0) === 0) await new Promise((r) => setTimeout(r, 1));
  for (let s = 1; s <= last; s++) publishTick(ring, s);
  const r = await result;
  await worker.terminate();
  return r;
}

describe('TickerRing across threads', () => {
  it('a worker reading while the main thread publishes 10^6 ticks never sees a torn tick (8 slots)', async () => {
    const r = await stress(8, 1_000_000);
    expect(r.torn).toBe(0);
    expect(r.backwards).toBe(0);
    expect(r.lastSeen).toBe(1_000_000);
    expect(r.reads).toBeGreaterThan(0);
  });

  it('the same with a 2-slot ring, where the writer laps the reader constantly', async () => {
    const r = await stress(2, 1_000_000);
    expect(r.torn).toBe(0);
    expect(r.backwards).toBe(0);
    expect(r.lastSeen).toBe(1_000_000);
  });
});

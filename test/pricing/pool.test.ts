import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPricerParams } from '../../src/pricing/default-pricer.js';
import { PricingWorkerError } from '../../src/pricing/errors.js';
import { PricingPool } from '../../src/pricing/pool.js';
import type { PricingPoolOptions } from '../../src/pricing/pool.js';
import type { InstrumentSpec } from '../../src/pricing/pricer.js';
import { siblingJsFile } from '../../src/pricing/worker-file.js';
import {
  QF_ASK_COUNT,
  QF_ASKS,
  QF_BID_COUNT,
  QF_BIDS,
  QF_SOURCE_SEQ,
  QUOTE_FIELDS,
} from '../../src/rings/quote-layout.js';

const CHAOS = fileURLToPath(new URL('../fixtures/pricers/chaos.mjs', import.meta.url));
const OBJECT_EXPORT = new URL('../fixtures/pricers/object-export.mjs', import.meta.url).href;
const SLOW_MARK = new URL('../fixtures/pricers/slow-mark.mjs', import.meta.url).href;
const BTC: InstrumentSpec = { name: 'BTC-PERPETUAL', tickSize: 0.5, volumeTickSize: 0.001, minOrderAmount: 0.001 };
const ETH: InstrumentSpec = { name: 'ETH-PERPETUAL', tickSize: 0.05, volumeTickSize: 0.01, minOrderAmount: 0.01 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `cond` every few ms; fails only after a generous deadline (no timing assertions). */
async function waitFor(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const pools: PricingPool[] = [];
function makePool(o: PricingPoolOptions): PricingPool {
  const p = new PricingPool(o);
  pools.push(p);
  return p;
}
afterEach(async () => {
  while (pools.length > 0) await pools.pop()!.close();
});

/** Publish a tick on instrument i with best bid/ask and wait for its quote; returns it. */
async function quoteFor(pool: PricingPool, i: number, bid: number, ask: number, out: Float64Array): Promise<number> {
  const s = pool.publish(i, bid, 1, ask, 1, (bid + ask) / 2, 0, 0, 0, 0, 0);
  await waitFor(() => pool.awaitQuoteSpin(i, s, 1000), `quote for seq ${s}`);
  await waitFor(() => pool.pollQuote(i, out) && out[QF_SOURCE_SEQ] === s, `poll of seq ${s}`);
  return s;
}

describe('worker file resolution', () => {
  it('maps src/*.ts to dist/*.js and leaves built files alone', () => {
    expect(siblingJsFile('file:///repo/src/pricing/pool.ts', './worker.js')).toBe('/repo/dist/pricing/worker.js');
    expect(siblingJsFile('file:///repo/dist/pricing/pool.js', './worker.js')).toBe('/repo/dist/pricing/worker.js');
  });
});

describe('PricingPool (real piscina workers)', () => {
  it('prices published ticks with the default pricer: spread, rounding, ladder, skew', async () => {
    const pool = makePool({
      instruments: [BTC, ETH],
      params: [
        defaultPricerParams({ spreadTicks: 3, size: 0.1234 }),
        defaultPricerParams({ spreadTicks: 2, levels: 3, levelStepTicks: 2, size: 1, sizeGrowth: 2 }),
      ],
    });
    await pool.ready();
    expect(pool.isQuotable(0) && pool.isQuotable(1)).toBe(true);
    const out = new Float64Array(QUOTE_FIELDS);

    await quoteFor(pool, 0, 100, 100.5, out);
    expect(out[QF_BID_COUNT]).toBe(1);
    expect([out[QF_BIDS], out[QF_BIDS + 1], out[QF_ASKS], out[QF_ASKS + 1]]).toEqual([99.5, 0.123, 101, 0.123]);

    await quoteFor(pool, 1, 2000, 2000, out);
    expect(out[QF_BID_COUNT]).toBe(3);
    expect(out[QF_ASK_COUNT]).toBe(3);
    expect(Array.from(out.subarray(QF_BIDS, QF_BIDS + 6))).toEqual([1999.95, 1, 1999.85, 2, 1999.75, 4]);
    expect(Array.from(out.subarray(QF_ASKS, QF_ASKS + 6))).toEqual([2000.05, 1, 2000.15, 2, 2000.25, 4]);

    // Skew and position: a run-time parameter change, picked up by the worker and re-priced.
    pool.setParams(0, defaultPricerParams({ spreadTicks: 2, skew: 0.5, size: 1 }));
    pool.setPosition(0, 2); // centre 100.25 − 1 = 99.25 → 98.5 / 100
    await waitFor(() => pool.pollQuote(0, out) && out[QF_BIDS] === 98.5, 'skewed quote');
    expect(out[QF_ASKS]).toBe(100);
  });

  it('latest wins: a slow pricer skips intermediate ticks and never goes back to an older one', async () => {
    const pool = makePool({ instruments: [BTC], pricerModule: CHAOS, params: [4, 2] /* 2 ms per price */ });
    await pool.ready();
    const out = new Float64Array(QUOTE_FIELDS);
    const seen: number[] = [];
    let last = 0;
    // Fast feed: ~3000 ticks, polling between them, far faster than 2 ms per quote.
    for (let k = 0; k < 3000; k++) {
      last = pool.publish(0, 100 + k, 1, 101 + k, 1, 100, 0, 0, 0, 0, 0);
      if (pool.pollQuote(0, out)) seen.push(out[QF_SOURCE_SEQ]!);
      const until = performance.now() + 0.02;
      while (performance.now() < until);
    }
    await waitFor(() => {
      if (pool.pollQuote(0, out)) seen.push(out[QF_SOURCE_SEQ]!);
      return seen.at(-1) === last;
    }, 'quote of the last tick');
    for (let k = 1; k < seen.length; k++) expect(seen[k]!).toBeGreaterThan(seen[k - 1]!);
    expect(seen.length).toBeLessThan(last); // intermediate ticks were skipped
    expect(pool.stats()[0]!.skipped).toBeGreaterThan(0);
    expect(pool.staleQuotes).toBe(0);
  });

  for (const [mode, name, reason] of [
    [1, 'a pricer that throws', 'crash'],
    [2, 'a worker that exits', 'exit'],
    [3, 'a hung pricer (infinite loop)', 'hung'],
  ] as const) {
    it(`${name} is detected and replaced; its instruments go not quotable, then quotable again`, async () => {
      const changes: Array<[number, boolean]> = [];
      const errors: PricingWorkerError[] = [];
      const pool = makePool({
        instruments: [BTC, ETH],
        workers: 2,
        pricerModule: CHAOS,
        params: [0],
        heartbeatTimeoutMs: 400,
        onQuotableChange: (i, q) => changes.push([i, q]),
        onWorkerError: (e) => errors.push(e),
      });
      await pool.ready();
      const out = new Float64Array(QUOTE_FIELDS);
      await quoteFor(pool, 0, 100, 101, out);
      await quoteFor(pool, 1, 200, 201, out);
      const gen0 = pool.stats()[0]!.generation;

      pool.setParams(0, [mode]); // instrument 0 lives on worker 0
      await waitFor(() => errors.length > 0, 'failure detection');
      expect(errors[0]).toBeInstanceOf(PricingWorkerError);
      expect(errors[0]!.code).toBe('PRICING_ERR_WORKER');
      expect(errors[0]!.reason).toBe(reason);
      expect(errors[0]!.worker).toBe(0);
      expect(pool.isQuotable(0)).toBe(false);
      expect(pool.pollQuote(0, out)).toBe(false);
      expect(pool.isQuotable(1)).toBe(true); // the other worker is untouched

      pool.setParams(0, [0]); // heal the pricer so the replacement stays up
      await waitFor(() => pool.isQuotable(0), 'replacement running');
      expect(pool.stats()[0]!.generation).toBeGreaterThan(gen0);
      await quoteFor(pool, 0, 300, 301, out);
      expect([out[QF_BIDS], out[QF_ASKS]]).toEqual([299.5, 301.5]);
      expect(changes).toContainEqual([0, false]);
      expect(changes.at(-1)).toEqual([0, true]);
      expect(changes.some(([i, q]) => i === 1 && !q)).toBe(false);
    });
  }

  it('loads a pricer module exported as { price } from a file URL', async () => {
    const pool = makePool({ instruments: [BTC], pricerModule: OBJECT_EXPORT });
    await pool.ready();
    const out = new Float64Array(QUOTE_FIELDS);
    const s = pool.publish(0, NaN, 0, NaN, 0, 500, 0, 0, 0, 0, 0);
    await waitFor(() => pool.pollQuote(0, out) && out[QF_SOURCE_SEQ] === s, 'quote');
    expect([out[QF_BIDS], out[QF_BIDS + 1], out[QF_ASKS]]).toEqual([498, 3, 502]);
  });

  it('close() stops the loops and leaves no thread running', async () => {
    const pool = new PricingPool({ instruments: [BTC, ETH], workers: 2, spinIterations: 0 });
    await pool.ready();
    expect(pool.threadCount).toBe(2);
    await pool.close();
    expect(pool.threadCount).toBe(0);
    expect(pool.isQuotable(0)).toBe(false);
    for (const s of pool.stats()) expect(s.phase).toBe('stopped');
  });

  it('close() also ends a hung worker', async () => {
    const pool = new PricingPool({ instruments: [BTC], pricerModule: CHAOS, params: [3], heartbeatTimeoutMs: 60_000 });
    await pool.ready();
    pool.publish(0, 1, 1, 2, 1, 1, 0, 0, 0, 0, 0);
    await sleep(50);
    await pool.close(200);
    expect(pool.threadCount).toBe(0);
  });

  it('awaitResults: the worker wakes a main thread that stopped polling, when its quote lands', async () => {
    // The pricer busy-waits 100 ms; the wait's own bound is a minute, so only the worker's
    // signal can end it within the test's bound.
    const pool = makePool({ instruments: [BTC], pricerModule: SLOW_MARK, params: [[100]], resultWaitMs: 60_000 });
    await pool.ready();
    const out = new Float64Array(QUOTE_FIELDS);
    for (let round = 0; round < 2; round++) {
      const s = pool.publish(0, 100, 1, 101, 1, 100.5 + round, 0, 0, 0, 0, 0);
      let landed = false;
      const armed = pool.awaitResults(() => (landed = pool.awaitQuoteSpin(0, s, 0)));
      expect(armed).toBe(true); // the worker is busy for 100 ms: nothing landed while arming
      await waitFor(() => landed, `the signal after the quote of seq ${s}`, 10_000);
      expect(pool.pollQuote(0, out) && out[QF_SOURCE_SEQ] === s).toBe(true);
    }
  });
});

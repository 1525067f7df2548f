import { describe, expect, it } from 'vitest';
import { defaultPricerParams } from '../../src/pricing/default-pricer.js';
import { InlinePricer } from '../../src/pricing/inline-pricer.js';
import { PricingPool } from '../../src/pricing/pool.js';
import type { InstrumentSpec } from '../../src/pricing/pricer.js';
import { QF_ASKS, QF_BIDS, QF_SOURCE_SEQ, QUOTE_FIELDS } from '../../src/rings/quote-layout.js';
import {
  F_BEST_ASK_AMOUNT,
  F_BEST_ASK_PRICE,
  F_BEST_BID_AMOUNT,
  F_BEST_BID_PRICE,
  F_MARK_PRICE,
  F_RECV_NS,
  TICK_FIELDS,
} from '../../src/rings/layout.js';
import { gcsDuring } from '../helpers/gc-count.js';

const BTC: InstrumentSpec = { name: 'BTC-PERPETUAL', tickSize: 0.5, volumeTickSize: 0.001, minOrderAmount: 0.001 };
const ETH: InstrumentSpec = { name: 'ETH-PERPETUAL', tickSize: 0.05, volumeTickSize: 0.01, minOrderAmount: 0.01 };

describe('inline pricer', () => {
  it('writes the same quote-slot format, synchronously', () => {
    const p = new InlinePricer({ instruments: [BTC], params: defaultPricerParams({ spreadTicks: 3, size: 1 }) });
    const out = new Float64Array(QUOTE_FIELDS);
    expect(p.pollQuote(0, out)).toBe(false);
    const s = p.publish(0, 100, 1, 100.5, 1, 100, 0, 0, 0, 0, 0);
    expect(p.awaitQuoteSpin(0, s, 0)).toBe(true);
    expect(p.pollQuote(0, out)).toBe(true);
    expect([out[QF_SOURCE_SEQ], out[QF_BIDS], out[QF_ASKS]]).toEqual([s, 99.5, 101]);
    expect(p.pollQuote(0, out)).toBe(false); // nothing new
    p.setPosition(0, 1);
    p.setParams(0, defaultPricerParams({ spreadTicks: 3, size: 1, skew: 1 }));
    expect(p.pollQuote(0, out)).toBe(true);
    expect(out[QF_BIDS]).toBe(98.5);
  });
});

describe('hot path allocation (GC count)', () => {
  it('main-thread publish + poll with the inline pricer allocates nothing', async () => {
    const p = new InlinePricer({
      instruments: [BTC, ETH],
      params: [defaultPricerParams({ spreadTicks: 2, levels: 5, size: 1, sizeGrowth: 1.2 }), defaultPricerParams({ spreadBps: 5, size: 2 })],
    });
    const out = new Float64Array(QUOTE_FIELDS);
    const tick = new Float64Array(TICK_FIELDS); // staging, as a JS decoder would fill it
    const loop = (n: number) => {
      let polled = 0;
      for (let k = 0; k < n; k++) {
        const i = k & 1;
        const mid = 60_000.25 + (k % 1000) * 0.5;
        tick[F_BEST_BID_PRICE] = mid - 0.5;
        tick[F_BEST_BID_AMOUNT] = 1.5;
        tick[F_BEST_ASK_PRICE] = mid + 0.5;
        tick[F_BEST_ASK_AMOUNT] = 2.25;
        tick[F_MARK_PRICE] = mid;
        tick[F_RECV_NS] = k * 1000.5;
        p.publishFrom(i, tick);
        if (p.pollQuote(i, out)) polled++;
      }
      return polled;
    };
    loop(50_000); // warm-up: let the JIT settle
    let polled = 0;
    const gcs = await gcsDuring(() => {
      polled = loop(500_000);
    });
    expect(polled).toBe(500_000);
    expect(gcs).toBe(0);
  });

  it('main-thread publish + awaitQuoteSpin + poll against a worker allocates nothing', async () => {
    const pool = new PricingPool({ instruments: [BTC], params: defaultPricerParams({ spreadTicks: 2, size: 1 }), spinIterations: 100_000 });
    try {
      await pool.ready();
      const out = new Float64Array(QUOTE_FIELDS);
      const tick = new Float64Array(TICK_FIELDS);
      const loop = (n: number) => {
        let got = 0;
        for (let k = 0; k < n; k++) {
          tick[F_BEST_BID_PRICE] = 100.25 + (k % 50);
          tick[F_BEST_ASK_PRICE] = 101.75 + (k % 50);
          tick[F_RECV_NS] = k * 0.5;
          const s = pool.publishFrom(0, tick);
          if (pool.awaitQuoteSpin(0, s, 1_000_000) && pool.pollQuote(0, out)) got++;
        }
        return got;
      };
      loop(5_000);
      let got = 0;
      const gcs = await gcsDuring(() => {
        got = loop(50_000);
      });
      expect(got).toBeGreaterThan(0);
      expect(gcs).toBe(0);
    } finally {
      await pool.close();
    }
  });
});

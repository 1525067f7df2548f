import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DP_LEVELS,
  DP_MAX_SIZE,
  DP_SIZE,
  DP_SPREAD_TICKS,
  defaultPricerParams,
  price,
} from '../../src/pricing/default-pricer.js';
import { QuoteOut, roundDownTo, roundUpTo } from '../../src/pricing/pricer.js';
import type { InstrumentSpec } from '../../src/pricing/pricer.js';
import { F_BEST_ASK_PRICE, F_BEST_BID_PRICE, F_MARK_PRICE, TICK_FIELDS } from '../../src/rings/layout.js';
import { PRICER_PARAMS } from '../../src/rings/control-layout.js';

const BTC: InstrumentSpec = { name: 'BTC-PERPETUAL', tickSize: 0.5, volumeTickSize: 0.001, minOrderAmount: 0.001 };
const OPT: InstrumentSpec = { name: 'BTC-OPT', tickSize: 0.1, volumeTickSize: 0.01, minOrderAmount: 0.1 };

function tick(bid: number, ask: number, mark = NaN): Float64Array {
  const t = new Float64Array(TICK_FIELDS);
  t[F_BEST_BID_PRICE] = bid;
  t[F_BEST_ASK_PRICE] = ask;
  t[F_MARK_PRICE] = mark;
  return t;
}

function params(p: Parameters<typeof defaultPricerParams>[0]): Float64Array {
  return defaultPricerParams(p, new Float64Array(PRICER_PARAMS));
}

function run(spec: InstrumentSpec, t: Float64Array, position: number, p: Float64Array): QuoteOut {
  const out = new QuoteOut(spec);
  out.clear();
  price(t, position, p, out);
  return out;
}

const onStep = (x: number, step: number) => Math.abs(x / step - Math.round(x / step)) < 1e-9;

describe('default pricer', () => {
  it('quotes mid ± spread/2, bids rounded down and asks up to the tick', () => {
    // mid 100.25, half spread 3 ticks × 0.5 / 2 = 0.75 → 99.5 / 101.0
    const q = run(BTC, tick(100, 100.5), 0, params({ spreadTicks: 3, size: 0.1234 }));
    expect(q.bidCount).toBe(1);
    expect(q.askCount).toBe(1);
    expect(q.bidPrices[0]).toBe(99.5);
    expect(q.askPrices[0]).toBe(101);
    expect(q.bidAmounts[0]).toBe(0.123); // down to the lot
    expect(q.askAmounts[0]).toBe(0.123);
  });

  it('spread in basis points of the mid', () => {
    // mid 1000, 20 bps → half 1.0 → 999 / 1001 on a 0.1 tick
    const q = run(OPT, tick(999.9, 1000.1), 0, params({ spreadBps: 20, size: 1 }));
    expect(q.bidPrices[0]).toBe(999);
    expect(q.askPrices[0]).toBe(1001);
  });

  it('inventory skew shifts both sides by −skew × position', () => {
    const p = params({ spreadTicks: 2, skew: 0.5, size: 1 });
    const flat = run(BTC, tick(100, 100), 0, p);
    const long = run(BTC, tick(100, 100), 2, p); // centre 99
    const short = run(BTC, tick(100, 100), -2, p); // centre 101
    expect([flat.bidPrices[0], flat.askPrices[0]]).toEqual([99.5, 100.5]);
    expect([long.bidPrices[0], long.askPrices[0]]).toEqual([98.5, 99.5]);
    expect([short.bidPrices[0], short.askPrices[0]]).toEqual([100.5, 101.5]);
  });

  it('ladders: n levels, step in ticks, size growth, capped and on the lot', () => {
    const q = run(BTC, tick(100, 100), 0, params({ spreadTicks: 2, levels: 4, levelStepTicks: 2, size: 1, sizeGrowth: 1.5, maxSize: 3 }));
    expect(q.bidCount).toBe(4);
    expect(Array.from(q.bidPrices.subarray(0, 4))).toEqual([99.5, 98.5, 97.5, 96.5]);
    expect(Array.from(q.askPrices.subarray(0, 4))).toEqual([100.5, 101.5, 102.5, 103.5]);
    expect(Array.from(q.bidAmounts.subarray(0, 4))).toEqual([1, 1.5, 2.25, 3]); // 3.375 capped at 3
  });

  it('drops levels under min_order_amount', () => {
    // sizes 0.2, 0.1, 0.05 (< 0.1 minimum): two levels survive
    const q = run(OPT, tick(10, 10), 0, params({ spreadTicks: 2, levels: 3, size: 0.2, sizeGrowth: 0.5 }));
    expect(q.bidCount).toBe(2);
    expect(q.askCount).toBe(2);
    const none = run(OPT, tick(10, 10), 0, params({ spreadTicks: 2, size: 0.05 }));
    expect(none.bidCount + none.askCount).toBe(0);
  });

  it('falls back to the mark price when a book side is missing; no quote without either', () => {
    const q = run(BTC, tick(NaN, 100.5, 200), 0, params({ spreadTicks: 2, size: 1 }));
    expect([q.bidPrices[0], q.askPrices[0]]).toEqual([199.5, 200.5]);
    const none = run(BTC, tick(NaN, NaN, NaN), 0, params({ spreadTicks: 2, size: 1 }));
    expect(none.bidCount + none.askCount).toBe(0);
  });

  it('never crosses itself, even with a zero spread', () => {
    const q = run(BTC, tick(100, 100), 0, params({ spreadTicks: 0, size: 1 }));
    expect(q.askPrices[0]! - q.bidPrices[0]!).toBeGreaterThanOrEqual(0.5);
  });

  it('rounding helpers land exactly on decimal ticks', () => {
    expect(roundDownTo(0.35, 0.1)).toBe(0.3);
    expect(roundUpTo(0.31, 0.1)).toBe(0.4);
    expect(roundUpTo(0.3, 0.1)).toBe(0.3);
    expect(roundDownTo(65000.74, 0.5)).toBe(65000.5);
  });

  it('property: bid < ask, prices on tick, amounts on lot, never above max size', () => {
    const specs = fc.constantFrom<InstrumentSpec>(
      BTC,
      OPT,
      { name: 'ETH', tickSize: 0.05, volumeTickSize: 0.01, minOrderAmount: 0.01 },
      { name: 'X', tickSize: 1, volumeTickSize: 1, minOrderAmount: 1 },
    );
    fc.assert(
      fc.property(
        specs,
        fc.double({ min: 1, max: 100_000, noNaN: true }),
        fc.double({ min: 0, max: 0.01, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (spec, mid, halfWidth, spreadTicks, levels, step, size, growth, maxSize, position, skew) => {
          const p = params({ spreadTicks, levels, levelStepTicks: step, size, sizeGrowth: growth, maxSize, skew });
          const q = run(spec, tick(mid * (1 - halfWidth), mid * (1 + halfWidth)), position, p);
          expect(q.bidCount).toBeLessThanOrEqual(levels);
          if (q.bidCount > 0 && q.askCount > 0) expect(q.bidPrices[0]!).toBeLessThan(q.askPrices[0]!);
          for (let k = 0; k < q.bidCount; k++) {
            expect(onStep(q.bidPrices[k]!, spec.tickSize)).toBe(true);
            expect(onStep(q.bidAmounts[k]!, spec.volumeTickSize)).toBe(true);
            expect(q.bidAmounts[k]!).toBeGreaterThanOrEqual(spec.minOrderAmount);
            if (maxSize > 0) expect(q.bidAmounts[k]!).toBeLessThanOrEqual(maxSize);
            if (k > 0) expect(q.bidPrices[k]!).toBeLessThan(q.bidPrices[k - 1]!);
          }
          for (let k = 0; k < q.askCount; k++) {
            expect(onStep(q.askPrices[k]!, spec.tickSize)).toBe(true);
            expect(onStep(q.askAmounts[k]!, spec.volumeTickSize)).toBe(true);
            if (maxSize > 0) expect(q.askAmounts[k]!).toBeLessThanOrEqual(maxSize);
            if (k > 0) expect(q.askPrices[k]!).toBeGreaterThan(q.askPrices[k - 1]!);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('param indices are stable', () => {
    expect([DP_SPREAD_TICKS, DP_LEVELS, DP_SIZE, DP_MAX_SIZE]).toEqual([0, 3, 5, 7]);
  });
});

describe('default pricer regressions', () => {
  it('a max size just under a lot boundary is not rounded up past the cap', () => {
    const out = new QuoteOut({ name: 'X', tickSize: 1, volumeTickSize: 1, minOrderAmount: 1 });
    const p = defaultPricerParams({ spreadTicks: 2, size: 500, maxSize: 99.99999999999899 }, new Float64Array(PRICER_PARAMS));
    price(tick(100, 100), 0, p, out);
    expect(out.bidAmounts[0]).toBe(99);
  });
});

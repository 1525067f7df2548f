import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Delta, black76Price, black76Vega, SECONDS_PER_YEAR } from '../../src/pricing/black76.js';
import { DP_SIZE, DP_SPREAD_TICKS } from '../../src/pricing/default-pricer.js';
import {
  defaultOptionsParams,
  OP_DELTA_LIMIT,
  OP_DELTA_SKEW,
  OP_LEVELS,
  OP_MAX_SIZE,
  OP_MIN_WIDTH_TICKS,
  OP_NET_DELTA,
  OP_NET_VEGA,
  OP_VEGA_LIMIT,
  OP_VEGA_SIZE,
  OP_VEGA_SKEW,
  OP_WIDTH_VOL,
  price,
} from '../../src/pricing/options-pricer.js';
import { QuoteOut, type InstrumentSpec } from '../../src/pricing/pricer.js';
import { EXPIRY, F, NOW, params, spec, T, tick } from './options-fixtures.js';
import { PRICER_PARAMS } from '../../src/rings/control-layout.js';
import * as L from '../../src/rings/layout.js';

function run(s: InstrumentSpec, t: Float64Array, p: Float64Array): QuoteOut {
  const out = new QuoteOut(s);
  price(t, 0, p, out);
  return out;
}

describe('options pricer', () => {
  it('quotes mark iv ± half the width in vol points, rounded outwards to the tick', () => {
    const out = run(spec('call'), tick(), params({ [OP_WIDTH_VOL]: 2 }));
    expect([out.bidCount, out.askCount]).toEqual([1, 1]);
    const lo = black76Price(true, F, 100_000, T, 0.54);
    const hi = black76Price(true, F, 100_000, T, 0.56);
    expect(out.bidPrices[0]).toBe(Math.floor(lo / 5) * 5);
    expect(out.askPrices[0]).toBe(Math.ceil(hi / 5) * 5);
    const theo = black76Price(true, F, 100_000, T, 0.55);
    expect(out.bidPrices[0]!).toBeLessThan(theo);
    expect(out.askPrices[0]!).toBeGreaterThan(theo);
  });

  it('keeps the width floor in ticks where vol points are worth less than a tick (far wing)', () => {
    const out = run(spec('call', 140_000), tick(), params({ [OP_WIDTH_VOL]: 1, [OP_MIN_WIDTH_TICKS]: 4 }));
    expect([out.bidCount, out.askCount]).toEqual([1, 1]);
    expect(out.askPrices[0]! - out.bidPrices[0]!).toBeGreaterThanOrEqual(20);
  });

  it('scales size by vega: equal vega per quote, capped, on the lot', () => {
    const atm = run(spec('call', 95_000), tick(), params());
    const wing = run(spec('call', 130_000), tick(), params());
    const vAtm = black76Vega(F, 95_000, T, 0.55) / 100;
    expect(atm.bidAmounts[0]).toBeCloseTo(Math.floor((100 / vAtm) * 100) / 100, 9);
    expect(wing.bidAmounts[0]!).toBeGreaterThan(atm.bidAmounts[0]!);
    const capped = run(spec('call', 130_000), tick(), params({ [OP_MAX_SIZE]: 0.5 }));
    expect(capped.bidAmounts[0]).toBe(0.5);
  });

  it('skews by portfolio delta (calls cheaper, puts dearer when long delta) and vega (all cheaper when long vega)', () => {
    const base = { [OP_WIDTH_VOL]: 2 };
    const c0 = run(spec('call', 95_000), tick(), params(base));
    const p0 = run(spec('put', 95_000), tick(), params(base));
    const longDelta = { ...base, [OP_DELTA_SKEW]: 200, [OP_NET_DELTA]: 2 };
    const c1 = run(spec('call', 95_000), tick(), params(longDelta));
    const p1 = run(spec('put', 95_000), tick(), params(longDelta));
    expect(c1.bidPrices[0]!).toBeLessThan(c0.bidPrices[0]!);
    expect(p1.askPrices[0]!).toBeGreaterThan(p0.askPrices[0]!);
    const d = black76Delta(true, F, 95_000, T, 0.55);
    expect(c0.bidPrices[0]! - c1.bidPrices[0]!).toBeGreaterThanOrEqual(Math.floor(400 * d / 5) * 5 - 5);
    const longVega = { ...base, [OP_VEGA_SKEW]: 0.001, [OP_NET_VEGA]: 2000 }; // 2 vol points lower
    const c2 = run(spec('call', 95_000), tick(), params(longVega));
    const p2 = run(spec('put', 95_000), tick(), params(longVega));
    expect(c2.askPrices[0]!).toBeLessThan(c0.askPrices[0]!);
    expect(p2.askPrices[0]!).toBeLessThan(p0.askPrices[0]!);
    expect(c2.askPrices[0]).toBe(Math.ceil(black76Price(true, F, 95_000, T, 0.54) / 5) * 5);
  });

  it('never quotes through the collar nor the opposite best', () => {
    const theo = black76Price(true, F, 100_000, T, 0.55);
    const out = run(spec('call'), tick({ F_COLLAR_HIGH: theo - 103, F_COLLAR_LOW: theo + 152 }), params({ [OP_LEVELS]: 3 }));
    expect(out.bidPrices[0]).toBe(Math.floor((theo - 103) / 5) * 5);
    expect(out.askPrices[0]).toBe(Math.ceil((theo + 152) / 5) * 5);
    expect(out.bidPrices[1]!).toBeLessThan(out.bidPrices[0]!);
    expect(out.askPrices[1]!).toBeGreaterThan(out.askPrices[0]!);
    const book = run(spec('call'), tick({ F_BEST_ASK_PRICE: theo - 200, F_BEST_BID_PRICE: theo + 200 }), params());
    expect(book.bidPrices[0]!).toBeLessThan(theo - 200);
    expect(book.askPrices[0]!).toBeGreaterThan(theo + 200);
  });

  it('at the net delta limit quotes only the delta-reducing side, at the vega limit only the selling side', () => {
    const atLimit = { [OP_DELTA_LIMIT]: 1, [OP_NET_DELTA]: 1.2 };
    const call = run(spec('call', 95_000), tick(), params(atLimit));
    const put = run(spec('put', 95_000), tick(), params(atLimit));
    expect([call.bidCount, call.askCount]).toEqual([0, 1]); // buying a call adds delta
    expect([put.bidCount, put.askCount]).toEqual([1, 0]); // selling a put adds delta
    const short = run(spec('call', 95_000), tick(), params({ [OP_DELTA_LIMIT]: 1, [OP_NET_DELTA]: -1 }));
    expect([short.bidCount, short.askCount]).toEqual([1, 0]);
    const vega = run(spec('put', 95_000), tick(), params({ [OP_VEGA_LIMIT]: 500, [OP_NET_VEGA]: 600 }));
    expect([vega.bidCount, vega.askCount]).toEqual([0, 1]);
  });

  it('does not quote without iv or forward, after expiry, or within minExpirySecs of it', () => {
    expect(run(spec('call'), tick({ F_IV: Number.NaN }), params()).askCount).toBe(0);
    expect(run(spec('call'), tick({ F_FORWARD: Number.NaN, F_INDEX: Number.NaN }), params()).askCount).toBe(0);
    expect(run(spec('call'), tick({ F_MARK_TIMESTAMP: EXPIRY - 100 }), params()).askCount).toBe(0);
    expect(run(spec('call'), tick({ F_MARK_TIMESTAMP: EXPIRY + 100 }), params()).askCount).toBe(0);
    // Falls back to the index when the ticker has no forward.
    expect(run(spec('call'), tick({ F_FORWARD: Number.NaN }), params()).askCount).toBe(1);
  });

  it('prices a non-option with the default pricer from the same row', () => {
    const p = params({ [DP_SPREAD_TICKS]: 2, [DP_SIZE]: 1 });
    const out = run(spec(undefined), tick({ F_BEST_BID_PRICE: 95_000, F_BEST_ASK_PRICE: 95_010 }), p);
    expect([out.bidPrices[0], out.askPrices[0], out.bidAmounts[0]]).toEqual([95_000, 95_010, 1]);
  });

  it('any market: prices on tick, bids ≤ collar_high and < best ask, asks ≥ collar_low and > best bid, ladders monotonic', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'call' | 'put'>('call', 'put'),
        fc.integer({ min: 12, max: 40 }).map((k) => k * 5_000),
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        fc.integer({ min: 1, max: 180 }),
        fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (kind, strike, iv, days, lo, hi, levels, netDelta) => {
          const t = tick({ F_IV: iv, F_MARK_TIMESTAMP: EXPIRY - days * 86_400 });
          const theo = black76Price(kind === 'call', F, strike, days / 365, iv);
          t[L.F_COLLAR_LOW] = theo * lo * 0.5;
          t[L.F_COLLAR_HIGH] = Math.max(5, theo * hi);
          const out = run(spec(kind, strike), t, params({ [OP_LEVELS]: levels, [OP_DELTA_SKEW]: 100, [OP_NET_DELTA]: netDelta }));
          for (let k = 0; k < out.bidCount; k++) {
            const b = out.bidPrices[k]!;
            expect(b % 5).toBe(0);
            expect(b).toBeGreaterThan(0);
            expect(b).toBeLessThanOrEqual(t[L.F_COLLAR_HIGH]!);
            if (k > 0) expect(b).toBeLessThan(out.bidPrices[k - 1]!);
          }
          for (let k = 0; k < out.askCount; k++) {
            const a = out.askPrices[k]!;
            expect(a % 5).toBe(0);
            expect(a).toBeGreaterThanOrEqual(t[L.F_COLLAR_LOW]!);
            if (k > 0) expect(a).toBeGreaterThan(out.askPrices[k - 1]!);
            expect(out.askAmounts[k]! >= 0.01).toBe(true);
          }
          if (out.bidCount > 0 && out.askCount > 0) expect(out.bidPrices[0]!).toBeLessThan(out.askPrices[0]!);
        },
      ),
      // The example: a collar_high of 17499.999999999996 (theo × 0.5) once gave a bid of 17500,
      // the tick rounding's tolerance for binary noise carrying it over the bound (CI, seed 1900403244).
      { numRuns: 2000, examples: [['call', 60_000, 0.1, 113, 0.5, 0.5, 1, 0]] },
    );
  });
});

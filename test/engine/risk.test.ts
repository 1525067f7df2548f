import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RISK_OK,
  RISK_PULL_NO_LEVELS,
  RISK_PULL_NO_REFERENCE,
  RISK_PULL_PRICE_BAND,
  RISK_PULL_STALE,
  checkQuote,
  type RiskInput,
  type RiskLimits,
} from '../../src/engine/risk.js';

const limits: RiskLimits = { maxPosition: 1, maxProductPosition: 2, maxQuoteAmount: 0.5, priceBand: 0.05, staleMs: 1000, maxOpenExposure: 100 };
const input: RiskInput = { otherExposure: 0, position: 0, productPosition: 0, productBids: 0, productAsks: 0, mark: 100, index: 100, tickAgeMs: 10, quoteAmountCap: 0.5, volumeTick: 0.01, minOrderAmount: 0.01, tickSize: 0.5 };

function run(over: Partial<RiskInput>, bids: [number, number][], asks: [number, number][], lim = limits) {
  const bp = new Float64Array(10), ba = new Float64Array(10), ap = new Float64Array(10), aa = new Float64Array(10);
  bids.forEach(([p, a], i) => ((bp[i] = p), (ba[i] = a)));
  asks.forEach(([p, a], i) => ((ap[i] = p), (aa[i] = a)));
  const counts = Int32Array.of(bids.length, asks.length);
  const r = checkQuote(lim, { ...input, ...over }, bp, ba, ap, aa, counts);
  return { r, bids: [...ba.subarray(0, counts[0])], asks: [...aa.subarray(0, counts[1])], prices: [...bp.subarray(0, counts[0]), ...ap.subarray(0, counts[1])] };
}

describe('risk checks', () => {
  it('passes a sane quote, capping amounts at the quote size', () => {
    const { r, bids, asks } = run({}, [[99, 0.2], [98, 0.9]], [[101, 0.2]]);
    expect(r).toBe(RISK_OK);
    expect(bids).toEqual([0.2, 0.5]);
    expect(asks).toEqual([0.2]);
  });

  it('snaps prices to the tick away from the other side', () => {
    const bp = Float64Array.of(99.7, 99.2), ba = Float64Array.of(0.1, 0.1), ap = Float64Array.of(100.2), aa = Float64Array.of(0.1);
    const counts = Int32Array.of(2, 1);
    expect(checkQuote(limits, input, bp, ba, ap, aa, counts)).toBe(RISK_OK);
    expect([...bp, ...ap]).toEqual([99.5, 99, 100.5]);
  });

  it('pulls on stale data, missing reference, or a wild price', () => {
    expect(run({ tickAgeMs: 1001 }, [[99, 0.1]], []).r).toBe(RISK_PULL_STALE);
    expect(run({ mark: Number.NaN, index: Number.NaN }, [[99, 0.1]], []).r).toBe(RISK_PULL_NO_REFERENCE);
    expect(run({ mark: Number.NaN, index: 100 }, [[99, 0.1]], []).r).toBe(RISK_OK);
    expect(run({}, [[99, 0.1]], [[1000, 0.1]]).r).toBe(RISK_PULL_PRICE_BAND);
    expect(run({}, [[Number.NaN, 0.1]], []).r).toBe(RISK_PULL_PRICE_BAND);
  });

  it('keeps the band at least priceBandTicks wide (a cheap option: mark 3, tick 5, ask 25)', () => {
    const option = { mark: 3, index: 95_000, tickSize: 5 };
    expect(run(option, [], [[25, 0.1]]).r).toBe(RISK_PULL_PRICE_BAND);
    expect(run(option, [], [[25, 0.1]], { ...limits, priceBandTicks: 20 }).r).toBe(RISK_OK);
    expect(run(option, [], [[105, 0.1]], { ...limits, priceBandTicks: 20 }).r).toBe(RISK_PULL_PRICE_BAND);
  });

  it('at the position limit quotes only the reducing side', () => {
    const long = run({ position: 1, productPosition: 1 }, [[99, 0.1]], [[101, 0.1]]);
    expect(long.r).toBe(RISK_OK);
    expect(long.bids).toEqual([]);
    expect(long.asks).toEqual([0.1]);
    const short = run({ position: -1, productPosition: -1 }, [[99, 0.1]], [[101, 0.1]]);
    expect(short.bids).toEqual([0.1]);
    expect(short.asks).toEqual([]);
  });

  it('narrows a ladder so a full fill cannot breach the instrument or product limit', () => {
    const near = run({ position: 0.75, productPosition: 0.75 }, [[99, 0.2], [98, 0.2]], []);
    expect(near.bids).toEqual([0.2, 0.05]);
    const product = run({ position: 0, productPosition: 1.9 }, [[99, 0.5]], []);
    expect(product.bids).toEqual([0.1]);
    expect(run({ position: 1, productPosition: 1 }, [[99, 0.1]], []).r).toBe(RISK_PULL_NO_LEVELS);
  });

  it('checks the band on the prices as sent, after rounding to the tick (a bid rounds down, an ask up)', () => {
    const lim = { ...limits, priceBand: 0.052 }; // band 94.8 … 105.2, tick 0.5
    expect(run({}, [[94.9, 0.1]], [[101, 0.1]], lim).r).toBe(RISK_PULL_PRICE_BAND); // would go out at 94.5
    expect(run({}, [[99, 0.1]], [[105.1, 0.1]], lim).r).toBe(RISK_PULL_PRICE_BAND); // would go out at 105.5
    expect(run({}, [[95.1, 0.1]], [[104.9, 0.1]], lim).r).toBe(RISK_OK); // 95 and 105: inside
  });

  it('the product room counts the worst case of what the product\'s other instruments have open', () => {
    // Product limit 2, product position 0.5: 1.5 left to buy, of which other instruments' bids take 1.2.
    const b = run({ productPosition: 0.5, productBids: 1.2 }, [[99, 0.5]], [[101, 0.5]]);
    expect(b.bids).toEqual([0.3]);
    expect(b.asks).toEqual([0.5]);
    // Selling: 2.5 left, other asks 2.3 of it.
    const a = run({ productPosition: 0.5, productAsks: 2.3 }, [[99, 0.5]], [[101, 0.5]]);
    expect(a.bids).toEqual([0.5]);
    expect(a.asks).toEqual([0.2]);
    expect(run({ productBids: 2, productAsks: 2 }, [[99, 0.5]], [[101, 0.5]]).r).toBe(RISK_PULL_NO_LEVELS);
  });

  it('narrows to what the other instruments leave of the open-exposure limit', () => {
    const lim = { ...limits, maxOpenExposure: 1 };
    const r = run({ otherExposure: 0.6 }, [[99, 0.5]], [[101, 0.5]], lim);
    expect(r.bids).toEqual([0.2]);
    expect(r.asks).toEqual([0.2]);
    expect(run({ otherExposure: 1 }, [[99, 0.5]], [[101, 0.5]], lim).r).toBe(RISK_PULL_NO_LEVELS);
  });

  it('never lets through a level that breaks a limit (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: 90, max: 110, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true })), { maxLength: 10 }),
        fc.array(fc.tuple(fc.double({ min: 90, max: 110, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true })), { maxLength: 10 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (position, productPosition, bids, asks, productBids, productAsks) => {
          const { r, bids: b, asks: a, prices } = run({ position, productPosition, productBids, productAsks }, bids, asks);
          if (r !== RISK_OK) return;
          for (const p of prices) {
            expect(p).toBeGreaterThanOrEqual(100 * (1 - limits.priceBand) - 1e-9);
            expect(p).toBeLessThanOrEqual(100 * (1 + limits.priceBand) + 1e-9);
          }
          const sb = b.reduce((s, x) => s + x, 0);
          const sa = a.reduce((s, x) => s + x, 0);
          for (const x of [...b, ...a]) {
            expect(x).toBeLessThanOrEqual(0.5 + 1e-12);
            expect(x).toBeGreaterThanOrEqual(0.01 - 1e-12);
          }
          if (b.length > 0) {
            expect(position + sb).toBeLessThanOrEqual(limits.maxPosition + 1e-9);
            expect(productPosition + productBids + sb).toBeLessThanOrEqual(limits.maxProductPosition + 1e-9);
          }
          if (a.length > 0) {
            expect(position - sa).toBeGreaterThanOrEqual(-limits.maxPosition - 1e-9);
            expect(productPosition - productAsks - sa).toBeGreaterThanOrEqual(-limits.maxProductPosition - 1e-9);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

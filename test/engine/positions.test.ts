import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Positions } from '../../src/engine/positions.js';

describe('Positions', () => {
  it('starts from the portfolio snapshot', () => {
    const p = new Positions();
    p.applySnapshot([{ instrument_name: 'BTC-PERPETUAL', position: 0.5 }]);
    expect(p.position('BTC-PERPETUAL')).toBe(0.5);
    expect(p.position('ETH-PERPETUAL')).toBe(0);
  });

  it('counts a fill reported twice (order update, then trade history) once', () => {
    const p = new Positions();
    p.applySnapshot([]);
    expect(p.onFill('BTC-PERPETUAL', 'buy', 0.1, 't1')).toBe(true);
    expect(p.onFill('BTC-PERPETUAL', 'buy', 0.1, 't1')).toBe(false);
    expect(p.position('BTC-PERPETUAL')).toBeCloseTo(0.1, 12);
    p.onTrade('BTC-PERPETUAL', 'buy', 0.1, 't1', 0.1);
    expect(p.position('BTC-PERPETUAL')).toBeCloseTo(0.1, 12);
    p.onTrade('BTC-PERPETUAL', 'buy', 0.1, 't1', 0.1);
    expect(p.position('BTC-PERPETUAL')).toBeCloseTo(0.1, 12);
    expect(p.duplicates).toBe(2);
  });

  it('counts a trade whose fill never arrived, and a trade that arrives before its fill once', () => {
    const p = new Positions();
    p.onTrade('X', 'sell', 2, 'a', -2);
    expect(p.position('X')).toBe(-2);
    expect(p.onFill('X', 'sell', 2, 'a')).toBe(false);
    expect(p.position('X')).toBe(-2);
  });

  it('keeps unconfirmed fills on top of an older position_after', () => {
    const p = new Positions();
    p.onFill('X', 'buy', 1, 'a');
    p.onFill('X', 'buy', 1, 'b');
    p.onTrade('X', 'buy', 1, 'a', 1); // history knows only a so far
    expect(p.position('X')).toBe(2);
    // A portfolio line that predates b must not undo it.
    expect(p.applyPortfolioLine('X', 1)).toBe(0);
    expect(p.position('X')).toBe(2);
    p.onTrade('X', 'buy', 1, 'b', 2);
    expect(p.position('X')).toBe(2);
    expect(p.applyPortfolioLine('X', 2.5)).toBe(0.5);
    expect(p.position('X')).toBe(2.5);
  });

  it('whatever the interleaving of the two feeds, ends at the true position', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ buy: fc.boolean(), amount: fc.integer({ min: 1, max: 100 }) }), { maxLength: 30 }),
        fc.infiniteStream(fc.boolean()),
        (trades, coin) => {
          const p = new Positions();
          let truth = 0;
          const after: number[] = [];
          for (const t of trades) after.push((truth += t.buy ? t.amount : -t.amount));
          // Fills arrive in order; history arrives in order; the two interleave at random, and
          // each fill is delivered once or twice.
          let f = 0;
          let h = 0;
          const it = coin[Symbol.iterator]();
          while (f < trades.length || h < trades.length) {
            const takeFill = h >= trades.length || (f < trades.length && it.next().value);
            if (takeFill) {
              const t = trades[f]!;
              p.onFill('X', t.buy ? 'buy' : 'sell', t.amount, `t${f}`);
              if (it.next().value) p.onFill('X', t.buy ? 'buy' : 'sell', t.amount, `t${f}`);
              f++;
            } else {
              const t = trades[h]!;
              p.onTrade('X', t.buy ? 'buy' : 'sell', t.amount, `t${h}`, after[h]);
              h++;
            }
          }
          expect(p.position('X')).toBe(truth);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('forgets the oldest trade ids past its window', () => {
    const p = new Positions({ rememberTrades: 2 });
    p.onFill('X', 'buy', 1, 'a');
    p.onFill('X', 'buy', 1, 'b');
    p.onFill('X', 'buy', 1, 'c');
    expect(p.onFill('X', 'buy', 1, 'c')).toBe(false);
    expect(p.onFill('X', 'buy', 1, 'a')).toBe(true); // outside the window: counted again
  });
});

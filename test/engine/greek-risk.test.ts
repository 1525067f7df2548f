import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyGreekLimits } from '../../src/engine/risk.js';
import { GL_DELTA, GL_DELTA_LIMIT, GL_NET_DELTA, GL_NET_VEGA, GL_PENDING_DELTA_DOWN, GL_PENDING_DELTA_UP, GL_SLOTS, GL_VEGA, GL_VEGA_LIMIT, GL_LOT, GL_MIN_ORDER } from '../../src/pricing/greek-limits.js';

function run(g: Partial<Record<'netDelta' | 'netVega' | 'delta' | 'vega' | 'dl' | 'vl' | 'up' | 'down', number>>, bids: number[], asks: number[]) {
  const a = new Float64Array(GL_SLOTS);
  a[GL_NET_DELTA] = g.netDelta ?? 0;
  a[GL_NET_VEGA] = g.netVega ?? 0;
  a[GL_DELTA] = g.delta ?? 0.5;
  a[GL_VEGA] = g.vega ?? 50;
  a[GL_DELTA_LIMIT] = g.dl ?? 0;
  a[GL_VEGA_LIMIT] = g.vl ?? 0;
  a[GL_PENDING_DELTA_UP] = g.up ?? 0;
  a[GL_PENDING_DELTA_DOWN] = g.down ?? 0;
  const ba = Float64Array.from([...bids, 0, 0, 0]);
  const aa = Float64Array.from([...asks, 0, 0, 0]);
  const counts = Int32Array.of(bids.length, asks.length);
  a[GL_LOT] = 0.01;
  a[GL_MIN_ORDER] = 0.01;
  applyGreekLimits(a, ba, aa, counts);
  return { bids: [...ba.subarray(0, counts[0])], asks: [...aa.subarray(0, counts[1])] };
}

describe('net delta and vega limits (engine risk)', () => {
  it('at the delta limit drops the side that adds delta, keeps the reducing one whole', () => {
    expect(run({ netDelta: 2, dl: 2, delta: 0.5 }, [0.3], [0.3])).toEqual({ bids: [], asks: [0.3] }); // long call adds delta
    expect(run({ netDelta: 2, dl: 2, delta: -0.4 }, [0.3], [0.3])).toEqual({ bids: [0.3], asks: [] }); // selling a put adds delta
    expect(run({ netDelta: -2.5, dl: 2, delta: 0.5 }, [0.3], [0.3])).toEqual({ bids: [0.3], asks: [] });
  });

  it('below the limit clips the adding side to the room left, ladder cumulative', () => {
    // 0.1 delta of room at 0.5 delta per contract: 0.2 contracts.
    expect(run({ netDelta: 1.9, dl: 2, delta: 0.5 }, [0.15, 0.15], [1])).toEqual({ bids: [0.15, 0.05], asks: [1] });
    // Vega: 100 USD of room at 50 per contract: 2 contracts to buy; selling has 2100/50 = 42.
    expect(run({ netVega: 1900, vl: 2000 }, [3], [3])).toEqual({ bids: [2], asks: [3] });
    expect(run({ netVega: 2000, vl: 2000 }, [3], [3])).toEqual({ bids: [], asks: [3] });
  });

  it('counts the other instruments\' open quotes as filled', () => {
    // 1 of room up, 0.9 of it taken by other open bids (calls) and asks (puts): 0.1 / 0.5 = 0.2.
    expect(run({ dl: 1, delta: 0.5, up: 0.9, down: 0.3 }, [1], [1])).toEqual({ bids: [0.2], asks: [1] });
    expect(run({ dl: 1, delta: 0.5, up: 1, down: 1.2 }, [1], [1])).toEqual({ bids: [], asks: [] });
  });

  it('no limits: nothing changes', () => {
    expect(run({ netDelta: 100, netVega: 1e6 }, [1, 2], [3])).toEqual({ bids: [1, 2], asks: [3] });
  });

  it('whatever fills of what is left, net delta and vega end within their limits (or closer to them)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }).filter((d) => Math.abs(d) > 0.01),
        fc.double({ min: -3000, max: 3000, noNaN: true }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 100 }).map((k) => k / 100), { minLength: 1, maxLength: 10 }),
        (netDelta, delta, netVega, vega, levels) => {
          const r = run({ netDelta, delta, netVega, vega, dl: 2, vl: 2000 }, levels, levels);
          const buy = r.bids.reduce((s, x) => s + x, 0);
          const sell = r.asks.reduce((s, x) => s + x, 0);
          for (const q of [buy, -sell]) {
            const d = netDelta + q * delta;
            const v = netVega + q * vega;
            expect(Math.abs(d) <= 2 + 1e-9 || Math.abs(d) <= Math.abs(netDelta) + 1e-9).toBe(true);
            expect(Math.abs(v) <= 2000 + 1e-6 || Math.abs(v) <= Math.abs(netVega) + 1e-6).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { InstrumentInfo } from '../../src/engine/bootstrap.js';
import { PortfolioGreeks } from '../../src/engine/portfolio-greeks.js';
import { black76Delta, black76Vega, SECONDS_PER_YEAR } from '../../src/pricing/black76.js';
import * as L from '../../src/rings/layout.js';
import { TickerRing } from '../../src/rings/ticker-ring.js';

const NOW = 1_772_000_000;
const EXP = NOW + 14 * 86_400;
const base = { product: 'OBTCUSD', tickSize: 5, volumeTickSize: 0.01, minOrderAmount: 0.01, type: 'option', underlying: 'BTCUSD', expiry: EXP };
const instruments: InstrumentInfo[] = [
  { ...base, name: 'C', optionType: 'call', strike: 100_000 },
  { ...base, name: 'P', optionType: 'put', strike: 90_000 },
  { name: 'BTC-PERPETUAL', product: 'FBTCUSD', tickSize: 1, volumeTickSize: 0.001, minOrderAmount: 0.001, type: 'perpetual' },
];

function publish(ring: TickerRing, iv: number, delta: number, forward: number): void {
  const t = new Float64Array(L.TICK_FIELDS).fill(Number.NaN);
  t[L.F_MARK_TIMESTAMP] = NOW;
  t[L.F_IV] = iv;
  t[L.F_DELTA] = delta;
  t[L.F_FORWARD] = forward;
  t[L.F_INDEX] = 95_000;
  ring.publishFrom(t);
}

describe('portfolio greeks', () => {
  it('sums position × delta (the ticker’s) and position × Black-76 vega per vol point', () => {
    const rings = instruments.map(() => TickerRing.create());
    const g = new PortfolioGreeks(instruments, rings);
    g.update(() => 1);
    expect([g.netDelta, g.netVega]).toEqual([0, 0]); // no ticks yet
    publish(rings[0]!, 0.6, 0.35, 95_500);
    publish(rings[1]!, 0.7, Number.NaN, 95_500); // no delta in the ticker: Black-76's
    publish(rings[2]!, Number.NaN, 1, Number.NaN);
    const pos = [2, -3, 0.5];
    g.update((i) => pos[i]!);
    const years = (EXP - NOW) / SECONDS_PER_YEAR;
    const dPut = black76Delta(false, 95_500, 90_000, years, 0.7);
    expect(g.delta[1]).toBeCloseTo(dPut, 12);
    expect(g.netDelta).toBeCloseTo(2 * 0.35 - 3 * dPut + 0.5, 12);
    const vC = black76Vega(95_500, 100_000, years, 0.6) / 100;
    const vP = black76Vega(95_500, 90_000, years, 0.7) / 100;
    expect(g.netVega).toBeCloseTo(2 * vC - 3 * vP, 9);
    expect(g.vega[2]).toBe(0);
  });
});

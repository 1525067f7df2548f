import { describe, expect, it } from 'vitest';
import { black76Price, SECONDS_PER_YEAR } from '../../src/pricing/black76.js';
import { expiryCode, optionChainInstruments, weeklyExpiries } from '../../src/sim/option-chain.js';
import { publicInstrument } from '../../src/sim/instruments.js';
import { thinBook, takerLimit, type ThinBook } from '../../src/sim/option-book.js';
import { Rng } from '../../src/sim/rng.js';
import { VolSurface } from '../../src/sim/vol-surface.js';
import { assertValid, validateComponent } from '../helpers/spec.js';

const NOW = 1_700_000_000; // Tue 14 Nov 2023 22:13 UTC

describe('simulated option chain', () => {
  it('lists Friday 08:00 UTC expiries at least a day out', () => {
    const e = weeklyExpiries(NOW, 3);
    expect(e.map((t) => new Date(t * 1000).toISOString())).toEqual(['2023-11-17T08:00:00.000Z', '2023-11-24T08:00:00.000Z', '2023-12-01T08:00:00.000Z']);
    expect(expiryCode(e[0]!)).toBe('17NOV23');
    // Thursday 09:00: Friday 08:00 is 23 h away, too close: the next Friday is the front.
    expect(weeklyExpiries(Date.UTC(2023, 10, 16, 9) / 1000, 1)[0]).toBe(Date.UTC(2023, 10, 24, 8) / 1000);
  });

  it('has ≥ 2 expiries × 20 strikes × calls and puts, spec-valid, named as Thalex names options', () => {
    const chain = optionChainInstruments({ now: NOW });
    expect(chain.length).toBe(3 * 40 * 2);
    const byExpiry = new Map<number, Set<number>>();
    for (const i of chain) {
      assertValid(validateComponent('Instrument', publicInstrument(i)), i.instrument_name);
      expect(i.instrument_name).toMatch(/^BTC-\d{1,2}[A-Z]{3}\d{2}-\d+-[CP]$/);
      expect(i.instrument_name.endsWith(i.option_type === 'call' ? '-C' : '-P')).toBe(true);
      const s = byExpiry.get(i.expiration_timestamp!) ?? new Set();
      s.add(i.strike_price!);
      byExpiry.set(i.expiration_timestamp!, s);
    }
    expect(byExpiry.size).toBe(3);
    for (const s of byExpiry.values()) expect(s.size).toBe(40);
    expect(new Set(chain.map((i) => i.instrument_name)).size).toBe(chain.length);
  });
});

describe('simulated vol surface', () => {
  const surface = new VolSurface();
  const exp = weeklyExpiries(NOW, 2)[1]!;
  const years = (exp - NOW) / SECONDS_PER_YEAR;

  it('marks every option with Black-76 of its own forward and iv; put–call parity holds', () => {
    for (let k = 60_000; k <= 130_000; k += 2_500) {
      const c = surface.mark(true, k, exp, 95_000, NOW, 5)!;
      const p = surface.mark(false, k, exp, 95_000, NOW, 5)!;
      expect(c.mark).toBeCloseTo(black76Price(true, c.forward, k, years, c.iv), 8);
      expect(c.iv).toBe(p.iv);
      expect(c.forward).toBeGreaterThan(95_000); // positive carry
      expect(c.mark - p.mark).toBeCloseTo(c.forward - k, 6);
      expect(c.delta - p.delta).toBeCloseTo(1, 9);
      expect(c.collarLow).toBeLessThanOrEqual(Math.max(c.mark, 5)); // never under one tick
      expect(c.collarHigh).toBeGreaterThanOrEqual(c.mark);
      expect(c.collarLow % 5).toBe(0);
      expect(c.collarHigh % 5).toBe(0);
    }
  });

  it('smiles: the wings are dearer in vol than the money, puts more than calls', () => {
    const f = surface.forward(95_000, years);
    const atm = surface.vol(f, f, years);
    expect(surface.vol(f * 0.8, f, years)).toBeGreaterThan(atm);
    expect(surface.vol(f * 1.25, f, years)).toBeGreaterThan(atm);
    expect(surface.vol(f * 0.85, f, years)).toBeGreaterThan(surface.vol(f / 0.85, f, years));
  });

  it('moves the forward with the index and keeps the vol level near its start', () => {
    const s = new VolSurface();
    const rng = new Rng(7);
    for (let k = 0; k < 100_000; k++) s.step(rng);
    expect(s.atmLevel).toBeGreaterThan(0.4);
    expect(s.atmLevel).toBeLessThan(0.7);
    expect(s.forward(100_000, years) / s.forward(95_000, years)).toBeCloseTo(100_000 / 95_000, 12);
    expect(s.mark(true, 95_000, exp, 95_000, exp + 1, 5)).toBeNull();
  });

  it('books are thin or empty, on tick, around the mark; takers concede at most a little edge', () => {
    const rng = new Rng(3);
    const b: ThinBook = { bid: 0, bidAmount: 0, ask: 0, askAmount: 0 };
    let emptyBids = 0;
    for (let k = 0; k < 1000; k++) {
      thinBook(1234, 5, 0.01, rng, b);
      if (Number.isNaN(b.bid)) emptyBids++;
      else {
        expect(b.bid % 5).toBe(0);
        expect(b.bid).toBeLessThan(1234);
        expect(b.bidAmount).toBeLessThanOrEqual(1);
      }
      if (!Number.isNaN(b.ask)) expect(b.ask).toBeGreaterThan(1234);
      const lim = takerLimit(1000, true, rng);
      expect(lim).toBeGreaterThanOrEqual(1000);
      expect(lim).toBeLessThan(1040);
    }
    expect(emptyBids).toBeGreaterThan(200);
    expect(emptyBids).toBeLessThan(500);
  });
});

describe('simulated option tickers', () => {
  it('are spec-valid Ticker payloads whose mark, iv, delta and forward agree with Black-76, with empty sides as null', async () => {
    const { startSimulator } = await import('../../src/sim/index.js');
    const { validateNotification } = await import('../helpers/spec.js');
    const sim = await startSimulator({ stepsPerSecond: 0, optionChain: true, clock: 'simulated', seed: 3 });
    try {
      sim.step(5);
      let nullSides = 0;
      for (const [name, inst] of sim.venue.instruments) {
        const t = sim.venue.ticker(name) as Record<string, number | null>;
        assertValid(validateNotification(`ticker.${name}.raw`, t), name);
        if (inst.type !== 'option') {
          expect(t['iv']).toBeUndefined();
          continue;
        }
        const years = (inst.expiration_timestamp! - (t['mark_timestamp'] as number)) / SECONDS_PER_YEAR;
        const mark = black76Price(inst.option_type === 'call', t['forward']!, inst.strike_price!, years, t['iv']!);
        expect(t['mark_price']).toBeCloseTo(mark, 6);
        expect(t['delta']! > 0).toBe(inst.option_type === 'call');
        expect(t['forward']!).toBeGreaterThan(t['index']!);
        expect(t['collar_low']!).toBeLessThanOrEqual(t['collar_high']!);
        if (t['best_bid_price'] === null || t['best_ask_price'] === null) nullSides++;
      }
      expect(nullSides).toBeGreaterThan(50); // thin or empty books
      // What public/index answers (the selectors' moneyness reference and venue clock): spec Index.
      const index = sim.venue.index('BTCUSD')!;
      assertValid(validateComponent('Index', index), 'public/index');
      expect(index['price']).toBe(sim.venue.market('BTC-PERPETUAL')!.ref);
    } finally {
      await sim.stop();
    }
  });
});

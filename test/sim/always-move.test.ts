import { describe, expect, it } from 'vitest';
import { defaultInstruments } from '../../src/sim/instruments.js';
import { Venue } from '../../src/sim/venue.js';

describe('simulator alwaysMove (the bench: every ticker is news)', () => {
  it('every step moves every perpetual best bid; without it some steps do not', () => {
    const moves = (alwaysMove: boolean) => {
      const v = new Venue({ seed: 3, instruments: defaultInstruments().slice(0, 2), takerProbability: 0, takerMaxLots: 1, now: () => 1_700_000_000, alwaysMove });
      let unchanged = 0;
      for (let k = 0; k < 2000; k++) {
        const before = v.market('ETH-PERPETUAL')!.bid;
        v.step();
        if (v.market('ETH-PERPETUAL')!.bid === before) unchanged++;
      }
      return unchanged;
    };
    expect(moves(true)).toBe(0);
    expect(moves(false)).toBeGreaterThan(0); // ETH: tick 0.1 on ~3500, a 2 bp step often stays put
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameIndex } from '../../src/codec/name-index.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('NameIndex', () => {
  it('finds every name of an option chain (shared prefixes, same lengths and end bytes) and nothing else', () => {
    const names: string[] = ['BTC-PERPETUAL'];
    for (const k of [90_000, 95_000, 100_000, 105_000, 110_000]) for (const t of ['C', 'P']) names.push(`BTC-27DEC26-${k}-${t}`, `BTC-25JUN27-${k}-${t}`);
    const idx = new NameIndex(names);
    names.forEach((n, i) => {
      // Inside a larger buffer, as in a frame.
      const d = bytes(`{"x":"${n}"}`);
      expect(idx.find(d, 6, 6 + Buffer.byteLength(n))).toBe(i);
    });
    for (const miss of ['', 'BTC', 'BTC-27DEC26-100000-', 'BTC-27DEC26-100000-CC', 'btc-perpetual', 'BTC-27DEC26-100001-C']) {
      const d = bytes(miss);
      expect(idx.find(d, 0, d.length)).toBe(-1);
    }
  });

  it('a repeated name answers its first index; an empty set answers -1', () => {
    const idx = new NameIndex(['A', 'B', 'A']);
    expect(idx.find(bytes('A'), 0, 1)).toBe(0);
    expect(new NameIndex([]).find(bytes('A'), 0, 1)).toBe(-1);
  });

  it('agrees with a linear search for any names and any query (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 0, maxLength: 12 }), { maxLength: 300 }), fc.string({ maxLength: 12 }), (names, q) => {
        const idx = new NameIndex(names);
        for (const probe of [q, ...names.slice(0, 20)]) {
          const d = bytes(probe);
          expect(idx.find(d, 0, d.length)).toBe(names.indexOf(probe));
        }
      }),
      { numRuns: 200 },
    );
  });
});

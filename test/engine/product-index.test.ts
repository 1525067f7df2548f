import { describe, expect, it } from 'vitest';
import { AccountFeed } from '../../src/engine/account-feed.js';
import { BID, LiveQuotes } from '../../src/engine/live-quotes.js';
import { Positions } from '../../src/engine/positions.js';
import { indicesByProduct } from '../../src/engine/product-index.js';
import { Protection } from '../../src/engine/protection.js';

describe('indicesByProduct', () => {
  it('groups instrument indices by product, in index order, and leaves out instruments without one', () => {
    const by = indicesByProduct(['A', 'B', undefined, 'A', 'C', 'A']);
    expect([...by]).toEqual([
      ['A', [0, 3, 5]],
      ['B', [1]],
      ['C', [4]],
    ]);
  });
});

describe('a protection notice pulls the quotes of its product only', () => {
  it('client_cancel for one product of three: its two instruments lose their live quotes, the others keep theirs', () => {
    const names = ['A-1', 'B-1', 'A-2', 'C-1'];
    const productOf = new Map([['A-1', 'A'], ['B-1', 'B'], ['A-2', 'A'], ['C-1', 'C']]);
    const live = new LiveQuotes(names.length);
    for (let i = 0; i < names.length; i++) live.commit(i, BID, Float64Array.of(100 + i), Float64Array.of(1), 1);
    const feed = new AccountFeed(new Positions(), new Protection({}, () => {}), live, new Map(names.map((n, i) => [n, i])), productOf, {
      fill: () => {},
      position: () => {},
      malformed: (c, d) => expect.fail(`malformed ${c}: ${d}`),
    });
    feed.onProtection('session.mm_protection', [{ product: 'A', remaining_amount: 0, reason: 'client_cancel' }], 0);
    expect(names.map((_, i) => live.hasLive(i))).toEqual([false, true, false, true]);
    // A refill deletes nothing.
    feed.onProtection('session.mm_protection', [{ product: 'B', remaining_amount: 5, reason: 'refill' }], 0);
    expect(names.map((_, i) => live.hasLive(i))).toEqual([false, true, false, true]);
  });
});

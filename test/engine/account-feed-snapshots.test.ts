import { describe, expect, it } from 'vitest';
import { AccountFeed } from '../../src/engine/account-feed.js';
import { LiveQuotes } from '../../src/engine/live-quotes.js';
import { Positions } from '../../src/engine/positions.js';
import { Protection } from '../../src/engine/protection.js';

const QUOTED = ['BTC-PERPETUAL'];

function feed(): AccountFeed {
  const index = new Map(QUOTED.map((n, i) => [n, i]));
  const productOf = new Map([['BTC-PERPETUAL', 'FBTCUSD']]);
  return new AccountFeed(new Positions(), new Protection({}, () => {}), new LiveQuotes(QUOTED.length), index, productOf, {
    fill: () => {},
    position: () => {},
    malformed: (c, d) => expect.fail(`malformed ${c}: ${d}`),
  });
}

describe('AccountFeed snapshots', () => {
  it('resolves once both snapshots of the connection have arrived', async () => {
    const f = feed();
    const wait = f.snapshots(5_000);
    f.onOrders('session.orders', [], 1);
    f.onPortfolio('account.portfolio', []);
    await expect(wait).resolves.toBeUndefined();
  });

  it('rejects with ENGINE_ERR_SNAPSHOT_TIMEOUT naming the channel that stayed silent', async () => {
    const f = feed();
    const wait = f.snapshots(20);
    f.onOrders('session.orders', [], 1);
    await expect(wait).rejects.toMatchObject({ name: 'SnapshotTimeoutError', code: 'ENGINE_ERR_SNAPSHOT_TIMEOUT', message: 'no snapshot within 20 ms on account.portfolio' });
    f.resetSnapshots();
    await expect(f.snapshots(20)).rejects.toMatchObject({ message: 'no snapshot within 20 ms on session.orders and account.portfolio' });
  });
});

/**
 * The simulator's venue-side reaction meter (the figure the e2e bench compares clients on): a
 * ticker handed to the kernel → that connection's next mass_quote received.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { SimClient } from '../helpers/sim-client.js';
import { simulator, until } from '../helpers/venue.js';

describe('reaction meter', () => {
  const open: Array<{ sim: SimulatorHandle; c: SimClient }> = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      o.c.close();
      await o.sim.stop();
    }
  });

  it('times each answered ticker once, from the first unanswered ticker, and nothing without a quote', async () => {
    const sim = await simulator({ stepsPerSecond: 0, takerProbability: 0, measureReaction: true });
    const c = await new SimClient().open(sim.url);
    open.push({ sim, c });
    await c.login();
    await c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    await c.call('public/subscribe', { channels: ['ticker.BTC-PERPETUAL.raw'] });
    await until(() => (c.notes.get('ticker.BTC-PERPETUAL.raw') ?? []).length >= 1, 'the snapshot ticker');
    const h = sim.reaction!.histogram;
    h.reset();
    // Tickers nobody answers: nothing recorded (they arm the meter, once).
    const beforeFirst = performance.now();
    sim.step(); // publishes synchronously (same process, same clock): the meter arms here
    const afterFirst = performance.now();
    sim.step();
    await until(() => (c.notes.get('ticker.BTC-PERPETUAL.raw') ?? []).length >= 3, 'two more tickers');
    expect(h.totalCount).toBe(0);
    // One quote: one sample, timed from the first of the two unanswered tickers.
    const t0 = performance.now();
    const ref = 95_000;
    await c.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[ref - 500, 0.01]], a: [[ref + 500, 0.01]] }], post_only: true });
    const t1 = performance.now();
    expect(h.totalCount).toBe(1);
    // From the first ticker (not the second): at least from its publish to the quote's send,
    // at most from before its publish to the reply (HDR rounds to 3 significant digits).
    expect(h.maxValue).toBeGreaterThanOrEqual((t0 - afterFirst) * 1e6 * 0.999);
    expect(h.maxValue).toBeLessThanOrEqual((t1 - beforeFirst) * 1e6 * 1.001);
    // A second quote with no ticker in between: not a reaction.
    await c.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[ref - 501, 0.01]], a: [[ref + 501, 0.01]] }], post_only: true });
    expect(h.totalCount).toBe(1);
    sim.step();
    await until(() => (c.notes.get('ticker.BTC-PERPETUAL.raw') ?? []).length >= 4, 'a fourth ticker');
    await c.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[ref - 502, 0.01]], a: [[ref + 502, 0.01]] }], post_only: true });
    expect(h.totalCount).toBe(2);
  });

  it('is off unless asked for', async () => {
    const sim = await simulator({ stepsPerSecond: 0 });
    const c = await new SimClient().open(sim.url);
    open.push({ sim, c });
    expect(sim.reaction).toBeUndefined();
  });
});

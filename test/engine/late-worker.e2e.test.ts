/**
 * The tick-to-wire tails of 100 ms seen in `npm start` (10 ticks/s per instrument, workers mode):
 * a worker that missed the quote loop's spin was polled on event-loop turns for a while, then its
 * result waited for the next incoming message, the next tick, 100 ms later. A priced quote
 * must go out as soon as it exists (issue 14): here the feed stops after one tick, so the quote
 * can only go out if the engine fetches it by itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { engineConfig, simulator, until } from '../helpers/venue.js';

const open: Array<{ engine: Engine; sim: SimulatorHandle }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.engine.stop();
    await o.sim.stop();
  }
});

describe('a worker that answers late', () => {
  it('its quote is sent without waiting for another tick or message', async () => {
    const sim = await simulator({ stepsPerSecond: 0, takerProbability: 0 });
    const slow = new URL('../fixtures/pricers/slow-mark.mjs', import.meta.url).href;
    // The pricer busy-waits 150 ms, far past the spin and the event-loop turns, then quotes off
    // the mark (which every step moves: each step's quote is new).
    const engine = new Engine(engineConfig(sim, { instruments: ['BTC-PERPETUAL'], pricing: { mode: 'workers', pricerModule: slow, params: { '0': 150 } } }));
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    // The subscription's snapshot ticker is priced first (it predates quoting: no tick-to-wire).
    await until(() => sim.calls('private/mass_quote') >= 1, 'the first quote', 5_000);
    const before = sim.calls('private/mass_quote');
    sim.step(); // the only tick from now on: nothing else will arrive
    await until(() => sim.calls('private/mass_quote') > before, 'the late quote reaching the venue', 5_000);
    await until(() => engine.metrics().tickToWire.count === 1, 'its tick-to-wire', 1_000);
    expect(engine.metrics().tickToWire.max).toBeGreaterThanOrEqual(150_000 * 0.99); // µs: it did wait for the pricer
  });
});

/**
 * One socket read, one mass quote: a market step moves every instrument and the simulator writes
 * all their tickers in one cork (one write, one read here); the engine answers the whole read
 * with one request, not one per ticker (which would spend the message budget ten times, and in
 * workers mode spin for each worker in turn).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { engineConfig, simulator, until } from '../helpers/venue.js';

const names = ['BTC-PERPETUAL', 'ETH-PERPETUAL', ...Array.from({ length: 8 }, (_, k) => `S${k + 2}-PERPETUAL`)];

describe('ticks of one read', () => {
  const open: Array<{ engine: Engine; sim: SimulatorHandle }> = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.engine.stop();
      await o.sim.stop();
    }
  });

  for (const mode of ['inline', 'workers'] as const) {
    it(`${mode}: a step of 10 instruments (one read) is answered with one mass quote`, async () => {
      const sim = await simulator({ stepsPerSecond: 0, takerProbability: 0, instruments: 10 });
      // Workers: a spin long enough for a worker slowed by coverage instrumentation (CI once saw it
      // miss the default spin and send the rest on the next turn). The test is about one read giving
      // one mass quote, not about the spin's length.
      // size 0.1: a whole lot on every instrument (BTC 0.001, ETH 0.01, synthetic 0.1).
      const engine = new Engine(engineConfig(sim, { instruments: names, pricing: { mode, params: { spreadBps: 10, size: 0.1 }, ...(mode === 'workers' ? { spinPolls: 5_000_000 } : {}) }, protection: { default: { tradeAmount: 100, quoteAmount: 100 } }, risk: { maxOpenExposure: 1000, maxQuoteAmount: 1 } }));
      engine.on('engineError', () => {});
      open.push({ engine, sim });
      await engine.start();
      // The subscription snapshots come one by one; wait until every instrument is quoted.
      await until(() => new Set(sim.venue.liveQuotes().map((q) => q.instrument)).size === 10, 'all 10 instruments quoted');
      await until(() => engine.metrics().requests.inFlight === 0, 'nothing in flight');
      const before = sim.calls('private/mass_quote');
      const sentBefore = engine.metrics().quotesSent;
      sim.step();
      await until(() => engine.metrics().tickToWire.count > 0 && engine.metrics().requests.inFlight === 0 && sim.calls('private/mass_quote') > before, 'the answer to the step');
      expect(engine.metrics().quotesSent - sentBefore).toBe(1);
      expect(sim.calls('private/mass_quote') - before).toBe(1);
    });
  }
});

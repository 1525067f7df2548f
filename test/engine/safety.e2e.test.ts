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

const live = (sim: SimulatorHandle) => sim.venue.liveQuotes();

describe('trading safety against the simulator', () => {
  it('at the position limit only the reducing side is quoted', async () => {
    const sim = await simulator({ stepsPerSecond: 0, takerProbability: 1, takerMaxLots: 5 });
    const engine = new Engine(
      engineConfig(sim, {
        instruments: ['BTC-PERPETUAL'],
        pricing: { mode: 'inline', params: { spreadTicks: 2, size: 0.005 } },
        risk: { maxPosition: 0.005, maxProductPosition: 1 },
      }),
    );
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    // Fill until the position reaches the limit on one side.
    for (let k = 0; k < 300 && Math.abs(engine.positions()['BTC-PERPETUAL']!) < 0.005 - 1e-9; k++) {
      sim.step();
      await new Promise((r) => setTimeout(r, 5));
    }
    const pos = engine.positions()['BTC-PERPETUAL']!;
    expect(Math.abs(pos)).toBeGreaterThanOrEqual(0.005 - 1e-9);
    sim.step();
    const reducing = pos > 0 ? 'ask' : 'bid';
    await until(() => live(sim).length > 0 && live(sim).every((q) => q.side === reducing), `only ${reducing}s live`);
    expect(Math.abs(sim.venue.position('A000000001', 'BTC-PERPETUAL'))).toBeLessThanOrEqual(0.005 + 1e-9);
  });

  it('a wild pricer output is caught by the price band before anything is sent', async () => {
    const sim = await simulator({ stepsPerSecond: 0 });
    const engine = new Engine(
      engineConfig(sim, {
        instruments: ['BTC-PERPETUAL'],
        pricing: { mode: 'inline', pricerModule: new URL('../fixtures/pricers/wild.mjs', import.meta.url).href, params: { '0': 0 } },
        risk: { priceBand: 0.05 },
      }),
    );
    engine.on('engineError', () => {});
    const errors: number[] = [];
    engine.on('quoteError', (e) => errors.push(e.code));
    open.push({ engine, sim });
    await engine.start();
    sim.step();
    await until(() => live(sim).length === 2, 'sane quotes');
    const calls = sim.calls('private/mass_quote');
    engine.setPricingParams({ '0': 1 }); // ten times the mid
    sim.step();
    await until(() => live(sim).length === 0, 'the instrument pulled');
    expect(engine.metrics().riskPulls['price outside band']).toBeGreaterThan(0);
    // The pull went out as `[]` sides; no wild price ever reached the venue.
    expect(sim.calls('private/mass_quote')).toBe(calls + 1);
    expect(errors).toEqual([]);
  });

  it('the open-exposure limit caps the sum of everything quoted, across instruments and sides', async () => {
    const sim = await simulator({ stepsPerSecond: 0 });
    const engine = new Engine(engineConfig(sim, { pricing: { mode: 'inline', params: { spreadBps: 10, size: 0.05 } }, risk: { maxOpenExposure: 0.15 } }));
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    for (let k = 0; k < 5; k++) {
      sim.step();
      await new Promise((r) => setTimeout(r, 30));
    }
    await until(() => new Set(live(sim).map((q) => q.instrument)).size === 2, 'both instruments quoted');
    const total = live(sim).reduce((s, q) => s + q.amount, 0);
    expect(total).toBeGreaterThan(0.1);
    expect(total).toBeLessThanOrEqual(0.15 + 1e-9);
  });

  it('a stale feed pulls the quotes, fresh ticks bring them back', async () => {
    const sim = await simulator({ stepsPerSecond: 0 });
    const engine = new Engine(engineConfig(sim, { instruments: ['BTC-PERPETUAL'], risk: { staleMs: 200 } }));
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    sim.step();
    await until(() => live(sim).length === 2, 'quotes');
    // No ticker for longer than staleMs: the housekeeping pass pulls them.
    await until(() => live(sim).length === 0, 'stale quotes pulled', 5_000);
    expect(engine.metrics().riskPulls['stale market data']).toBeGreaterThan(0);
    sim.step();
    await until(() => live(sim).length === 2, 'quotes back on fresh data');
  });
});

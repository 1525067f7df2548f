import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { Engine as EngineClass } from '../../src/engine/engine.js';
import type { EngineConfigInput } from '../../src/engine/config.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { engineConfig, simulator, until } from '../helpers/venue.js';

const open: Array<{ engine: Engine; sim: SimulatorHandle }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.engine.stop();
    await o.sim.stop();
  }
});

/** The README's worked example: the front two BTC expiries within ±20 % moneyness. */
const CHAIN = { underlying: 'BTCUSD', types: ['option' as const], expiries: { next: 2 }, moneyness: [0.8, 1.2] as [number, number] };

async function setup(over: Partial<EngineConfigInput>, simOpts = {}) {
  const sim = await simulator({ stepsPerSecond: 0, optionChain: true, clock: 'simulated', takerProbability: 0, ...simOpts });
  const engine = new EngineClass(
    engineConfig(sim, {
      instruments: ['BTC-PERPETUAL', CHAIN],
      protection: { default: { tradeAmount: 5, quoteAmount: 5 } },
      risk: { maxPosition: 5, maxProductPosition: 100, maxQuoteAmount: 0.5, maxOpenExposure: 1000, priceBand: 0.5, priceBandTicks: 40 },
      pricing: { mode: 'inline', pricer: 'options', params: { spreadBps: 10, size: 0.01, widthVol: 4, vegaSize: 20, optionMaxSize: 0.5 } },
      ...over,
    }),
  );
  engine.on('engineError', () => {});
  open.push({ engine, sim });
  await engine.start();
  return { sim, engine };
}

function quotedInstruments(sim: SimulatorHandle): Set<string> {
  return new Set(sim.venue.liveQuotes().map((q) => q.instrument));
}

describe('quoting the simulated BTC option chain', () => {
  for (const mode of ['inline', 'workers'] as const) {
    it(`quotes 80+ options on tick and inside the collar, in mass quotes of ≤ 100 (${mode} pricing)`, async () => {
      const { sim, engine } = await setup({
        pricing: { mode, workers: 2, pricer: 'options', params: { spreadBps: 10, size: 0.01, widthVol: 4, vegaSize: 20, optionMaxSize: 0.5 } },
      });
      const names = engine.instruments();
      expect(names.length).toBeGreaterThanOrEqual(81);
      const refusals: unknown[] = [];
      engine.on('quoteError', (e) => refusals.push(e));
      const before = sim.calls('private/mass_quote');
      sim.step();
      await until(() => quotedInstruments(sim).size === names.length, `quotes on all ${names.length} instruments`);
      // More than 100 instruments: at least two requests (the simulator refuses > 100 quotes).
      expect(sim.calls('private/mass_quote') - before).toBeGreaterThanOrEqual(2);
      for (let k = 0; k < 5; k++) {
        sim.step();
        await new Promise((r) => setTimeout(r, 30));
      }
      for (const q of sim.venue.liveQuotes()) {
        const inst = sim.venue.instruments.get(q.instrument)!;
        const t = sim.venue.ticker(q.instrument) as { collar_low: number; collar_high: number; mark_price: number };
        expect(Math.abs(q.price / inst.tick_size - Math.round(q.price / inst.tick_size)), `${q.instrument} ${q.price} on tick`).toBeLessThan(1e-9);
        if (q.side === 'bid') expect(q.price, `${q.instrument} bid`).toBeLessThanOrEqual(t.collar_high);
        else expect(q.price, `${q.instrument} ask`).toBeGreaterThanOrEqual(t.collar_low);
      }
      expect(refusals).toEqual([]);
      // Both sides of an option straddle its mark (the pricer quotes around Black-76 at mark iv).
      const opt = names.find((n) => n.endsWith('-C'))!;
      const mark = (sim.venue.ticker(opt) as { mark_price: number }).mark_price;
      const qs = sim.venue.liveQuotes().filter((q) => q.instrument === opt);
      expect(qs.find((q) => q.side === 'bid')!.price).toBeLessThan(mark);
      expect(qs.find((q) => q.side === 'ask')!.price).toBeGreaterThan(mark);
    });
  }

  it('quotes ten-level ladders a side on the whole chain, each mass quote ≤ 100 instruments, within the budget', async () => {
    const { sim, engine } = await setup({
      pricing: { mode: 'inline', pricer: 'options', params: { widthVol: 4, vegaSize: 2, optionMaxSize: 0.05, optionLevels: 10, levelStepVol: 1 } },
      risk: { maxPosition: 5, maxProductPosition: 1000, maxQuoteAmount: 0.5, maxOpenExposure: 10_000, priceBand: 0.9, priceBandTicks: 400 },
    });
    const refusals: unknown[] = [];
    engine.on('quoteError', (e) => refusals.push(e));
    const names = engine.instruments();
    sim.step();
    await until(() => quotedInstruments(sim).size === names.length, `ladders on all ${names.length} instruments`);
    const opt = names.find((n) => n.includes('-95000-'))!;
    await until(() => sim.venue.liveQuotes().filter((q) => q.instrument === opt).length === 20, 'ten levels a side on the at-the-money option');
    const bids = sim.venue.liveQuotes().filter((q) => q.instrument === opt && q.side === 'bid').map((q) => q.price);
    expect(new Set(bids).size).toBe(10);
    expect(refusals).toEqual([]);
    // Every request within the venue's limits (the simulator refuses > 100 quotes with a request
    // error, > 10 levels with a side error) and the budget (no code 4, ThrottleExceeded).
    const m = engine.metrics();
    expect(m.quotesSent).toBeGreaterThanOrEqual(2);
    expect(m.requestErrors).toEqual({});
    expect(m.sideErrors).toEqual({});
  });

  it('a protection trip on OBTCUSD pulls only the options; the perpetual stays quoted', async () => {
    const { sim, engine } = await setup({
      protection: { default: { tradeAmount: 5, quoteAmount: 5 }, products: { OBTCUSD: { tradeAmount: 0.05, quoteAmount: 0.5 } }, cooldownMs: 60_000 },
    });
    const trips: string[] = [];
    engine.on('protection', (p) => {
      if (p.state === 'cooling') trips.push(p.product);
    });
    sim.step();
    await until(() => quotedInstruments(sim).size === engine.instruments().length, 'the whole chain quoted');
    sim.venue.setTakerProbability(0.2);
    for (let k = 0; k < 200 && trips.length === 0; k++) {
      sim.step();
      await new Promise((r) => setTimeout(r, 5));
    }
    sim.venue.setTakerProbability(0);
    await until(() => trips.length > 0, 'OBTCUSD to trip');
    expect(trips).toEqual(['OBTCUSD']);
    sim.step();
    await until(() => [...quotedInstruments(sim)].every((n) => n === 'BTC-PERPETUAL'), 'options pulled');
    expect(quotedInstruments(sim).has('BTC-PERPETUAL')).toBe(true);
    expect(engine.protectionStates()).toEqual({ FBTCUSD: 'armed', OBTCUSD: 'cooling' });
  });

  it('keeps net delta within its limit under the taker flow', async () => {
    const limit = 1;
    const { sim, engine } = await setup({
      instruments: [CHAIN],
      risk: { maxPosition: 5, maxProductPosition: 100, maxQuoteAmount: 0.2, maxOpenExposure: 1000, priceBand: 0.5, priceBandTicks: 40, maxNetDelta: limit },
      protection: { default: { tradeAmount: 100, quoteAmount: 100 } },
    });
    const names = engine.instruments();
    const delta = (n: string) => (sim.venue.ticker(n) as { delta: number }).delta;
    const netDelta = () => names.reduce((s, n) => s + sim.venue.position('A000000001', n) * delta(n), 0);
    // What the live quotes could add to net delta, up and down, were they all filled at once.
    const openDelta = () => {
      let up = 0;
      let down = 0;
      for (const q of sim.venue.liveQuotes()) {
        const d = delta(q.instrument) * q.amount * (q.side === 'bid' ? 1 : -1);
        if (d > 0) up += d;
        else down -= d;
      }
      return { up, down };
    };
    sim.step();
    await until(() => quotedInstruments(sim).size >= 10, 'quotes on the chain');
    expect(openDelta().up).toBeLessThanOrEqual(limit + 1e-9);
    sim.venue.setTakerProbability(0.3);
    let worst = 0;
    // Net delta were every open quote on one side filled now: what the limit bounds.
    let binding = 0;
    for (let k = 0; k < 300; k++) {
      sim.step();
      await new Promise((r) => setTimeout(r, 5));
      const net = netDelta();
      const open = openDelta();
      worst = Math.max(worst, Math.abs(net));
      binding = Math.max(binding, net + open.up, open.down - net);
    }
    expect(sim.venue.fills.length).toBeGreaterThan(20);
    // Fills and open quotes together are held to the limit at the deltas the engine last saw;
    // the slack is gamma: the deltas of what is held and quoted move with the forward between
    // the engine's look and the venue's fill (measured 0.04–0.17 over 300 steps of this flow).
    expect(worst).toBeLessThanOrEqual(limit + 0.3);
    expect(binding).toBeLessThanOrEqual(limit + 0.3);
    // The limit was what held quoting back (the open quotes reached it), not a quiet flow.
    expect(binding).toBeGreaterThan(0.9 * limit);
    await until(() => Math.abs(engine.metrics().netGreeks!.delta - netDelta()) < 0.05, 'the engine to agree with the venue on net delta');
  });
});

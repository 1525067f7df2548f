import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { actUntil, engineConfig, simulator, until, waitState } from '../helpers/venue.js';

const open: Array<{ engine?: Engine; sim: SimulatorHandle }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.engine?.stop();
    await o.sim.stop();
  }
});

async function setup(simOpts = {}, cfg = {}) {
  const sim = await simulator({ stepsPerSecond: 0, ...simOpts });
  const engine = new Engine(engineConfig(sim, cfg));
  engine.on('engineError', () => {});
  open.push({ engine, sim });
  return { sim, engine };
}

const live = (sim: SimulatorHandle, instrument?: string) => sim.venue.liveQuotes().filter((q) => instrument === undefined || q.instrument === instrument);

/** The amount of every quote side in each `private/mass_quote` the venue gets from now on. */
function recordAmounts(sim: SimulatorHandle): number[][] {
  const sent: number[][] = [];
  const massQuote = sim.venue.massQuote.bind(sim.venue);
  sim.venue.massQuote = (s, params) => {
    const amounts: number[] = [];
    for (const q of params['quotes'] as Array<{ b?: unknown; a?: unknown }>) {
      for (const side of [q.b, q.a]) {
        if (Array.isArray(side)) for (const level of side as number[][]) amounts.push(level[1]!);
        else if (side !== null && typeof side === 'object') amounts.push((side as { a: number }).a);
      }
    }
    sent.push(amounts);
    return massQuote(s, params);
  };
  return sent;
}

describe('engine against the simulator', () => {
  it('bootstraps in order and quotes both instruments on tick, within the spread', async () => {
    const { sim, engine } = await setup();
    const order: string[] = [];
    engine.on('state', (s) => order.push(`${s.state}${s.detail ? `:${s.detail}` : ''}`));
    await engine.start();
    expect(order).toEqual([
      'connecting',
      'bootstrapping',
      'bootstrapping:login',
      'bootstrapping:cancel_on_disconnect',
      'bootstrapping:instruments',
      'bootstrapping:mm_protection',
      'bootstrapping:subscribe_public',
      'bootstrapping:subscribe_private',
      'bootstrapping:snapshots',
      'quoting',
    ]);
    sim.step();
    await until(() => live(sim).length === 4, 'two-sided quotes on both instruments');
    for (const name of ['BTC-PERPETUAL', 'ETH-PERPETUAL']) {
      const q = live(sim, name);
      const bid = q.find((x) => x.side === 'bid')!;
      const ask = q.find((x) => x.side === 'ask')!;
      const tick = name === 'BTC-PERPETUAL' ? 1 : 0.1;
      const mark = sim.venue.market(name)!.ref;
      expect(bid.price).toBeLessThan(ask.price);
      expect(Math.abs(bid.price / tick - Math.round(bid.price / tick))).toBeLessThan(1e-6);
      // 10 bps spread around the mid, rounded outwards to the tick.
      expect(ask.price - bid.price).toBeGreaterThanOrEqual(mark * 0.001 - 2 * tick);
      expect(ask.price - bid.price).toBeLessThanOrEqual(mark * 0.001 + 3 * tick);
      expect(bid.amount).toBe(0.01);
    }
    expect(sim.calls('private/set_cancel_on_disconnect')).toBe(1);
    expect(sim.calls('private/set_mm_protection')).toBe(2); // FBTCUSD, FETHUSD
  });

  it('requotes when the market moves, and sends nothing when a tick changes nothing', async () => {
    const { sim, engine } = await setup();
    await engine.start();
    sim.step();
    await until(() => live(sim).length === 4, 'quotes');
    // Our own quotes are part of the book the ticker shows, so let the book settle first: until
    // a republished book is read with nothing left in flight.
    for (let k = 0; k < 5; k++) {
      const t = engine.metrics().ticks;
      sim.republish();
      await until(() => engine.metrics().ticks >= t + 2 && engine.metrics().requests.inFlight === 0, 'the republished tickers read, replies in');
    }
    const before = live(sim, 'BTC-PERPETUAL').map((q) => q.price).join();
    const sent = recordAmounts(sim);
    const ticks = engine.metrics().ticks;
    sim.republish(); // same market, same tickers
    sim.republish();
    await until(() => engine.metrics().ticks >= ticks + 4, 'the repeated tickers to be read');
    // Barrier: a new size requotes both instruments. A quote made for the repeated tickers
    // would reach the venue first (one connection, in order) at the old size, 0.01.
    engine.setPricingParams({ size: 0.02 });
    sim.republish(); // parameters apply from the next pricing: the same tickers once more
    await until(() => live(sim).length === 4 && live(sim).every((q) => q.amount === 0.02), 'the requote at the new size');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.flat().every((a) => a === 0.02), `amounts sent after the repeated tickers: ${JSON.stringify(sent)}`).toBe(true);
    await actUntil(() => live(sim, 'BTC-PERPETUAL').map((q) => q.price).join() !== before, () => sim.step(5), 'the market to move our BTC quotes', 10_000, 20);
    expect(engine.metrics().quoteRtt.count).toBeGreaterThan(0);
    expect(engine.metrics().tickToWire.count).toBeGreaterThan(0);
    // The HDR log for offline analysis: V2 format, one tagged histogram line per metric.
    const log = engine.hdrLog();
    expect(log).toContain('#[Histogram log format version 1.3]');
    expect(log).toMatch(/^Tag=quoteRtt,/m);
    expect(log).toMatch(/^Tag=tickToWire,/m);
  });

  it('a dropped connection leaves no quote (cancel-on-disconnect) and the engine comes back through the full bootstrap', async () => {
    const { sim, engine } = await setup();
    await engine.start();
    sim.step();
    await until(() => live(sim).length === 4, 'quotes');
    const firstSession = live(sim)[0]!.session;
    sim.dropConnections(); // abrupt, no close frame
    await until(() => live(sim).filter((q) => q.session === firstSession).length === 0, 'old session quotes gone');
    await until(() => engine.reconnects === 1 && engine.state === 'quoting', 'reconnected and quoting');
    expect(sim.calls('public/login')).toBe(2);
    expect(sim.calls('private/set_cancel_on_disconnect')).toBe(2);
    expect(sim.calls('private/set_mm_protection')).toBe(4);
    sim.step();
    await until(() => live(sim).length === 4, 'quotes from the new session');
    expect(live(sim).every((q) => q.session !== firstSession)).toBe(true);
  });

  it('stop() cancels everything and waits for the reply; kill() halts until resume()', async () => {
    const { sim, engine } = await setup();
    await engine.start();
    sim.step();
    await until(() => live(sim).length === 4, 'quotes');
    await engine.kill();
    expect(live(sim)).toEqual([]);
    expect(engine.state).toBe('halted');
    const calls = sim.calls('private/mass_quote');
    const ticks = engine.metrics().ticks;
    sim.step(5);
    // The halted loop has seen the moved market once its tickers are read.
    await until(() => engine.metrics().ticks >= ticks + 2, 'the tickers read while halted');
    expect(sim.calls('private/mass_quote')).toBe(calls);
    expect(engine.metrics().requests.inFlight).toBe(0);
    expect(live(sim)).toEqual([]);
    engine.resume();
    await until(() => engine.protectionStates()['FBTCUSD'] === 'armed', 're-armed after the cancel reset the groups');
    sim.step();
    await until(() => live(sim).length === 4, 'quoting again after resume');
    await engine.stop();
    expect(live(sim)).toEqual([]);
    expect(engine.metrics().cancelRtt.count).toBe(2);
    expect(engine.state).toBe('stopped');
  });

  it('quotes through piscina pricing workers', async () => {
    const { sim, engine } = await setup({}, { pricing: { mode: 'workers', params: { spreadBps: 10, size: 0.01 } } });
    await engine.start();
    sim.step();
    await until(() => live(sim).length === 4, 'quotes from the workers');
    expect(engine.metrics().tickToWire.count).toBeGreaterThan(0);
  });

  it('a pricing worker that dies is replaced: its quotes are pulled meanwhile, then quoting resumes', async () => {
    const chaos = new URL('../fixtures/pricers/chaos.mjs', import.meta.url).href;
    const { sim, engine } = await setup({}, { instruments: ['BTC-PERPETUAL'], pricing: { mode: 'workers', pricerModule: chaos, params: { '0': 0 } } });
    await engine.start();
    sim.step();
    await until(() => live(sim).length === 2, 'quotes from the chaos pricer in mode 0');
    engine.setPricingParams({ '0': 2 }); // the pricer now exits its worker thread
    await actUntil(() => live(sim).length === 0, () => sim.step(), 'the quotes pulled while the pricer is down', 10_000, 20);
    engine.setPricingParams({ '0': 0 });
    await actUntil(() => live(sim).length === 2, () => sim.step(), 'quotes again from the replacement worker', 15_000, 25);
    expect(engine.state).toBe('quoting');
  });

  it('latest wins: a slow pricer on a fast feed skips ticks and never quotes an older one', async () => {
    const chaos = new URL('../fixtures/pricers/chaos.mjs', import.meta.url).href;
    const { sim, engine } = await setup({}, { instruments: ['BTC-PERPETUAL'], pricing: { mode: 'workers', pricerModule: chaos, params: { '0': 4, '1': 2 } } });
    await engine.start(); // mode 4: busy-wait 2 ms per quote
    for (let k = 0; k < 40; k++) {
      sim.step(5); // 5 ticks at once, far faster than the pricer
      await new Promise((r) => setTimeout(r, 3));
    }
    await until(() => live(sim).length === 2, 'quotes');
    const m = engine.metrics();
    expect(m.ticks).toBeGreaterThanOrEqual(150);
    expect(m.quotesSent).toBeLessThan(m.ticks); // intermediate ticks were skipped, not queued
    expect(m.staleDropped).toBe(0); // and nothing older than a sent quote reached the loop
  });

  it('fills move the position, each counted once, and agree with the venue', async () => {
    const { sim, engine } = await setup({ takerProbability: 1, takerMaxLots: 3 }, { pricing: { mode: 'inline', params: { spreadTicks: 2, size: 0.005 } }, risk: { maxPosition: 100, maxProductPosition: 100 } });
    const fills: string[] = [];
    engine.on('fill', (f) => fills.push(f.tradeId));
    await engine.start();
    await actUntil(() => fills.length >= 3, () => sim.step(), 'three fills');
    expect(new Set(fills).size).toBe(fills.length);
    await until(() => Math.abs(engine.positions()['BTC-PERPETUAL']! - sim.venue.position('A000000001', 'BTC-PERPETUAL')) < 1e-9 && Math.abs(engine.positions()['ETH-PERPETUAL']! - sim.venue.position('A000000001', 'ETH-PERPETUAL')) < 1e-9, 'positions to agree');
  });

  it('a protection trip stops that product only, then re-arms after the cool-down', async () => {
    const { sim, engine } = await setup(
      { takerProbability: 1, takerMaxLots: 5 },
      {
        instruments: ['BTC-PERPETUAL', 'ETH-PERPETUAL'],
        pricing: { mode: 'inline', params: { spreadTicks: 2, size: 0.005 } },
        protection: { default: { tradeAmount: 1, quoteAmount: 1 }, products: { FBTCUSD: { tradeAmount: 0.005, quoteAmount: 0.01 } }, cooldownMs: 300, maxTrips: 100 },
        risk: { maxPosition: 100, maxProductPosition: 100 },
      },
    );
    const states: string[] = [];
    engine.on('protection', (p) => states.push(`${p.product}:${p.state}`));
    await engine.start();
    await actUntil(() => states.includes('FBTCUSD:cooling'), () => sim.step(), 'a FBTCUSD protection trip');
    expect(states).not.toContain('FETHUSD:cooling');
    await until(() => states.lastIndexOf('FBTCUSD:armed') > states.indexOf('FBTCUSD:cooling'), 're-armed after the cool-down', 5_000);
  });

  it('the venue\'s system reconnect notice makes a planned reconnect: quotes cancelled first, then the full bootstrap', async () => {
    const { sim, engine } = await setup();
    await engine.start();
    sim.step();
    await until(() => live(sim).length === 4, 'quotes');
    sim.announceReconnect();
    await until(() => engine.reconnects === 1 && engine.state === 'quoting', 'reconnected');
    expect(sim.calls('private/cancel_mass_quote')).toBe(1);
    expect(sim.calls('public/login')).toBe(2);
    sim.step();
    await until(() => live(sim).length === 4, 'quoting again');
  });

  it('a throttle refusal (code 4) is counted, the refused quote re-sent, and quoting goes on', async () => {
    const { sim, engine } = await setup();
    await engine.start();
    sim.faults.throttleNext('private/mass_quote', 3);
    await actUntil(() => live(sim).length === 4, () => sim.step(), 'both instruments quoted past the throttle', 10_000, 20);
    expect(engine.metrics().requestErrors['4']).toBe(3);
    expect(live(sim)).toHaveLength(4);
    expect(engine.state).toBe('quoting');
  });

  it('refuses to start with a key the venue does not know, with a coded error', async () => {
    const { sim } = await setup();
    const bad = new Engine({ ...engineConfig(sim), credentials: { keyId: 'nobody', privateKeyPem: (await import('../helpers/venue.js')).TEST_PRIVATE_PEM } });
    bad.on('engineError', () => {});
    await expect(bad.start()).rejects.toMatchObject({ code: 'ENGINE_ERR_BOOTSTRAP', step: 'login' });
    expect(bad.state).toBe('stopped');
  });

  it('a tripped product waits out its cool-down through a drop, a planned reconnect and kill/resume', async () => {
    const { sim, engine } = await setup(
      { takerProbability: 1, takerMaxLots: 5 },
      {
        pricing: { mode: 'inline', params: { spreadTicks: 2, size: 0.005 } },
        // A cool-down no test outlives: whatever re-arms FBTCUSD below is a bypass.
        protection: { default: { tradeAmount: 1, quoteAmount: 1 }, products: { FBTCUSD: { tradeAmount: 0.005, quoteAmount: 0.01 } }, cooldownMs: 3_600_000, maxTrips: 100 },
        risk: { maxPosition: 100, maxProductPosition: 100, staleMs: 60_000 },
      },
    );
    await engine.start();
    await actUntil(() => engine.protectionStates()['FBTCUSD'] === 'cooling', () => sim.step(), 'a FBTCUSD protection trip');
    sim.venue.setTakerProbability(0);
    const venueGroups = () => [...(sim.venue.sessions().find((s) => !s.ended)?.protection.keys() ?? [])].sort();
    const btcQuotes = () => live(sim, 'BTC-PERPETUAL').length;
    const expectStillCooling = () => {
      expect(engine.protectionStates()).toEqual({ FBTCUSD: 'cooling', FETHUSD: 'armed' });
      expect(venueGroups()).toEqual(['FETHUSD']);
      expect(btcQuotes()).toBe(0);
    };

    // A drop: the new session's bootstrap arms FETHUSD only.
    sim.dropConnections();
    await until(() => engine.reconnects === 1 && engine.state === 'quoting', 'reconnected');
    await until(() => engine.protectionStates()['FETHUSD'] === 'armed', 'FETHUSD armed');
    sim.step();
    expectStillCooling();

    // The venue's reconnect notice: cancel-all, then a new session.
    sim.announceReconnect();
    await until(() => engine.reconnects === 2 && engine.state === 'quoting', 'reconnected again');
    await until(() => engine.protectionStates()['FETHUSD'] === 'armed', 'FETHUSD armed again');
    expectStillCooling();

    // Kill and resume: the housekeeping pass that re-arms FETHUSD leaves FBTCUSD cooling.
    await engine.kill();
    engine.resume();
    await until(() => engine.protectionStates()['FETHUSD'] === 'armed', 'FETHUSD re-armed after resume');
    const ticks = engine.metrics().ticks;
    sim.step();
    await until(() => engine.metrics().ticks > ticks && engine.metrics().requests.inFlight === 0, 'the step read, replies in');
    expectStillCooling();
  });

  it('after a pricing worker restart, quotes come from a fresh result, never from the candidate priced before the crash', async () => {
    const chaos = new URL('../fixtures/pricers/chaos.mjs', import.meta.url).href;
    const { sim, engine } = await setup({ takerProbability: 0 }, { instruments: ['BTC-PERPETUAL'], pricing: { mode: 'workers', pricerModule: chaos, params: { '0': 0 } }, risk: { staleMs: 60_000 } });
    // Every bid price the venue is sent, in order.
    const sentBids: number[] = [];
    const massQuote = sim.venue.massQuote.bind(sim.venue);
    sim.venue.massQuote = (s, params) => {
      for (const q of params['quotes'] as Array<{ i?: string; b?: unknown }>) {
        if (q.i === 'BTC-PERPETUAL' && Array.isArray(q.b) && Array.isArray(q.b[0])) sentBids.push((q.b[0] as number[])[0]!);
        else if (q.i === 'BTC-PERPETUAL' && q.b !== null && typeof q.b === 'object' && 'p' in q.b) sentBids.push((q.b as { p: number }).p);
      }
      return massQuote(s, params);
    };
    // The chaos pricer in mode 0: bid = book mid − 1, rounded down to the tick by the risk step.
    const freshBid = () => {
      const m = sim.venue.market('BTC-PERPETUAL')!;
      return Math.floor((m.bid + m.ask) / 2 - 1 + 1e-9);
    };
    await engine.start();
    sim.step();
    // (The ticker sent on subscribe may be quoted first: wait for the one of this step.)
    await until(() => live(sim).length === 2 && live(sim).find((q) => q.side === 'bid')!.price === freshBid(), 'quotes on the latest tick');
    const crashBid = freshBid();
    engine.setPricingParams({ '0': 2 }); // the worker exits on its next pricing
    await until(() => live(sim).length === 0, 'pulled while the worker is down');
    // Move the market well away while the pricer is down, then let the next worker live.
    const ticks = engine.metrics().ticks;
    let steps = 0;
    for (; steps < 500 && Math.abs(freshBid() - crashBid) < 5; steps++) sim.step();
    expect(Math.abs(freshBid() - crashBid)).toBeGreaterThanOrEqual(5);
    // Every one of those tickers read (and none priced: mode 2 still) before the pricer recovers.
    await until(() => engine.metrics().ticks >= ticks + steps, 'the tickers read');
    const expected = freshBid();
    const before = sentBids.length;
    engine.setPricingParams({ '0': 0 });
    // The new worker prices the latest tick; should it be slow, a tick now and then (the market
    // moves, so the expected price is re-read).
    let want = expected;
    let polls = 0;
    await actUntil(
      () => sentBids.length > before,
      () => {
        if (++polls % 40 === 0) {
          sim.step();
          want = freshBid();
        }
      },
      'a quote from the restarted worker',
      15_000,
      25,
    );
    expect(sentBids[before]).not.toBe(crashBid);
    expect([expected, want]).toContain(sentBids[before]);
  });

  it('a protection setting the builders refuse makes start() reject before it is sent, instead of retrying forever', async () => {
    const { sim, engine } = await setup();
    // Past config validation (which refuses it): trade_amount above quote_amount, which the venue
    // would refuse with code 22; protocol/builders.ts refuses it first.
    (engine.config.protection.default as { tradeAmount: number }).tradeAmount = 2;
    let outcome: unknown;
    engine.start().then(
      () => (outcome = 'started'),
      (e: unknown) => (outcome = e),
    );
    await until(() => outcome !== undefined, 'start() to settle');
    expect(outcome).toMatchObject({ code: 'ENGINE_ERR_BOOTSTRAP', step: 'mm_protection', cause: { code: 'PROTO_ERR_BAD_PROTECTION_AMOUNT', path: 'trade_amount' } });
    expect(engine.state).toBe('stopped');
    expect(sim.calls('private/set_cancel_on_disconnect')).toBe(1);
    expect(sim.calls('private/set_mm_protection')).toBe(0);
    expect(sim.calls('private/mass_quote')).toBe(0);
  });
});

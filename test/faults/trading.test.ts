import { afterEach, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../helpers/relay.js';
import { codes, expectPromisesKept, expectRecovered, rig, stepUntil, teardown, until, venueQuotes } from './rig.js';

const relays: Relay[] = [];
afterEach(async () => {
  await teardown();
  for (const r of relays.splice(0)) await r.close();
});

const chaos = new URL('../fixtures/pricers/chaos.mjs', import.meta.url).href;

describe('faults: trading', () => {
  it('protection trips on several products at once: each is pulled, cools down and re-arms; the engine agrees with the venue throughout', async () => {
    const r = await rig(
      { takerProbability: 1, takerMaxLots: 5 },
      {
        pricing: { mode: 'inline', params: { spreadTicks: 2, size: 0.01 } },
        // Small enough that one taker (up to 5 lots) exhausts either product's group.
        protection: { default: { tradeAmount: 0.01, quoteAmount: 0.02 }, products: { FBTCUSD: { tradeAmount: 0.002, quoteAmount: 0.02 } }, cooldownMs: 200, maxTrips: 100 },
        risk: { maxPosition: 100, maxProductPosition: 100 },
      },
    );
    const trips = new Set<string>();
    r.engine.on('protection', (p) => {
      if (p.state === 'cooling') trips.add(p.product);
    });
    await r.engine.start();
    await stepUntil(r, () => trips.size === 2, 'both products to trip', { ms: 10 });
    // Taker flow off: let both re-arm and the engine settle against the venue.
    r.sim.venue.setTakerProbability(0);
    await expectRecovered(r);
    expect(Object.values(r.engine.protectionStates())).toEqual(['armed', 'armed']);
  });

  it('a pricer that throws: its worker is replaced, its quotes pulled meanwhile (PRICING_ERR_WORKER), quoting resumes', async () => {
    const r = await rig({}, { instruments: ['BTC-PERPETUAL'], pricing: { mode: 'workers', pricerModule: chaos, params: { '0': 0 } } });
    await r.engine.start();
    await stepUntil(r, () => venueQuotes(r).length === 2, 'quotes');
    r.engine.setPricingParams({ '0': 1 });
    await stepUntil(r, () => venueQuotes(r).length === 0 && codes(r).includes('PRICING_ERR_WORKER'), 'the pull');
    r.engine.setPricingParams({ '0': 0 });
    await expectRecovered(r);
  });

  it('a pricer that hangs (infinite loop): the stalled heartbeat is caught, the thread terminated, quotes pulled, quoting resumes', async () => {
    const r = await rig({}, { instruments: ['BTC-PERPETUAL'], pricing: { mode: 'workers', pricerModule: chaos, params: { '0': 0 } } });
    await r.engine.start();
    await stepUntil(r, () => venueQuotes(r).length === 2, 'quotes');
    r.engine.setPricingParams({ '0': 3 });
    await stepUntil(r, () => venueQuotes(r).length === 0 && r.errors.some((e) => (e as { reason?: string }).reason === 'hung'), 'the hang to be caught', { timeoutMs: 20_000 });
    r.engine.setPricingParams({ '0': 0 });
    await expectRecovered(r);
  });

  it('the venue stops reading: at most maxInFlight quotes are written into the void, then the connection is dropped and the venue cancels on disconnect', async () => {
    const r = await rig(
      { instruments: 40 },
      {
        instruments: Array.from({ length: 40 }, (_, k) => (k === 0 ? 'BTC-PERPETUAL' : k === 1 ? 'ETH-PERPETUAL' : `S${k}-PERPETUAL`)),
        pricing: { mode: 'inline', params: { spreadBps: 20, size: 0.1, levels: 10 } },
        protection: { default: { tradeAmount: 100, quoteAmount: 1000 } },
        risk: { maxQuoteAmount: 10, maxOpenExposure: 1e6, maxPosition: 100, maxProductPosition: 100 },
        quoting: { maxInFlight: 16 },
        rpc: { timeoutMs: 500, hotTimeoutMs: 500 },
        cancelOnDisconnectSecs: 1,
      },
    );
    const relay = await startRelay(r.sim.port);
    relays.push(relay);
    // The engine talks to the venue through the relay.
    (r.engine.config as { url: string }).url = relay.url(r.sim.url);
    await r.engine.start();
    await stepUntil(r, () => venueQuotes(r).length === 80 * 10, 'ten levels a side on 40 instruments');
    relay.stall();
    // Every step moves every market: each is a full mass quote of ~20 kB the venue never reads.
    let peak = 0;
    await stepUntil(
      r,
      () => {
        peak = Math.max(peak, r.engine.metrics().requests.inFlight);
        return r.engine.reconnects >= 1;
      },
      'the drop',
      { ms: 5, timeoutMs: 10_000 },
    );
    // Unanswered writes stop at the in-flight cap (16 quotes; a cold request such as a
    // protection re-arm may be in flight besides): the socket never holds more than that.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(16 + 2);
    // Either our reply deadline or the venue's silence timeout ends it; either way the venue
    // holds nothing of ours.
    expect(codes(r).includes('ENGINE_ERR_REPLY_TIMEOUT') || r.engine.metrics().requests.disconnected > 0).toBe(true);
    await until(() => venueQuotes(r).length === 0, 'the venue to pull the quotes', 10_000);
    relay.resume();
    expectPromisesKept(r);
    await expectRecovered(r);
  });
});

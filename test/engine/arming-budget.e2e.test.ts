import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { QuoterError } from '../../src/errors.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { engineConfig, simulator, until } from '../helpers/venue.js';
import { ThalexErrorCode } from '../../src/protocol/error-codes.js';
import { VenueReject } from '../../src/sim/errors.js';

const open: Array<{ engine: Engine; sim: SimulatorHandle }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.engine.stop();
    await o.sim.stop();
  }
});

/** 20 products (one instrument each) on a simulator that enforces `messageRate`; errors collected. */
async function twentyProducts(messageRate: number, stepsPerSecond: number): Promise<{ sim: SimulatorHandle; engine: Engine; errors: QuoterError[] }> {
  const names = Array.from({ length: 20 }, (_, k) => (k < 2 ? ['BTC-PERPETUAL', 'ETH-PERPETUAL'][k]! : `S${k}-PERPETUAL`));
  const sim = await simulator({ instruments: 20, messageRate, throttle: true, stepsPerSecond });
  const engine = new Engine(engineConfig(sim, { instruments: names, pricing: { mode: 'inline', params: { spreadBps: 20, size: 0.1 } } }));
  open.push({ engine, sim });
  const errors: QuoterError[] = [];
  engine.on('engineError', (e) => errors.push(e));
  return { sim, engine, errors };
}

/**
 * Re-arming market maker protection spends the session's message budget, as quotes do. A
 * cancel_mass_quote resets every product's group at the venue (spec); with 20 products each kill
 * and resume re-arms 20 groups, and unbudgeted those went out at once on the next housekeeping
 * pass: a few cycles a second were enough for the venue to throttle (code 4), the kill's own
 * cancel included.
 */
describe('protection re-arming within the message budget', () => {
  it('20 products, message_rate 100 enforced: ten kill/resume cycles in a row get no throttle error, and every one quotes again', async () => {
    const { sim, engine, errors } = await twentyProducts(100, 50);
    await engine.start();
    for (let k = 0; k < 10; k++) {
      await engine.kill(); // rejects if the venue throttled the cancel
      const sent = engine.quotesSent;
      engine.resume();
      await until(() => engine.quotesSent > sent, `quoting again after kill ${k + 1}`, 20_000);
    }
    expect(errors.filter((e) => /throttle/i.test(e.message))).toEqual([]);
    // …and every product's protection is armed again in the end, within the budget.
    await until(() => Object.values(engine.protectionStates()).filter((st) => st === 'armed').length === 20, 'all 20 products armed again', 20_000);
    expect(errors.filter((e) => /throttle/i.test(e.message))).toEqual([]);
    expect(sim.calls('private/set_mm_protection')).toBeGreaterThanOrEqual(20 + 20);
  });

  it('re-arming goes before requotes when quoting is budget-limited: no product waits for its protection behind other products\' quotes', async () => {
    // 20 products moving 100 times a second want ~100 mass quotes a second; message_rate 40
    // allows 36. After a kill every group is reset and must be re-armed (20 requests): those get
    // the tokens first. Before the reservation, each token went to the 1 ms requote retry of the
    // products already armed, and the others waited their turn behind those quotes.
    const { sim, engine } = await twentyProducts(40, 100);
    await engine.start();
    const allArmed = () => Object.values(engine.protectionStates()).filter((st) => st === 'armed').length === 20;
    await until(allArmed, 'all 20 products armed at start', 20_000);
    await engine.kill();
    // The venue handles one connection's requests in order: the mass quotes it has seen when the
    // 20th set_mm_protection of the resume arrives are those sent before every product's request.
    const quotesBefore = sim.calls('private/mass_quote');
    let arms = 0;
    let quotesAtLastArm = -1;
    const setProtection = sim.venue.setProtection.bind(sim.venue);
    sim.venue.setProtection = (...a: Parameters<typeof setProtection>) => {
      if (++arms === 20) quotesAtLastArm = sim.calls('private/mass_quote');
      setProtection(...a);
    };
    engine.resume();
    await until(allArmed, 'all 20 products armed again', 20_000);
    expect(arms).toBe(20);
    expect(quotesAtLastArm - quotesBefore).toBe(0);
    const sent = engine.quotesSent;
    await until(() => engine.quotesSent > sent, 'quoting after re-arming', 20_000);
  });

  it('a product the venue refuses to re-arm backs off: the others are re-armed and quote', async () => {
    // Before the back-off, a refused product was due again on every 20 ms pass, took the budget's
    // tokens first and, with arming ahead of quotes, held every other product's quotes back.
    const { sim, engine } = await twentyProducts(40, 100);
    await engine.start();
    const refused = sim.venue.instruments.get('S5-PERPETUAL')!.product;
    let refusals = 0;
    const setProtection = sim.venue.setProtection.bind(sim.venue);
    sim.venue.setProtection = (s, product, trade, quote) => {
      if (product === refused) {
        refusals++;
        throw new VenueReject(ThalexErrorCode.InvalidRequest, `product ${product} refused (test)`);
      }
      setProtection(s, product, trade, quote);
    };
    await engine.kill();
    engine.resume();
    await until(() => Object.entries(engine.protectionStates()).filter(([p, st]) => p !== refused && st === 'armed').length === 19, 'the 19 other products re-armed', 20_000);
    const quotes = sim.calls('private/mass_quote');
    await until(() => sim.calls('private/mass_quote') >= quotes + 20, '20 more mass quotes', 20_000);
    expect(engine.protectionStates()[refused]).not.toBe('armed');
    // 100 ms, 200, 400, … between attempts: a handful so far, not one every 20 ms.
    expect(refusals).toBeGreaterThanOrEqual(1);
    expect(refusals).toBeLessThanOrEqual(12);
  });

  it('a ThrottleExceeded refusal of a re-arm halves the message budget, as a refused quote does', async () => {
    const { sim, engine } = await twentyProducts(40, 100);
    await engine.start();
    const full = engine.metrics().sendRate;
    expect(full).toBeCloseTo(0.9 * 40, 6);
    const throttled = sim.venue.instruments.get('S7-PERPETUAL')!.product;
    let refusals = 0;
    const setProtection = sim.venue.setProtection.bind(sim.venue);
    sim.venue.setProtection = (s, product, trade, quote) => {
      if (product === throttled && refusals === 0) {
        refusals++;
        throw new VenueReject(ThalexErrorCode.ThrottleExceeded, 'throttled (test)');
      }
      setProtection(s, product, trade, quote);
    };
    await engine.kill();
    engine.resume();
    await until(() => refusals === 1, 'the re-arm refused with ThrottleExceeded', 20_000);
    // The budget recovers linearly over 5 s, so it is still below the full rate right after.
    await until(() => (engine.metrics().sendRate ?? full!) < full! * 0.75, 'the budget halved', 2_000);
    // The product is re-armed after its back-off all the same.
    await until(() => engine.protectionStates()[throttled] === 'armed', 'the throttled product re-armed', 20_000);
  });
});

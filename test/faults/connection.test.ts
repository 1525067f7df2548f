import { afterEach, describe, expect, it } from 'vitest';
import { startRelay } from '../helpers/relay.js';
import { codes, expectRecovered, rig, stepUntil, teardown, until, venueQuotes } from './rig.js';

afterEach(teardown);

/** Every request of the bootstrap, in order (engine/bootstrap.ts). */
const BOOTSTRAP = ['public/login', 'private/set_cancel_on_disconnect', 'public/instruments', 'private/set_mm_protection', 'public/subscribe', 'private/subscribe'];

describe('faults: the connection', () => {
  for (const when of ['after', 'before'] as const) {
    it(`dropped at every bootstrap step (${when === 'after' ? 'request executed, reply lost' : 'request never executed'}): the bootstrap starts over, nothing quoted early`, async () => {
      for (const method of BOOTSTRAP) {
        const r = await rig();
        r.sim.faults.closeOn(method, { when });
        await r.engine.start();
        expect(r.engine.reconnects, method).toBe(1);
        expect(r.sim.calls('public/login'), method).toBe(2);
        expect(r.errors.length, method).toBeGreaterThan(0);
        await expectRecovered(r);
        await teardown();
      }
    });
  }

  it('dropped in the middle of a mass quote: the venue pulls the quotes (cancel-on-disconnect), the request fails, the engine re-quotes from scratch', async () => {
    const r = await rig();
    await r.engine.start();
    await stepUntil(r, () => venueQuotes(r).length === 4, 'quotes');
    const first = venueQuotes(r)[0]!.session;
    r.sim.faults.closeOn('private/mass_quote', { when: 'after' });
    await stepUntil(r, () => r.engine.reconnects === 1, 'the drop');
    expect(venueQuotes(r).filter((q) => q.session === first)).toEqual([]);
    expect(r.engine.metrics().requests.disconnected).toBeGreaterThanOrEqual(1);
    await expectRecovered(r);
  });

  for (const code of [1001, 1011, undefined]) {
    it(`closed by the venue with ${code ?? '1006 (no close frame)'}: reconnect, full bootstrap, same state`, async () => {
      const r = await rig({ takerProbability: 0.5, takerMaxLots: 1 }, { risk: { maxPosition: 100, maxProductPosition: 100 } });
      await r.engine.start();
      await stepUntil(r, () => venueQuotes(r).length === 4, 'quotes');
      r.sim.dropConnections(code);
      await until(() => r.engine.reconnects === 1, 'the reconnect');
      expect(r.states.some((s) => s.startsWith(`reconnecting:closed ${code ?? 1006}`))).toBe(true);
      await expectRecovered(r);
      expect(r.sim.calls('private/set_cancel_on_disconnect')).toBe(2);
    });
  }

  it('login rejected on reconnect: retried with backoff, never quoting, until the venue accepts again', async () => {
    const r = await rig();
    await r.engine.start();
    await stepUntil(r, () => venueQuotes(r).length === 4, 'quotes');
    r.sim.faults.rejectLogins = true;
    r.sim.dropConnections();
    // Counted where the engine reports them: the venue counts a login before its refusal is read.
    const refused = () => r.errors.filter((e) => e.code === 'ENGINE_ERR_BOOTSTRAP');
    await until(() => refused().length >= 3, 'three refused logins reported');
    expect(r.sim.calls('public/login')).toBeGreaterThanOrEqual(4);
    expect(r.engine.state).not.toBe('quoting');
    expect(venueQuotes(r)).toEqual([]);
    expect(refused().every((e) => (e as unknown as { step: string }).step === 'login')).toBe(true);
    r.sim.faults.rejectLogins = false;
    await expectRecovered(r);
  });

  it('login rejected at the first start: start() rejects with a coded error and nothing is left running', async () => {
    const r = await rig();
    r.sim.faults.rejectLogins = true;
    await expect(r.engine.start()).rejects.toMatchObject({ code: 'ENGINE_ERR_BOOTSTRAP', step: 'login' });
    expect(r.engine.state).toBe('stopped');
    expect(r.sim.calls('private/mass_quote')).toBe(0);
    await until(() => r.sim.connections() === 0, 'the connection closed');
  });

  it('the system reconnect notice: cancel first, reconnect, same state', async () => {
    const r = await rig();
    await r.engine.start();
    await stepUntil(r, () => venueQuotes(r).length === 4, 'quotes');
    r.sim.announceReconnect();
    await until(() => r.engine.reconnects === 1, 'the planned reconnect');
    expect(r.sim.calls('private/cancel_mass_quote')).toBe(1);
    expect(codes(r)).toEqual([]);
    await expectRecovered(r);
  });

  it('the venue unreachable for a while (connection refused, then back): retried with backoff, reported, same state after', async () => {
    const r = await rig();
    let relay = await startRelay(r.sim.port);
    (r.engine.config as { url: string }).url = relay.url(r.sim.url);
    await r.engine.start();
    await stepUntil(r, () => venueQuotes(r).length === 4, 'quotes');
    const port = relay.port;
    await relay.close(); // drops the connection and refuses new ones
    await until(() => r.errors.filter((e) => e.code === 'WS_ERR_HANDSHAKE').length >= 3, 'three refused connects');
    expect(venueQuotes(r)).toEqual([]);
    expect(r.states.some((s) => s.startsWith('reconnecting:connect failed'))).toBe(true);
    relay = await startRelay(r.sim.port, port);
    try {
      await expectRecovered(r);
    } finally {
      await relay.close();
    }
  });
});

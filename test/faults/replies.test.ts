import { afterEach, describe, expect, it } from 'vitest';
import { codes, expectPromisesKept, expectRecovered, rig, stepUntil, teardown, until, venueQuotes } from './rig.js';

afterEach(teardown);

/** Short deadlines so that timeouts happen within the test. */
const FAST = { rpc: { timeoutMs: 300, hotTimeoutMs: 300 } };

describe('faults: replies and bad input from the venue', () => {
  it('mass-quote replies never sent: the request times out, the connection is dropped so cancel-on-disconnect pulls the quotes', async () => {
    const r = await rig({}, FAST);
    await r.engine.start();
    await stepUntil(r, () => venueQuotes(r).length === 4, 'quotes');
    r.sim.faults.dropReplies('private/mass_quote');
    await stepUntil(r, () => r.engine.reconnects >= 1, 'the drop after the timeout');
    expect(codes(r)).toContain('ENGINE_ERR_REPLY_TIMEOUT');
    expect(r.engine.metrics().requests.timedOut).toBeGreaterThanOrEqual(1);
    r.sim.faults.clear();
    await expectRecovered(r);
  });

  it('mass-quote replies delayed past the deadline: same as lost; the late replies are strays, not mistaken for new ones', async () => {
    const r = await rig({}, FAST);
    await r.engine.start();
    await stepUntil(r, () => venueQuotes(r).length === 4, 'quotes');
    r.sim.faults.delayReplies('private/mass_quote', 600);
    await stepUntil(r, () => r.engine.reconnects >= 1, 'the drop after the timeout');
    expect(codes(r)).toContain('ENGINE_ERR_REPLY_TIMEOUT');
    r.sim.faults.clear();
    await expectRecovered(r);
  });

  it('a bootstrap reply that never comes (and one that comes too late): the step times out with a coded error and the bootstrap is retried', async () => {
    const r = await rig({}, FAST);
    r.sim.faults.dropReplies('private/set_cancel_on_disconnect', 1);
    r.sim.faults.delayReplies('public/instruments', 600);
    const started = r.engine.start();
    await until(() => r.errors.filter((e) => e.code === 'ENGINE_ERR_BOOTSTRAP').length >= 2, 'two bootstrap timeouts');
    expect(r.sim.calls('private/mass_quote')).toBe(0);
    const causes = r.errors.map((e) => (e as Error & { cause?: { code?: string } }).cause?.code);
    expect(causes).toContain('RPC_ERR_TIMEOUT');
    r.sim.faults.clear();
    await started;
    await expectRecovered(r);
  });

  it('throttle storm (code 4 on every quote for a while): counted, backed off, quoting resumes when it passes', async () => {
    const r = await rig();
    await r.engine.start();
    const calls0 = r.sim.calls('private/mass_quote');
    r.sim.faults.throttleNext('private/mass_quote', 40);
    // Nothing gets through the storm: while the venue has seen at most the 40 refused requests, it
    // holds no quote. (Sampled only then: with up to maxInFlight requests out, the 41st may be
    // accepted before the engine has read the 40th refusal, and that is no leak.)
    let leaked = 0;
    await stepUntil(
      r,
      () => {
        if (r.sim.calls('private/mass_quote') - calls0 <= 40 && venueQuotes(r).length > 0) leaked++;
        return (r.engine.metrics().requestErrors['4'] ?? 0) >= 40;
      },
      'the storm to pass',
      { ms: 10, timeoutMs: 20_000 },
    );
    expect(leaked).toBe(0);
    await expectRecovered(r);
    expect(r.engine.metrics().requestErrors['4']).toBe(40);
  });

  it('malformed JSON, wrong shapes, unknown ids and channels, binary frames: reported, nothing breaks, no reconnect', async () => {
    const r = await rig();
    await r.engine.start();
    await stepUntil(r, () => venueQuotes(r).length === 4, 'quotes');
    const before = r.errors.length;
    r.sim.sendMalformed(); // a truncated ticker
    for (const bad of [
      'not json at all',
      '[1,2,3]',
      '"a string"',
      '{}',
      '{"id":999999,"result":{"n_success":1,"n_fail":0,"errors":[]}}', // no such request
      '{"id":"7","result":null}',
      '{"id":1.5,"error":{"code":"x"}}',
      '{"channel_name":"nobody.listens","notification":{}}',
      '{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"best_bid_price":"high","best_ask_price":[]}}',
      '{"channel_name":"ticker.NOT-AN-INSTRUMENT.raw","notification":{"best_bid_price":1}}',
      '{"channel_name":"session.orders","notification":"not a list"}',
      '{"channel_name":"account.portfolio","notification":[{"instrument_name":5}]}',
      '{"channel_name":"session.mm_protection","notification":[{"product":null}]}',
      '{"channel_name":"system","notification":{"event":"unknown"}}',
      '{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"best_bid_price":1e999}}',
    ]) {
      r.sim.sendRaw(bad);
    }
    r.sim.sendRaw(Buffer.from('{"id":1,"result":true}'), true); // binary frame
    // Every frame above reported (they are read in order; the binary frame, last, closes nothing).
    const reported = () => {
      const c = codes(r).slice(before);
      return c.filter((x) => x === 'RPC_ERR_BAD_REPLY').length >= 4 && c.includes('RPC_ERR_STRAY_REPLY') && c.filter((x) => x === 'ENGINE_ERR_MALFORMED_NOTIFICATION').length >= 3 && c.includes('ENGINE_ERR_UNEXPECTED_CHANNEL');
    };
    await until(reported, 'the bad frames reported');
    expect(r.engine.reconnects).toBe(0);
    const seen = codes(r).slice(before);
    // Not JSON / not an object / neither id nor channel; a reply nobody asked for; account
    // notifications of the wrong shape. Each is reported, none acted on.
    expect(seen.filter((c) => c === 'RPC_ERR_BAD_REPLY').length).toBeGreaterThanOrEqual(4);
    expect(seen).toContain('RPC_ERR_STRAY_REPLY');
    expect(seen.filter((c) => c === 'ENGINE_ERR_MALFORMED_NOTIFICATION').length).toBeGreaterThanOrEqual(3);
    expect(seen).toContain('ENGINE_ERR_UNEXPECTED_CHANNEL');
    // Undecodable tickers are counted on the hot path and reported once a second.
    await until(() => codes(r).includes('ENGINE_ERR_BAD_TICKER'), 'the bad-ticker report');
    expect(r.engine.metrics().badTicks).toBeGreaterThanOrEqual(4);
    await expectRecovered(r);
    expect(r.engine.reconnects).toBe(0);
  });

  it('a frame that breaks the WebSocket protocol (text that is not UTF-8): the client closes with 1007, reconnects, same state', async () => {
    const r = await rig();
    await r.engine.start();
    await stepUntil(r, () => venueQuotes(r).length === 4, 'quotes');
    r.sim.sendInvalidFrame();
    await until(() => r.engine.reconnects === 1, 'the reconnect');
    expect(r.errors.some((e) => e.code.startsWith('WS_ERR_'))).toBe(true);
    expectPromisesKept(r);
    await expectRecovered(r);
  });
});

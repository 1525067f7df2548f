import { describe, expect, it } from 'vitest';
import { makeLoginToken, parsePrivateKey } from '../../src/protocol/login-token.js';
import { code, simRig } from '../helpers/sim-client.js';
import { validateErrorReply } from '../helpers/spec.js';
import { TEST_KEY_ID, TEST_PRIVATE_PEM, until } from '../helpers/venue.js';

const { setup, client } = simRig();

describe('simulator, over our own client, every frame validated against the spec', () => {
  it('login, cancel-on-disconnect, instruments, protection, subscriptions, mass quotes, fills, cancels', async () => {
    const { sim, c } = await setup({ takerProbability: 1, takerMaxLots: 2 });
    expect(await code(c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 }))).toBe(7);
    await c.login();
    expect(await c.call('private/set_cancel_on_disconnect', { timeout_secs: 5 })).toEqual({ message_rate: 1000 });
    const instruments = await c.call<Array<{ instrument_name: string; tick_size: number; volume_tick_size: number; product: string }>>('public/instruments');
    const btc = instruments.find((i) => i.instrument_name === 'BTC-PERPETUAL')!;
    expect([btc.tick_size, btc.volume_tick_size, btc.product]).toEqual([1, 0.001, 'FBTCUSD']);
    expect(await c.call('private/subscribe', { channels: ['session.orders', 'account.portfolio', 'account.trade_history', 'session.mm_protection', 'bogus'] })).toEqual([
      'session.orders', 'account.portfolio', 'account.trade_history', 'session.mm_protection',
    ]);
    expect(await c.call('public/subscribe', { channels: ['ticker.BTC-PERPETUAL.raw', 'ticker.BTC-PERPETUAL.100ms', 'ticker.NOPE.raw', 'system'] })).toEqual([
      'ticker.BTC-PERPETUAL.raw', 'ticker.BTC-PERPETUAL.100ms', 'system',
    ]);
    // Quoting before protection: per-side error 23.
    const m = sim.venue.market('BTC-PERPETUAL')!;
    const bid = Math.round(m.ref) - 2;
    const r0 = await c.call<{ n_success: number; n_fail: number; errors: Array<{ code: number; side: string }> }>('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: { p: bid, a: 0.01 } }] });
    expect(r0.n_fail).toBe(1);
    expect(r0.errors[0]).toMatchObject({ code: 23, side: 'bid' });
    await c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 0.003, quote_amount: 0.05 });
    // Each per-side error: misaligned price 15, misaligned amount 14, above quote_amount 44, collar 43.
    const r1 = await c.call<{ n_success: number; n_fail: number; errors: Array<{ code: number; side: string }> }>('private/mass_quote', {
      quotes: [
        { i: 'BTC-PERPETUAL', b: [[bid + 0.5, 0.01]] },
        { i: 'ETH-PERPETUAL', b: [[3000, 0.01]] }, // FETHUSD protection not set: 23
      ],
    });
    expect(r1.errors.map((e) => e.code)).toEqual([15, 23]);
    const r2 = await c.call<{ errors: Array<{ code: number }> }>('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[bid, 0.0105]], a: [[bid + 10, 0.06]] }] });
    expect(r2.errors.map((e) => e.code)).toEqual([14, 44]);
    const r3 = await c.call<{ errors: Array<{ code: number }> }>('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[Math.round(m.ref * 1.2), 0.01]] }] });
    expect(r3.errors.map((e) => e.code)).toEqual([43]);
    // Both encodings; identical re-send keeps the order id; empty array removes the side.
    const ok = await c.call<{ n_success: number; n_fail: number }>('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: { p: bid, a: 0.01 }, a: [[bid + 4, 0.01], [bid + 5, 0.02]] }], label: 'lbl' });
    expect(ok).toEqual({ n_success: 2, n_fail: 0, errors: [] });
    const id1 = sim.venue.liveQuotes().find((q) => q.side === 'bid')!.orderId;
    await c.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[bid, 0.01]] }] });
    expect(sim.venue.liveQuotes().find((q) => q.side === 'bid')!.orderId).toBe(id1);
    expect(sim.venue.liveQuotes().filter((q) => q.side === 'ask')).toHaveLength(2); // omitted side kept
    await c.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', a: [] }] });
    expect(sim.venue.liveQuotes().filter((q) => q.side === 'ask')).toHaveLength(0);
    // > 100 quotes: the whole request is refused.
    expect(await code(c.call('private/mass_quote', { quotes: Array.from({ length: 101 }, () => ({ i: 'BTC-PERPETUAL' })) }))).toBe(6);
    // The taker flow fills our bid until protection trips, which pulls the product's quotes.
    await c.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[bid, 0.01]], a: [[bid + 4, 0.01]] }] });
    for (let k = 0; k < 100 && !(c.notes.get('session.mm_protection') ?? []).some((n) => (n as Array<{ remaining_amount: number }>)[0]!.remaining_amount <= 0); k++) {
      sim.step();
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => (c.notes.get('account.trade_history') ?? []).length > 0, 'trade history');
    expect(sim.venue.liveQuotes()).toEqual([]);
    const orders = (c.notes.get('session.orders') ?? []).flat() as Array<{ delete_reason?: string; label?: string; fills: unknown[] }>;
    expect(orders.some((o) => o.delete_reason === 'mm_protection')).toBe(true);
    expect(orders.some((o) => o.fills.length > 0)).toBe(true);
    expect(orders.some((o) => o.label === 'lbl')).toBe(true);
    // cancel_mass_quote resets groups: the next quote fails with 23.
    await c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    await c.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[bid - 100, 0.01]] }] });
    expect(await c.call('private/cancel_mass_quote', { product: 'FBTCUSD' })).toBeNull();
    expect(sim.venue.liveQuotes()).toEqual([]);
    const r4 = await c.call<{ errors: Array<{ code: number }> }>('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[bid - 100, 0.01]] }] });
    expect(r4.errors.map((e) => e.code)).toEqual([23]);
    sim.step();
    sim.announceReconnect();
    await until(() => (c.notes.get('system') ?? []).length === 1, 'system notice');
    await until(() => (c.notes.get('ticker.BTC-PERPETUAL.raw') ?? []).length > 0, 'ticker');
    c.assertAllValid();
  });

  it('requests without id or jsonrpc, unknown methods, malformed JSON and wrong params all get error replies', async () => {
    const { c } = await setup();
    c.ws.sendText('{"method":"public/instruments","params":{}}'); // no id, no jsonrpc
    c.ws.sendText('{not json');
    c.ws.sendText('{"id":5,"method":"private/mass_quote","params":[]}');
    c.ws.sendText('{"jsonrpc":"2.0","id":6,"method":"no/such"}');
    await until(() => c.frames.length === 4, 'four replies');
    const replies = c.frames.map((f) => JSON.parse(f) as { id: number | null; error?: { code: number }; result?: unknown });
    expect(replies[0]!.id).toBeNull();
    expect(Array.isArray(replies[0]!.result)).toBe(true);
    expect(replies.slice(1).map((r) => [r.id, r.error?.code])).toEqual([[null, 6], [5, 6], [6, 31]]);
    for (const f of c.frames) expect(f.startsWith('{"id":')).toBe(true); // id first (thalex-protocol.md §1)
    for (const r of replies.slice(1)) expect(validateErrorReply(r)).toEqual([]);
  });

  it('cancel-on-disconnect: closing the socket, or going silent, deletes the session quotes', async () => {
    const { sim, c } = await setup();
    await c.login();
    await c.call('private/set_cancel_on_disconnect', { timeout_secs: 1 });
    await c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    const p = Math.round(sim.venue.market('BTC-PERPETUAL')!.ref) - 200;
    await c.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[p, 0.01]] }] });
    expect(sim.venue.liveQuotes()).toHaveLength(1);
    // Silent (no ping, no message) past timeout_secs: the venue drops the session.
    await until(() => sim.venue.liveQuotes().length === 0, 'quotes gone after silence', 5_000);
    await until(() => c.closes.length === 1, 'the socket closed by the venue', 5_000);

    const d = await client(sim);
    await d.login();
    await d.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    await d.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[p, 0.01]] }] });
    expect(await code(d.call('private/cancel_session'))).toBe(52); // not a cancel-on-disconnect session
    d.ws.destroy();
    await until(() => sim.venue.liveQuotes().length === 0, 'quotes gone after close');
  });

  it('post_only widens a crossing quote, reject_post_only cancels it; cancel_session; unsubscribe in all three spellings', async () => {
    const { sim, c } = await setup();
    await c.login();
    await c.call('private/set_cancel_on_disconnect', { timeout_secs: 30 });
    await c.call('private/subscribe', { channels: ['session.orders'] });
    await c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    const m = sim.venue.market('BTC-PERPETUAL')!;
    await c.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[m.ask + 5, 0.01]] }], post_only: true });
    expect(sim.venue.liveQuotes()[0]!.price).toBe(m.ask - 1); // widened to one tick behind the best ask
    await c.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', a: [[m.bid - 5, 0.01]] }], post_only: true, reject_post_only: true });
    expect(sim.venue.liveQuotes().filter((q) => q.side === 'ask')).toEqual([]);
    await until(() => ((c.notes.get('session.orders') ?? []).flat() as Array<{ delete_reason?: string }>).some((o) => o.delete_reason === 'immediate_cancel'), 'immediate_cancel');
    expect(await c.call('private/cancel_session')).toBeNull();
    expect(sim.venue.liveQuotes()).toEqual([]);
    await c.call('public/subscribe', { channels: ['ticker.BTC-PERPETUAL.raw', 'ticker.ETH-PERPETUAL.raw', 'system'] });
    expect(await c.call('unsubscribe', { channels: ['ticker.BTC-PERPETUAL.raw', 'nope'] })).toEqual(['ticker.BTC-PERPETUAL.raw']);
    expect(await c.call('public/unsubscribe', { channels: ['ticker.ETH-PERPETUAL.raw'] })).toEqual(['ticker.ETH-PERPETUAL.raw']);
    expect(await c.call('private/unsubscribe', { channels: ['session.orders'] })).toEqual(['session.orders']);
    c.assertAllValid();
  });

  it('login failures and throttling', async () => {
    const { sim, c } = await setup({ messageRate: 5 });
    expect(await code(c.call('public/login', { token: 'not.a.jwt' }))).toBe(19);
    const stale = await makeLoginToken(parsePrivateKey(TEST_PRIVATE_PEM, 'test'), TEST_KEY_ID, Date.now() / 1000 - 600);
    expect(await code(c.call('public/login', { token: stale }))).toBe(19);
    const wrongKid = await makeLoginToken(parsePrivateKey(TEST_PRIVATE_PEM, 'test'), 'someone-else');
    expect(await code(c.call('public/login', { token: wrongKid }))).toBe(19);
    sim.faults.rejectLogins = true;
    const codes = await Promise.all(Array.from({ length: 12 }, () => code(c.call('public/instruments'))));
    expect(codes).toContain(4);
    c.assertAllValid();
  });
});

/**
 * Simulator paths beyond the main flow of protocol.test.ts: error paths of the session and
 * protection calls, subscriptions, mass-quote limits and deletions, cancel_mass_quote scopes,
 * float `iat`, the `account.orders` snapshot, delayed tickers, and what a closed connection
 * leaves behind. Real sockets, our own client; every frame received is validated against the spec.
 *
 * Absence checks ("no notification came") need no timer: the venue sends a request's
 * notifications on the socket before its reply, so once the reply is in, they would be too.
 */
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { parsePrivateKey } from '../../src/protocol/login-token.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { SimClient as Client, code, simRig } from '../helpers/sim-client.js';
import { TEST_KEY_ID, TEST_PRIVATE_PEM, until } from '../helpers/venue.js';

const BTC = 'BTC-PERPETUAL';
const ETH = 'ETH-PERPETUAL';

interface MqResult {
  n_success: number;
  n_fail: number;
  errors: Array<{ code: number; message: string; side?: string; price?: number }>;
}
interface Order {
  order_id: string;
  instrument_name: string;
  price: number;
  amount: number;
  status: string;
  change_reason: string;
  delete_reason?: string;
}
interface ProtLine {
  product: string;
  remaining_amount: number;
  reason: string;
}

const { setup, client } = simRig();

/** Every item of every notification on `channel`, in arrival order. */
const items = <T>(c: Client, channel: string): T[] => (c.notes.get(channel) ?? []).flat() as T[];
const mq = (c: Client, quotes: object[], extra: object = {}) => c.call<MqResult>('private/mass_quote', { quotes, ...extra });
/** A price `ticks` below the market's bid (BTC tick 1): rests, never trades, inside the collar. */
const below = (sim: SimulatorHandle, name: string, ticks: number) => Math.round(sim.venue.market(name)!.bid) - ticks;
const above = (sim: SimulatorHandle, name: string, ticks: number) => Math.round(sim.venue.market(name)!.ask) + ticks;
const levels = (sim: SimulatorHandle, side: 'bid' | 'ask', name = BTC) => sim.venue.liveQuotes().filter((q) => q.side === side && q.instrument === name);

describe('simulator paths, every frame validated against the spec', () => {
  it('set_cancel_on_disconnect: before login 7; a timeout_secs that is no positive integer is refused (6) and changes nothing', async () => {
    const { c } = await setup();
    expect(await code(c.call('private/set_cancel_on_disconnect', { timeout_secs: 5 }))).toBe(7);
    await c.login();
    // Spec: timeout_secs is a required integer (the heartbeat interval); ≤ 0 is the simulator's refusal.
    const bad: Array<Record<string, unknown>> = [{}, { timeout_secs: '5' }, { timeout_secs: 1.5 }, { timeout_secs: 0 }, { timeout_secs: -3 }, { timeout_secs: null }, { timeout_secs: true }];
    for (const p of bad) expect(await code(c.call('private/set_cancel_on_disconnect', p)), JSON.stringify(p)).toBe(6);
    // None took effect: the session is still persistent, and cancel_session refuses those (52).
    expect(await code(c.call('private/cancel_session'))).toBe(52);
    expect(await c.call('private/set_cancel_on_disconnect', { timeout_secs: 3 })).toEqual({ message_rate: 1000 });
    expect(await c.call('private/cancel_session')).toBeNull();
    c.assertAllValid();
  });

  it('set_mm_protection: unknown product 17, trade_amount > quote_amount or non-positive 22, missing or mistyped fields 6; a refused call leaves the group as it was', async () => {
    const { sim, c } = await setup();
    await c.login();
    await c.call('private/subscribe', { channels: ['session.mm_protection'] });
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ product: 'FNOPEUSD', trade_amount: 1, quote_amount: 1 }, 17],
      [{ product: 'FBTCUSD', trade_amount: 2, quote_amount: 1 }, 22], // spec: trade_amount ≤ quote_amount
      [{ product: 'FBTCUSD', trade_amount: 0, quote_amount: 1 }, 22],
      [{ product: 'FBTCUSD', trade_amount: 1, quote_amount: -1 }, 22],
      [{ product: 'FBTCUSD', trade_amount: 1 }, 6],
      [{ product: 'FBTCUSD', quote_amount: 1 }, 6],
      [{ trade_amount: 1, quote_amount: 1 }, 6],
      [{ product: 'FBTCUSD', trade_amount: '1', quote_amount: 1 }, 6],
      [{ product: 7, trade_amount: 1, quote_amount: 1 }, 6],
    ];
    for (const [p, want] of cases) expect(await code(c.call('private/set_mm_protection', p)), JSON.stringify(p)).toBe(want);
    // No group exists: quoting fails with 23, and no protection notice was sent.
    const p = below(sim, BTC, 100);
    expect((await mq(c, [{ i: BTC, b: [[p, 0.01]] }])).errors.map((e) => e.code)).toEqual([23]);
    expect(c.notes.get('session.mm_protection')).toBeUndefined();
    // The deprecated `amount` sets both trade_amount and quote_amount.
    expect(await c.call('private/set_mm_protection', { product: 'FBTCUSD', amount: 0.05 })).toBeNull();
    await until(() => items(c, 'session.mm_protection').length === 1, 'refill notice');
    expect(items<ProtLine>(c, 'session.mm_protection')).toEqual([{ product: 'FBTCUSD', remaining_amount: 0.05, reason: 'refill' }]);
    expect((await mq(c, [{ i: BTC, b: [[p, 0.06]] }])).errors.map((e) => e.code)).toEqual([44]);
    // A refused update keeps the group: quote_amount is still 0.05.
    expect(await code(c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 0.5 }))).toBe(22);
    expect(await mq(c, [{ i: BTC, b: [[p, 0.05]] }])).toEqual({ n_success: 1, n_fail: 0, errors: [] });
    expect((await mq(c, [{ i: BTC, b: [[p, 0.06]] }])).errors.map((e) => e.code)).toEqual([44]);
    expect(items(c, 'session.mm_protection')).toHaveLength(1);
    c.assertAllValid();
  });

  it('private/subscribe before login is refused with 7 and subscribes nothing; public/subscribe leaves private channels out', async () => {
    const { sim, c } = await setup();
    expect(await code(c.call('private/subscribe', { channels: ['session.orders', 'account.orders'] }))).toBe(7);
    expect(await c.call('public/subscribe', { channels: ['session.orders', 'account.portfolio', 'system'] })).toEqual(['system']);
    await c.login();
    await c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    await mq(c, [{ i: BTC, b: [[below(sim, BTC, 100), 0.01]] }]);
    expect(sim.venue.liveQuotes()).toHaveLength(1);
    expect(c.notes.get('session.orders')).toBeUndefined(); // the insert would have come before the reply
    expect(c.notes.get('account.orders')).toBeUndefined();
    expect(await c.call('private/subscribe', { channels: ['session.orders'] })).toEqual(['session.orders']);
    await until(() => c.notes.has('session.orders'), 'the session.orders snapshot once logged in');
    c.assertAllValid();
  });

  it('a `channels` that is not an array is refused with 6 by every (un)subscribe spelling, and subscribes nothing', async () => {
    const { sim, c } = await setup();
    await c.login();
    const methods = ['public/subscribe', 'private/subscribe', 'unsubscribe', 'public/unsubscribe', 'private/unsubscribe'];
    for (const m of methods) {
      for (const p of [{ channels: 'system' }, { channels: { 0: 'system' } }, { channels: null }, {}]) {
        expect(await code(c.call(m, p)), `${m} ${JSON.stringify(p)}`).toBe(6);
      }
    }
    sim.announceReconnect(); // sent now, before the reply to the next request
    await c.call('public/instruments');
    expect(c.notes.get('system')).toBeUndefined();
    c.assertAllValid();
  });

  it('mass_quote: 10 levels per side is the limit; an 11-level side fails alone (6), the rest of the quote applies, the side keeps its orders', async () => {
    const { sim, c } = await setup();
    await c.login();
    await c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    const p = below(sim, BTC, 100);
    const ladder = (n: number, top: number) => Array.from({ length: n }, (_, k) => [top - k, 0.01]);
    expect(await mq(c, [{ i: BTC, b: ladder(10, p) }])).toEqual({ n_success: 1, n_fail: 0, errors: [] });
    const ids = levels(sim, 'bid').map((q) => q.orderId);
    expect(ids).toHaveLength(10);
    const a = above(sim, BTC, 100);
    const r = await mq(c, [{ i: BTC, b: ladder(11, p - 20), a: [[a, 0.01]] }]);
    expect([r.n_success, r.n_fail]).toEqual([1, 1]);
    expect(r.errors.map((e) => [e.code, e.side])).toEqual([[6, 'bid']]);
    expect(levels(sim, 'bid').map((q) => q.orderId)).toEqual(ids);
    expect(levels(sim, 'ask').map((q) => q.price)).toEqual([a]);
    c.assertAllValid();
  });

  it('mass_quote: an unknown instrument fails each side it gives with 5, the other instruments of the call apply', async () => {
    const { sim, c } = await setup();
    await c.login();
    await c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    const p = below(sim, BTC, 100);
    const r = await mq(c, [{ i: 'NOPE-PERPETUAL', b: [[100, 1]], a: { p: 101, a: 1 } }, { i: BTC, b: [[p, 0.01]] }, { i: 'ALSO-NOPE', a: [] }]);
    expect([r.n_success, r.n_fail]).toEqual([1, 3]);
    expect(r.errors.map((e) => [e.code, e.side])).toEqual([[5, 'bid'], [5, 'ask'], [5, 'ask']]);
    expect(sim.venue.liveQuotes().map((q) => [q.instrument, q.price])).toEqual([[BTC, p]]);
    c.assertAllValid();
  });

  it('cancel_mass_quote with a product cancels that product only (every session of the account) and resets its group; without one, everything', async () => {
    const { sim, c } = await setup();
    const d = await client(sim);
    for (const x of [c, d]) {
      await x.login();
      await x.call('private/subscribe', { channels: ['session.orders', 'session.mm_protection'] });
    }
    await c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    await c.call('private/set_mm_protection', { product: 'FETHUSD', trade_amount: 1, quote_amount: 1 });
    await d.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    const pb = below(sim, BTC, 100);
    const pe = Math.round(sim.venue.market(ETH)!.bid * 10 - 100) / 10;
    await mq(c, [{ i: BTC, b: [[pb, 0.01]] }, { i: ETH, b: [[pe, 0.01]] }]);
    await mq(d, [{ i: BTC, b: [[pb - 1, 0.01]] }]);
    expect(sim.venue.liveQuotes()).toHaveLength(3);

    expect(await c.call('private/cancel_mass_quote', { product: 'FBTCUSD' })).toBeNull();
    expect(sim.venue.liveQuotes().map((q) => q.instrument)).toEqual([ETH]);
    const cancelled = (x: Client) => items<Order>(x, 'session.orders').filter((o) => o.delete_reason === 'client_bulk_cancel').map((o) => o.instrument_name);
    expect(cancelled(c)).toEqual([BTC]);
    await until(() => cancelled(d).length === 1, "d's quote cancelled by c's call");
    const resets = (x: Client) => items<ProtLine>(x, 'session.mm_protection').filter((l) => l.reason === 'client_cancel').map((l) => l.product);
    expect(resets(c)).toEqual(['FBTCUSD']);
    await until(() => resets(d).length === 1, "d's group reset");
    expect(resets(d)).toEqual(['FBTCUSD']);
    // FBTCUSD must be set up again; FETHUSD is untouched.
    expect((await mq(c, [{ i: BTC, b: [[pb, 0.01]] }])).errors.map((e) => e.code)).toEqual([23]);
    expect(await mq(c, [{ i: ETH, b: [[pe - 0.1, 0.01]] }])).toEqual({ n_success: 1, n_fail: 0, errors: [] });

    expect(await c.call('private/cancel_mass_quote', {})).toBeNull();
    expect(sim.venue.liveQuotes()).toEqual([]);
    expect(cancelled(c)).toEqual([BTC, ETH]);
    expect(resets(c)).toEqual(['FBTCUSD', 'FETHUSD']);
    expect((await mq(c, [{ i: ETH, b: [[pe, 0.01]] }])).errors.map((e) => e.code)).toEqual([23]);
    c.assertAllValid();
    d.assertAllValid();
  });

  it('amount 0 deletes that level (both encodings); the other levels keep their orders; a 0 where nothing rests inserts nothing', async () => {
    const { sim, c } = await setup();
    await c.login();
    await c.call('private/subscribe', { channels: ['session.orders'] });
    await c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    const p = below(sim, BTC, 100);
    const a = above(sim, BTC, 100);
    await mq(c, [{ i: BTC, b: [[p, 0.01], [p - 1, 0.02]], a: [[a, 0.01]] }]);
    const keep = levels(sim, 'bid').find((q) => q.price === p)!.orderId;
    const gone = levels(sim, 'bid').find((q) => q.price === p - 1)!.orderId;
    expect(await mq(c, [{ i: BTC, b: [[p, 0.01], [p - 1, 0]] }])).toEqual({ n_success: 1, n_fail: 0, errors: [] });
    expect(levels(sim, 'bid').map((q) => q.orderId)).toEqual([keep]);
    expect(levels(sim, 'ask')).toHaveLength(1);
    const last = items<Order>(c, 'session.orders').filter((o) => o.order_id === gone).at(-1)!;
    expect([last.change_reason, last.status]).toEqual(['cancel', 'cancelled']);
    expect(await mq(c, [{ i: BTC, a: { p: a, a: 0 } }])).toEqual({ n_success: 1, n_fail: 0, errors: [] });
    expect(levels(sim, 'ask')).toEqual([]);
    const inserts = () => items<Order>(c, 'session.orders').filter((o) => o.change_reason === 'insert').length;
    const before = inserts();
    expect(await mq(c, [{ i: BTC, b: [[p - 5, 0]] }])).toEqual({ n_success: 1, n_fail: 0, errors: [] });
    expect(sim.venue.liveQuotes()).toEqual([]); // the side array replaced the bid at p too (spec rule: omitted levels are removed)
    expect(inserts()).toBe(before);
    c.assertAllValid();
  });

  it('login accepts a float iat (as the official Python client sends time.time()), and refuses a stale or future one (19)', async () => {
    const { c } = await setup();
    const key = parsePrivateKey(TEST_PRIVATE_PEM, 'test');
    const token = (iat: number) => new SignJWT({ iat }).setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: TEST_KEY_ID }).sign(key);
    const now = Math.floor(Date.now() / 1000);
    for (const iat of [now - 600.25, now + 600.25]) expect(await code(c.call('public/login', { token: await token(iat) })), String(iat)).toBe(19);
    const t = await token(now + 0.375);
    expect((JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as { iat: number }).iat).toBe(now + 0.375); // the fraction is on the wire
    expect(await c.call('public/login', { token: t })).toEqual({ account_number: 'A000000001' });
    expect(await c.call('private/set_cancel_on_disconnect', { timeout_secs: 5 })).toEqual({ message_rate: 1000 }); // logged in
    c.assertAllValid();
  });

  it('account.orders: the snapshot holds every open order of the account (change_reason existing), then every session\'s updates; session.orders only its own', async () => {
    const { sim, c } = await setup();
    const d = await client(sim);
    for (const x of [c, d]) {
      await x.login();
      await x.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    }
    const p = below(sim, BTC, 100);
    const a = above(sim, BTC, 100);
    await mq(c, [{ i: BTC, b: [[p, 0.01], [p - 1, 0.02]], a: [[a, 0.03]] }]);
    await mq(d, [{ i: BTC, b: [[p - 2, 0.04]] }]);
    expect(await c.call('private/subscribe', { channels: ['account.orders', 'session.orders'] })).toEqual(['account.orders', 'session.orders']);
    await until(() => c.notes.has('account.orders') && c.notes.has('session.orders'), 'both snapshots');
    const snap = c.notes.get('account.orders')![0] as Order[];
    expect(snap.every((o) => o.change_reason === 'existing' && o.status === 'open')).toBe(true);
    const key = (o: Pick<Order, 'price' | 'amount'>) => `${o.price}/${o.amount}`;
    expect(snap.map(key).sort()).toEqual(sim.venue.liveQuotes().map(key).sort());
    expect(snap).toHaveLength(4);
    expect((c.notes.get('session.orders')![0] as Order[]).map(key).sort()).toEqual([`${p}/0.01`, `${p - 1}/0.02`, `${a}/0.03`].sort());
    // d's insert reaches c's account.orders, not its session.orders; d's end deletes its order there too.
    await mq(d, [{ i: BTC, b: [[p - 2, 0.04]], a: [[a + 1, 0.05]] }]);
    await until(() => items<Order>(c, 'account.orders').some((o) => o.change_reason === 'insert'), "d's insert on c's account.orders");
    expect(items<Order>(c, 'account.orders').filter((o) => o.change_reason === 'insert').map(key)).toEqual([`${a + 1}/0.05`]);
    d.ws.destroy();
    await until(() => items<Order>(c, 'account.orders').filter((o) => o.delete_reason === 'session_end').length === 2, "d's orders ended on c's account.orders");
    expect(items<Order>(c, 'session.orders')).toHaveLength(3); // the snapshot only
    expect(sim.venue.liveQuotes()).toHaveLength(3);
    c.assertAllValid();
  });

  it('a delayed ticker channel (ticker.<i>.100ms) delivers notifications, fewer than raw in a burst, each one a state the raw channel also sent', async () => {
    const { sim, c } = await setup();
    const slow = `ticker.${BTC}.100ms`;
    const raw = `ticker.${BTC}.raw`;
    expect(await c.call('public/subscribe', { channels: [slow, raw] })).toEqual([slow, raw]);
    await until(() => c.notes.has(slow) && c.notes.has(raw), 'snapshots');
    const n = (ch: string) => (c.notes.get(ch) ?? []).length;
    // 200 steps in one synchronous burst: raw gets every one; 100ms only one per 100 ms of it.
    sim.step(200);
    await c.call('public/instruments'); // the burst's notifications precede this reply
    expect(n(raw)).toBe(201);
    expect(n(slow)).toBeGreaterThanOrEqual(2);
    expect(n(slow)).toBeLessThan(n(raw));
    // Stepping over time, it keeps delivering.
    const target = n(slow) + 3;
    for (let k = 0; k < 2000 && n(slow) < target; k++) {
      sim.step();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(n(slow)).toBeGreaterThanOrEqual(target);
    // Every delayed notification is a state the raw channel sent, in the same order.
    const marks = (ch: string) => (c.notes.get(ch) as Array<{ mark_price: number; best_bid_price: number }>).map((t) => `${t.mark_price}/${t.best_bid_price}`);
    const rawMarks = marks(raw);
    let at = 0;
    for (const m of marks(slow).slice(1)) {
      at = rawMarks.indexOf(m, at + 1);
      expect(at, m).toBeGreaterThan(0);
    }
    c.assertAllValid();
  });

  it('closing the connection ends its session: quotes and protection groups gone (a new session starts with none), other sessions keep theirs', async () => {
    const { sim, c } = await setup();
    const d = await client(sim);
    for (const x of [c, d]) {
      await x.login();
      await x.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
    }
    const p = below(sim, BTC, 100);
    await mq(c, [{ i: BTC, b: [[p, 0.01]] }]);
    const session = sim.venue.session(sim.venue.liveQuotes()[0]!.session)!;
    expect(session.protection.has('FBTCUSD')).toBe(true);
    await c.ws.close(1000, 'bye');
    await until(() => session.ended, 'the session ended');
    expect(session.protection.size).toBe(0);
    expect(sim.venue.sessions()).not.toContain(session);
    expect(sim.venue.liveQuotes()).toEqual([]);
    // d's group is its own: still set.
    expect(await mq(d, [{ i: BTC, b: [[p, 0.01]] }])).toEqual({ n_success: 1, n_fail: 0, errors: [] });
    // A new connection of the same account starts without groups.
    const e = await client(sim);
    await e.login();
    expect((await mq(e, [{ i: BTC, b: [[p - 1, 0.01]] }])).errors.map((x) => x.code)).toEqual([23]);
    for (const x of [c, d, e]) x.assertAllValid();
  });
});

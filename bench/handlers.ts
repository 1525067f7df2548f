import { AccountFeed } from '../src/engine/account-feed.js';
import { routeAccountChannels } from '../src/engine/account-routes.js';
import { LiveQuotes } from '../src/engine/live-quotes.js';
import { Positions } from '../src/engine/positions.js';
import { Protection } from '../src/engine/protection.js';
import { RpcSession } from '../src/rpc/session.js';
import { defaultInstruments } from '../src/sim/instruments.js';
import { SimSession, Venue } from '../src/sim/venue.js';
import type { Op } from './lib/per-op.js';

let sink = 0;

/** The frames the simulator sends around a requote and a bulk cancel, as its server writes them. */
function venueFrames(): { requote: Buffer; bulkCancel: Buffer; protection: Buffer } {
  const venue = new Venue({ seed: 1, instruments: defaultInstruments(), takerProbability: 0, takerMaxLots: 1, now: () => 1_700_000_000.123 });
  let orders = '';
  let prot = '';
  const noop = () => {};
  const s = new SimSession(1, 'A000000001', {
    orders: (u) => (orders = JSON.stringify({ channel_name: 'session.orders', notification: u })),
    trades: noop,
    portfolio: noop,
    protection: (l) => (prot = JSON.stringify({ channel_name: 'session.mm_protection', notification: l })),
  });
  venue.addSession(s);
  venue.setProtection(s, 'FBTCUSD', 100, 100);
  const ref = Math.round(venue.market('BTC-PERPETUAL')!.ref);
  for (const k of [50, 51]) venue.massQuote(s, { quotes: [{ i: 'BTC-PERPETUAL', b: [[ref - k, 0.1]], a: [[ref + k, 0.1]] }], label: 'thalex-quoter', post_only: true });
  const requote = Buffer.from(orders);
  venue.cancelMassQuote(s, undefined);
  return { requote, bulkCancel: Buffer.from(orders), protection: Buffer.from(prot) };
}

/**
 * The engine's whole in-process handling of the private frames that come with every requote and
 * every cancel, through the real RpcSession router and the routes engine.ts wires (orders read by
 * bytes, protection parsed), against JSON.parse of the same frame (what a JSON client pays before
 * it even looks at the content).
 */
export function handlerOps(): Op[] {
  const names = ['BTC-PERPETUAL', 'ETH-PERPETUAL'];
  const live = new LiveQuotes(names.length);
  const prot = new Protection({ cooldownMs: 10, maxTrips: 1_000_000, tripWindowMs: 1000 }, () => {});
  for (const p of ['FBTCUSD', 'FETHUSD']) prot.track(p);
  const feed = new AccountFeed(new Positions({ rememberTrades: 1000 }), prot, live, new Map(names.map((n, i) => [n, i])), new Map([['BTC-PERPETUAL', 'FBTCUSD'], ['ETH-PERPETUAL', 'FETHUSD']]), {
    fill: () => {},
    position: () => {},
    malformed: () => {
      sink = Number.NaN; // the bench's frames are all well-formed
    },
  });
  const rpc = new RpcSession({});
  routeAccountChannels(rpc.channels, feed, () => {});
  rpc.attach({ sendText: () => 0 });
  const f = venueFrames();
  // The snapshot: the first orders frame of a connection is always parsed.
  const snap = Buffer.from('{"channel_name":"session.orders","notification":[]}');
  rpc.handleMessage(snap, 0, snap.length);
  const ops: Op[] = [];
  for (const [label, frame] of [['requote session.orders', f.requote], ['bulk-cancel session.orders', f.bulkCancel], ['session.mm_protection', f.protection]] as const) {
    const base = `JSON.parse of the ${label} frame (${frame.length} B)`;
    ops.push({ name: base, fn: () => (sink += (JSON.parse(frame.toString('utf8')) as { notification: unknown[] }).notification.length) });
    ops.push({ name: `engine handles the ${label} frame (RpcSession.handleMessage, engine routes)`, baselines: [base], fn: () => rpc.handleMessage(frame, 0, frame.length) });
  }
  // A cancel-all's notice at 100 products: one line per product, each of which pulls its quotes.
  const many = Array.from({ length: 100 }, (_, i) => `S${i}-PERPETUAL`);
  const manyFeed = new AccountFeed(new Positions({ rememberTrades: 1000 }), new Protection({ cooldownMs: 10, maxTrips: 1_000_000, tripWindowMs: 1000 }, () => {}), new LiveQuotes(many.length), new Map(many.map((n, i) => [n, i])), new Map(many.map((n, i) => [n, `P${i}`])), {
    fill: () => {},
    position: () => {},
    malformed: () => {
      sink = Number.NaN;
    },
  });
  const manyRpc = new RpcSession({});
  routeAccountChannels(manyRpc.channels, manyFeed, () => {});
  manyRpc.attach({ sendText: () => 0 });
  const notice = Buffer.from(JSON.stringify({ channel_name: 'session.mm_protection', notification: many.map((_, i) => ({ product: `P${i}`, remaining_amount: 0, reason: 'client_cancel' })) }));
  const base = `JSON.parse of a cancel-all's session.mm_protection frame, 100 products (${notice.length} B)`;
  ops.push({ name: base, fn: () => (sink += (JSON.parse(notice.toString('utf8')) as { notification: unknown[] }).notification.length) });
  ops.push({ name: 'engine handles that frame (RpcSession.handleMessage, engine routes, 100 instruments)', baselines: [base], fn: () => manyRpc.handleMessage(notice, 0, notice.length) });
  return ops;
}

export const handlerChecksum = (): number => sink;

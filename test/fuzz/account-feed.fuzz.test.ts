/**
 * Fuzzing the engine's private-channel intake: its routes (account-routes.ts, which engine.ts
 * wires), the byte scans of order and protection frames (orders-scan.ts, protection-scan.ts) and
 * the account feed (account-feed.ts) behind a real RpcSession router,
 * with session.orders / account.trade_history / account.portfolio / session.mm_protection
 * payloads that are right, structurally wrong (fields dropped, retyped, items not objects,
 * numbers that parse to Infinity) or damaged as bytes. Positions, Protection and LiveQuotes are
 * the real ones.
 *
 * Oracle, per notification the feed gets: it reports (AccountFeedSink.malformed, which the
 * engine raises as ENGINE_ERR_MALFORMED_NOTIFICATION) exactly when something in it is unusable,
 * on the channel it came on, with one of a fixed set of details; what it does use keeps every
 * position finite. A frame a scan reads by bytes holds no fill and nothing the JSON path would
 * report (test/engine/orders-scan.test.ts and protection-scan.test.ts check that both paths have
 * the same effects).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccountFeed } from '../../src/engine/account-feed.js';
import { LiveQuotes } from '../../src/engine/live-quotes.js';
import { routeAccountChannels } from '../../src/engine/account-routes.js';
import type { ChannelRouter } from '../../src/rpc/channel-router.js';
import { Positions } from '../../src/engine/positions.js';
import { Protection } from '../../src/engine/protection.js';
import { RpcSession } from '../../src/rpc/session.js';
import { heapAfterGc, runs, timeoutFor } from './budget.js';
import { applyDamage } from '../helpers/damage.js';

const QUOTED = ['BTC-PERPETUAL', 'ETH-PERPETUAL'];
const NAMES = [...QUOTED, 'BTC-27MAR26-90000-C', 'SOL-PERPETUAL'];
const PRODUCTS = ['FBTCUSD', 'FETHUSD', 'OBTCUSD'];
/** Replaced by `1e999` in the text, which JSON.parse reads as Infinity. */
const INF = '__INF__';

/** The details the feed may report with (the engine's stable code for all: ENGINE_ERR_MALFORMED_NOTIFICATION). */
const DETAILS = new Set([
  'notification is not an array',
  'order update lacks instrument_name or direction',
  'order update fills are not [{trade_id, amount}, …]',
  'trade line lacks instrument_name, trade_id, amount or direction',
  'portfolio line lacks instrument_name or position',
  'protection line lacks product, remaining_amount or reason',
]);

const price = fc.oneof(fc.integer({ min: 1, max: 200_000 }), fc.double({ min: 0.1, max: 1e5, noNaN: true }));
const amount = fc.oneof(fc.integer({ min: 1, max: 1000 }).map((k) => k / 1000), fc.constantFrom(0.001, 1, 2.5));
const tradeId = fc.integer({ min: 0, max: 20_000 }).map((k) => `T${k}`);
const time = fc.double({ min: 1.7e9, max: 1.8e9, noNaN: true });
const fill = fc.record({ trade_id: tradeId, price, amount, time, maker_taker: fc.constantFrom('maker', 'taker'), leg_index: fc.constant(0) });
const status = fc.constantFrom('open', 'partially_filled', 'cancelled', 'cancelled_partially_filled', 'filled');
const deleteReason = fc.constantFrom('client_cancel', 'client_bulk_cancel', 'session_end', 'mm_protection', 'filled', 'immediate_cancel', 'replaced', 'replaced', 'replaced');

/** An OrderStatus as the venue sends it (mostly inserts and replacements, as in real traffic). */
const order = fc
  .record({
    order_id: fc.integer({ min: 0, max: 1e6 }).map((k) => `O${k}`),
    order_type: fc.constant('limit'),
    time_in_force: fc.constant('good_till_cancelled'),
    instrument_name: fc.constantFrom(...NAMES),
    direction: fc.constantFrom('buy', 'sell'),
    price,
    amount,
    filled_amount: amount,
    remaining_amount: amount,
    status,
    fills: fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fill, { minLength: 1, maxLength: 2 }) }),
    change_reason: fc.constantFrom('insert', 'insert', 'cancel', 'fill', 'existing', 'amend'),
    delete_reason: fc.option(deleteReason, { freq: 2, nil: undefined }),
    insert_reason: fc.constant('client_request'),
    create_time: time,
    persistent: fc.constant(false),
    label: fc.option(fc.constantFrom('mm', 'fills', '"fills":[{', 'delete_reason'), { freq: 4, nil: undefined }),
  })
  .map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>); // drops the undefined options
const trade = fc.record({
  trade_id: tradeId,
  order_id: fc.constant('O1'),
  instrument_name: fc.constantFrom(...NAMES),
  direction: fc.constantFrom('buy', 'sell'),
  price,
  amount,
  label: fc.constant(''),
  time,
  position_after: fc.option(fc.double({ min: -100, max: 100, noNaN: true }), { freq: 3, nil: undefined }),
  trade_type: fc.constant('normal'),
  maker_taker: fc.constantFrom('maker', 'taker'),
});
const portfolio = fc.record({ instrument_name: fc.constantFrom(...NAMES), position: fc.double({ min: -100, max: 100, noNaN: true }), mark_price: price });
const protection = fc.record({
  product: fc.constantFrom(...PRODUCTS),
  remaining_amount: fc.double({ min: -1, max: 10, noNaN: true }),
  reason: fc.constantFrom('refill', 'executions', 'executions', 'client_cancel', 'session_end', 'failover'),
});

/** `arb` one time in `k`, else null. */
const oneIn = <T>(k: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof({ weight: k - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

const junk = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant(INF), fc.constant(null), fc.constantFrom('buy', 'T1', 'BTC-PERPETUAL'));
/** Structural damage to one item: a field dropped or retyped, a fill broken, or the item replaced. */
const mutation = fc.record({ kind: fc.constantFrom('drop', 'retype', 'retype', 'fill', 'item'), at: fc.nat(), value: junk });

function mutate(item: Record<string, unknown>, m: { kind: string; at: number; value: unknown }): unknown {
  const keys = Object.keys(item);
  const key = keys[m.at % keys.length]!;
  const o = { ...item };
  if (m.kind === 'item') return m.value;
  if (m.kind === 'drop') delete o[key];
  else if (m.kind === 'fill') o['fills'] = Array.isArray(o['fills']) && o['fills'].length > 0 ? [m.value, ...(o['fills'] as unknown[]).slice(1)] : m.value;
  else o[key] = m.value;
  return o;
}

const list = (item: fc.Arbitrary<Record<string, unknown>>) =>
  fc.tuple(fc.array(fc.tuple(item, oneIn(6, mutation)), { maxLength: 4 }), oneIn(25, junk)).map(([xs, whole]) => (whole !== null ? whole : xs.map(([x, m]) => (m === null ? x : mutate(x, m)))));

const damage = fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('truncate', 'flip', 'insert', 'delete'), ch: fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', 'e', '9', 'n', '\u0000') }), { minLength: 1, maxLength: 2 });


const CHANNELS = ['session.orders', 'account.trade_history', 'account.portfolio', 'session.mm_protection'] as const;
type Channel = (typeof CHANNELS)[number];
const payloads: Record<Channel, fc.Arbitrary<unknown>> = {
  'session.orders': list(order),
  'account.trade_history': list(trade),
  'account.portfolio': list(portfolio),
  'session.mm_protection': list(protection),
};

const event = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...CHANNELS).chain((ch) => fc.record({ ch: fc.constant(ch), payload: payloads[ch], damage: oneIn(6, damage), channelLast: fc.boolean() })) },
  { weight: 1, arbitrary: fc.constant('reconnect' as const) },
);

// ---- the oracle: what the feed can use, written from the spec's shapes, independently of the feed ----

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const side = (v: unknown): boolean => v === 'buy' || v === 'sell';

function usable(ch: Channel, x: unknown): boolean {
  if (!isObj(x)) return false;
  switch (ch) {
    case 'session.orders': {
      if (typeof x['instrument_name'] !== 'string' || !side(x['direction'])) return false;
      const fills = x['fills'];
      if (fills === undefined || x['change_reason'] === 'existing') return true; // existing: fills are history, not read
      return Array.isArray(fills) && fills.every((f) => isObj(f) && typeof f['trade_id'] === 'string' && finite(f['amount']));
    }
    case 'account.trade_history':
      return typeof x['instrument_name'] === 'string' && typeof x['trade_id'] === 'string' && finite(x['amount']) && side(x['direction']);
    case 'account.portfolio':
      return typeof x['instrument_name'] === 'string' && finite(x['position']);
    case 'session.mm_protection':
      return typeof x['product'] === 'string' && finite(x['remaining_amount']) && typeof x['reason'] === 'string';
  }
}

/** Does this order update carry a fill? (The byte scan hands every such frame to the JSON path.) */
function acts(o: unknown): boolean {
  if (!isObj(o)) return false;
  return Array.isArray(o['fills']) && o['fills'].length > 0;
}

const CI = 100_000;

describe('fuzz: order filter and account feed', () => {
  it(
    `random, mutated and damaged private notifications (${runs(CI)} cases): nothing thrown, unusable input reported with a fixed detail on its channel, positions finite, skipped frames inert`,
    () => {
      const before = heapAfterGc();
      const positions = new Positions({ rememberTrades: 10_000 });
      const prot = new Protection({ cooldownMs: 10, maxTrips: 1000, tripWindowMs: 1000 }, () => {});
      const live = new LiveQuotes(QUOTED.length);
      const index = new Map(QUOTED.map((n, i) => [n, i]));
      const productOf = new Map([['BTC-PERPETUAL', 'FBTCUSD'], ['ETH-PERPETUAL', 'FETHUSD']]);
      /** Reports since the last check (bounded: cleared by each check), and their total. */
      const reports: Array<[string, string]> = [];
      let reported = 0;
      let now = 0;
      let fills = 0;
      const feed = new AccountFeed(positions, prot, live, index, productOf, {
        fill: (f) => {
          fills++;
          const ok = typeof f.instrument === 'string' && side(f.direction) && typeof f.tradeId === 'string' && Number.isFinite(f.amount) && Number.isFinite(f.position);
          if (!ok) expect.fail(`bad fill event ${JSON.stringify(f)}`);
        },
        position: (i) => {
          if (typeof i !== 'string') expect.fail(`position(${String(i)})`);
        },
        malformed: (channel, detail) => {
          reported++;
          reports.push([channel, detail]);
        },
      });
      for (const p of PRODUCTS) prot.track(p);

      /** Checks one delivery to the feed against the oracle. */
      let delivered = 0;
      /** `ch`: the route; `as`: the channel name the frame carried (routes match by prefix). */
      const check = (ch: Channel, as: string, n: unknown) => {
        delivered++;
        if (!as.startsWith(ch)) expect.fail(`${as} routed to ${ch}`);
        const got = reports.splice(0);
        for (const [c, d] of got) if (c !== as || !DETAILS.has(d)) expect.fail(`report ${JSON.stringify([c, d])} for a notification on ${as}`);
        const ok = Array.isArray(n) && n.every((x) => usable(ch, x));
        if ((got.length === 0) !== ok) expect.fail(`${as} ${JSON.stringify(n)?.slice(0, 300)}: ${ok ? 'usable, yet reported' : 'unusable, not reported'} ${JSON.stringify(got)}`);
      };
      let badFrames = 0;
      let skipped = 0;
      let notJson = 0;
      const rpc = new RpcSession({ diagnostics: { onBadFrame: () => badFrames++, onUnroutedNotification: () => badFrames++, onStrayReply: () => badFrames++ } });
      // The engine's own routes (engine.ts wires exactly this), wrapped to check each delivery.
      const router = {
        addRaw: (prefix: string, h: { onRawNotification: (d: Buffer, s: number, e: number, cs: number, ce: number) => void }) =>
          rpc.channels.addRaw(prefix, {
            onRawNotification: (d, st, en, cs, ce) => {
              pendingRaw = undefined;
              const notJsonBefore = notJson;
              h.onRawNotification(d, st, en, cs, ce);
              const pr = pendingRaw as { n: unknown } | undefined;
              // Parsed: the route hands the feed its own channel name, whatever the frame carried.
              if (pr !== undefined) return check(prefix as Channel, prefix, pr.n);
              if (notJson > notJsonBefore) return;
              skipped++;
              // Read by bytes, not parsed: it must be a frame the JSON path takes without a report (or, for orders, a fill).
              let msg: unknown;
              try {
                msg = JSON.parse(d.toString('utf8', st, en));
              } catch {
                expect.fail(`scanned a frame that is not JSON: ${d.toString('utf8', st, en)}`);
              }
              const n = isObj(msg) ? msg['notification'] : undefined;
              if (!Array.isArray(n) || n.some((o) => !usable(prefix as Channel, o) || (prefix === 'session.orders' && acts(o)))) expect.fail(`scanned a frame with a fill or an unusable line: ${d.toString('utf8', st, en)}`);
            },
          }),
        addParsed: (prefix: string, f: (c: string, n: unknown) => void) =>
          rpc.channels.addParsed(prefix, (c, n) => {
            f(c, n);
            check(prefix as Channel, c, n);
          }),
      };
      let pendingRaw: { n: unknown } | undefined;
      const onOrders = feed.onOrders.bind(feed);
      feed.onOrders = (c, n, t) => {
        pendingRaw = { n };
        onOrders(c, n, t);
      };
      const onProtection = feed.onProtection.bind(feed);
      feed.onProtection = (c, n, t) => {
        pendingRaw = { n };
        onProtection(c, n, t);
      };
      routeAccountChannels(router as unknown as ChannelRouter, feed, () => notJson++);
      rpc.attach({ sendText: () => 0 });

      let n = 0;
      fc.assert(
        fc.property(event, fc.nat(3), (e, pad) => {
          n++;
          now += 7;
          if (e === 'reconnect') {
            feed.resetSnapshots();
            return;
          }
          const note = JSON.stringify(e.payload ?? null).replaceAll(`"${INF}"`, '1e999');
          const ch = `"channel_name":${JSON.stringify(e.ch)}`;
          let text = e.channelLast ? `{"notification":${note},${ch}}` : `{${ch},"notification":${note}}`;
          if (e.damage !== null) text = applyDamage(text, e.damage);
          // Bytes around the message: nothing may read outside [start, end).
          const buf = Buffer.from(`${'['.repeat(pad)}${text}${'"'.repeat(pad)}`);
          rpc.handleMessage(buf, pad, buf.length - pad);
        }),
        { numRuns: runs(CI) },
      );
      rpc.dispose();
      expect(n).toBe(runs(CI));
      for (const i of positions.instruments()) expect(Number.isFinite(positions.position(i)), i).toBe(true);
      // It was fed all of it: usable input, unusable input, skippable frames, broken frames.
      expect(reports).toEqual([]); // every report was checked against its notification
      expect(reported).toBeGreaterThan(n / 50);
      expect(delivered).toBeGreaterThan(n / 2);
      expect(fills).toBeGreaterThan(n / 200);
      expect(skipped).toBeGreaterThan(n / 50);
      expect(notJson + badFrames).toBeGreaterThan(n / 50);
      expect(heapAfterGc() - before).toBeLessThan(32 * 1024 * 1024);
    },
    timeoutFor(CI, 0.1),
  );
});

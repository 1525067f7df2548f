import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccountFeed } from '../../src/engine/account-feed.js';
import type { LiveQuotes } from '../../src/engine/live-quotes.js';
import { OrdersScanner } from '../../src/engine/orders-scan.js';
import type { Positions } from '../../src/engine/positions.js';
import type { Protection } from '../../src/engine/protection.js';
import { defaultInstruments } from '../../src/sim/instruments.js';
import { SimSession, Venue } from '../../src/sim/venue.js';

const QUOTED = ['BTC-PERPETUAL', 'ETH-PERPETUAL', 'BTC-27MAR26-90000-C'];
const PRODUCT: Record<string, string> = { 'BTC-PERPETUAL': 'FBTCUSD', 'ETH-PERPETUAL': 'FETHUSD', 'BTC-27MAR26-90000-C': 'OBTCUSD' };

/** An AccountFeed whose live quotes and protection record what is done to them. */
function recordingFeed() {
  const log: string[] = [];
  const live = { forget: (i: number, s: number) => log.push(`forget ${i}/${s}`), clearInstrument: (i: number) => log.push(`clear ${i}`) } as unknown as LiveQuotes;
  const prot = { onQuoteDeletedByProtection: (p: string) => log.push(`protection ${p}`), onNotification: () => {} } as unknown as Protection;
  const positions = { onFill: () => expect.fail('no fill here') } as unknown as Positions;
  const index = new Map(QUOTED.map((n, i) => [n, i]));
  const feed = new AccountFeed(positions, prot, live, index, new Map(Object.entries(PRODUCT)), {
    fill: () => expect.fail('no fill here'),
    position: () => {},
    malformed: (_c, d) => log.push(`malformed ${d}`),
  });
  return { feed, log };
}

/** The effects of the byte scan on a frame, or 'fallback' if it declined (bytes around it: nothing outside may be read). */
function scan(text: string, pad = 3): string[] | 'fallback' {
  const buf = Buffer.from(`${'"'.repeat(pad)}${text}${'['.repeat(pad)}`);
  const s = recordingFeed();
  return new OrdersScanner(QUOTED).scan(buf, pad, buf.length - pad, s.feed, 1) ? s.log : 'fallback';
}

/** The effects of a frame on each path: the byte scan ('fallback' if it declined), and JSON.parse. */
function both(text: string): { scan: string[] | 'fallback'; json: string[] } {
  const j = recordingFeed();
  j.feed.onOrders('session.orders', (JSON.parse(text) as { notification: unknown }).notification, 1);
  return { scan: scan(text), json: j.log };
}

const frame = (orders: unknown) => `{"channel_name":"session.orders","notification":${JSON.stringify(orders)}}`;

const name = fc.constantFrom(...QUOTED, 'SOL-PERPETUAL', 'BTC-PERPETUAL2');
const order = fc.record(
  {
    order_id: fc.stringMatching(/^O[0-9]{0,12}$/),
    instrument_name: name,
    direction: fc.constantFrom('buy', 'sell'),
    price: fc.double({ min: 1, max: 1e5, noNaN: true }),
    status: fc.constantFrom('open', 'partially_filled', 'cancelled', 'cancelled_partially_filled', 'filled'),
    fills: fc.constant([]),
    change_reason: fc.constantFrom('insert', 'cancel', 'amend'),
    delete_reason: fc.constantFrom('replaced', 'client_bulk_cancel', 'mm_protection', 'session_end', 'immediate_cancel', 'filled'),
    label: fc.stringMatching(/^[a-z0-9 _-]{0,10}$/),
    persistent: fc.boolean(),
  },
  { requiredKeys: ['instrument_name', 'direction', 'fills'] },
);
/** Anything at all in the same places, to find where the scan and JSON.parse could disagree. */
const wild = fc.dictionary(fc.constantFrom('instrument_name', 'direction', 'status', 'delete_reason', 'fills', 'x'), fc.oneof(fc.jsonValue({ maxDepth: 2 }), name, fc.constantFrom('buy', 'sell', 'replaced', 'mm_protection', 'filled')), { maxKeys: 6 });

describe('session.orders read by bytes (OrdersScanner) against JSON.parse (AccountFeed.onOrders)', () => {
  it('frames as the venue sends them (no fills): always read by bytes, with the same effects', () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 12 }), (orders) => {
        const r = both(frame(orders));
        expect(r.scan).toEqual(r.json);
      }),
      { numRuns: 3000 },
    );
  });

  it('anything else: read by bytes only with the same effects and nothing JSON would report; else handed to JSON', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(order, wild), { maxLength: 6 }), fc.boolean(), (orders, spaced) => {
        const text = spaced ? JSON.stringify({ channel_name: 'session.orders', notification: orders }, null, 1) : frame(orders);
        const r = both(text);
        if (r.scan === 'fallback') return;
        expect(r.scan).toEqual(r.json);
        expect(r.json.filter((l) => l.startsWith('malformed'))).toEqual([]);
      }),
      { numRuns: 5000 },
    );
  });

  it('hands fills, escapes and other shapes to JSON', () => {
    for (const o of [
      [{ instrument_name: 'BTC-PERPETUAL', direction: 'buy', fills: [{ trade_id: 't', amount: 1 }] }],
      [{ instrument_name: 'BTC\u002dPERPETUAL', direction: 'buy', note: 'a"b' }],
      [{ instrument_name: 'BTC-PERPETUAL', direction: 'buy', fills: 'none' }],
      [{ instrument_name: 'BTC-PERPETUAL' }],
      [{ instrument_name: 'BTC-PERPETUAL', direction: 'buy', extra: { a: 1 } }],
    ]) {
      expect(scan(frame(o)), JSON.stringify(o)).toBe('fallback');
    }
    for (const text of [
      '{"channel_name":"session.orders","notification":"not a list"}',
      '{"channel_name":"session.orders","notification":[{"instrument_name":"BTC-PERPETUAL","direction":"buy","price":1x}]}',
      '{"channel_name":"session.orders","notification":[]',
      '{"channel_name":"session.orders","notification":[]}x',
      '{"channel_name":"session.orders\n","notification":[]}',
    ]) {
      expect(scan(text), text).toBe('fallback');
    }
  });

  it("the simulator's own requote and bulk-cancel frames", () => {
    const venue = new Venue({ seed: 1, instruments: defaultInstruments(), takerProbability: 0, takerMaxLots: 1, now: () => 1_700_000_000 });
    const frames: string[] = [];
    const noop = () => {};
    const s = new SimSession(1, 'A1', { orders: (u) => frames.push(frame(u)), trades: noop, portfolio: noop, protection: noop });
    venue.addSession(s);
    venue.setProtection(s, 'FBTCUSD', 100, 100);
    const ref = Math.round(venue.market('BTC-PERPETUAL')!.ref);
    for (const k of [50, 51]) venue.massQuote(s, { quotes: [{ i: 'BTC-PERPETUAL', b: [[ref - k, 0.1]], a: [[ref + k, 0.1]] }], label: 'thalex-quoter', post_only: true });
    venue.cancelMassQuote(s, undefined);
    expect(frames.length).toBe(3);
    for (const f of frames) {
      const r = both(f);
      expect(r.scan).toEqual(r.json);
    }
    expect(both(frames[2]!).json).toEqual(['forget 0/0', 'forget 0/1']); // the bulk cancel forgets both sides
  });
});

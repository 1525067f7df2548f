import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactNumber, literalEnd } from '../../src/codec/json-scan.js';
import { AccountFeed } from '../../src/engine/account-feed.js';
import type { LiveQuotes } from '../../src/engine/live-quotes.js';
import type { Positions } from '../../src/engine/positions.js';
import type { Protection } from '../../src/engine/protection.js';
import { PROTECTION_REASONS } from '../../src/engine/protection-scan.js';
import { defaultInstruments } from '../../src/sim/instruments.js';
import { SimSession, Venue } from '../../src/sim/venue.js';

const QUOTED = ['BTC-PERPETUAL', 'ETH-PERPETUAL', 'BTC-27MAR26-90000-C'];
const PRODUCT: Record<string, string> = { 'BTC-PERPETUAL': 'FBTCUSD', 'ETH-PERPETUAL': 'FETHUSD', 'BTC-27MAR26-90000-C': 'OBTCUSD' };

/** An AccountFeed whose live quotes and protection record what is done to them. */
function recordingFeed() {
  const log: string[] = [];
  const live = { clearInstrument: (i: number) => log.push(`clear ${i}`) } as unknown as LiveQuotes;
  const prot = { onNotification: (p: string, r: number, why: string) => log.push(`protection ${p} ${Object.is(r, -0) ? '-0' : r} ${why}`) } as unknown as Protection;
  const index = new Map(QUOTED.map((n, i) => [n, i]));
  const feed = new AccountFeed({} as Positions, prot, live, index, new Map(Object.entries(PRODUCT)), {
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
  return s.feed.protectionScanner.scan(buf, pad, buf.length - pad, s.feed, 1) ? s.log : 'fallback';
}

/** The effects of a frame on each path: the byte scan ('fallback' if it declined), and JSON.parse. */
function both(text: string): { scan: string[] | 'fallback'; json: string[] } {
  const j = recordingFeed();
  j.feed.onProtection('session.mm_protection', (JSON.parse(text) as { notification: unknown }).notification, 1);
  return { scan: scan(text), json: j.log };
}

const frame = (lines: unknown) => `{"channel_name":"session.mm_protection","notification":${JSON.stringify(lines)}}`;

const product = fc.constantFrom('FBTCUSD', 'FETHUSD', 'OBTCUSD');
const amount = fc.oneof(fc.integer({ min: -1000, max: 100_000 }), fc.double({ min: -10, max: 1e4, noNaN: true }), fc.constantFrom(0, -0, 0.1, 1e-7, 12.5));
const line = fc.record({ product, remaining_amount: amount, reason: fc.constantFrom(...PROTECTION_REASONS) });
/** Anything at all in the same places, to find where the scan and JSON.parse could disagree. */
const wild = fc.dictionary(
  fc.constantFrom('product', 'remaining_amount', 'reason', 'x'),
  fc.oneof(fc.jsonValue({ maxDepth: 2 }), product, amount, fc.constantFrom(...PROTECTION_REASONS, 'triggered', 'SOLUSD')),
  { maxKeys: 5 },
);

describe('session.mm_protection read by bytes (ProtectionScanner) against JSON.parse (AccountFeed.onProtection)', () => {
  it('frames as the venue sends them: read by bytes whenever the numbers are exact there, with the same effects', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const r = both(frame(lines));
        if (r.scan === 'fallback') {
          // Only a number the scan does not read exactly (an exponent, or over 15 digits) declines.
          const text = frame(lines);
          expect(/e|[0-9.]{17,}/i.test(text.replace(/"[a-z_]+"/g, ''))).toBe(true);
          return;
        }
        expect(r.scan).toEqual(r.json);
      }),
      { numRuns: 3000 },
    );
  });

  it('anything else: read by bytes only with the same effects and nothing JSON would report; else handed to JSON', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(line, wild), { maxLength: 6 }), fc.boolean(), (lines, spaced) => {
        const text = spaced ? JSON.stringify({ channel_name: 'session.mm_protection', notification: lines }, null, 1) : frame(lines);
        const r = both(text);
        if (r.scan === 'fallback') return;
        expect(r.scan).toEqual(r.json);
        expect(r.json.filter((l) => l.startsWith('malformed'))).toEqual([]);
      }),
      { numRuns: 5000 },
    );
  });

  it('a cancel-all of three products: each group reported and its instruments cleared', () => {
    const r = both(frame(['FBTCUSD', 'FETHUSD', 'OBTCUSD'].map((p) => ({ product: p, remaining_amount: 0, reason: 'client_cancel' }))));
    expect(r.scan).toEqual(['protection FBTCUSD 0 client_cancel', 'clear 0', 'protection FETHUSD 0 client_cancel', 'clear 1', 'protection OBTCUSD 0 client_cancel', 'clear 2']);
    expect(r.scan).toEqual(r.json);
  });

  it('hands other products, other reasons, exponents, escapes and other shapes to JSON', () => {
    for (const l of [
      [{ product: 'FSOLUSD', remaining_amount: 0, reason: 'client_cancel' }],
      [{ product: 'FBTCUSD', remaining_amount: 0, reason: 'triggered' }],
      [{ product: 'FBTCUSD', remaining_amount: 1e21, reason: 'refill' }],
      [{ product: 'FBTCUSD', remaining_amount: '10', reason: 'refill' }],
      [{ product: 'FBTCUSD', reason: 'refill' }],
      [{ product: 'FBTCUSD', remaining_amount: 1, reason: 'refill', extra: [1] }],
      [{}],
    ]) {
      expect(scan(frame(l)), JSON.stringify(l)).toBe('fallback');
    }
    for (const text of [
      '{"channel_name":"session.mm_protection","notification":[{"product":"FBTC\\u0055SD","remaining_amount":0,"reason":"refill"}]}',
      '{"channel_name":"session.mm_protection","notification":"not a list"}',
      '{"channel_name":"session.mm_protection","notification":[]',
      '{"channel_name":"session.mm_protection","notification":[]}x',
    ]) {
      expect(scan(text), text).toBe('fallback');
    }
  });

  it("the simulator's own notices: arming, and a cancel-all", () => {
    const venue = new Venue({ seed: 1, instruments: defaultInstruments(), takerProbability: 0, takerMaxLots: 1, now: () => 1_700_000_000 });
    const frames: string[] = [];
    const noop = () => {};
    const s = new SimSession(1, 'A1', { orders: noop, trades: noop, portfolio: noop, protection: (u) => frames.push(frame(u)) });
    venue.addSession(s);
    venue.setProtection(s, 'FBTCUSD', 100, 100);
    venue.setProtection(s, 'FETHUSD', 10, 20);
    venue.cancelMassQuote(s, undefined);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    for (const f of frames) {
      const r = both(f);
      expect(r.scan, f).toEqual(r.json);
    }
  });
});

describe('exactNumber: the same double as JSON.parse, or NaN', () => {
  it('agrees with JSON.parse wherever it answers, and answers for every number of ≤ 15 digits without an exponent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0.1, 0.3, 1e-7, 123456789012345, 1234567890123456)), (x) => {
        const text = JSON.stringify(x);
        const b = Buffer.from(text, 'latin1');
        const e = literalEnd(b, 0, b.length);
        expect(e).toBe(b.length);
        const v = exactNumber(b, 0, e);
        const significant = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
        if (!/e/i.test(text) && significant <= 15) expect(Object.is(v, JSON.parse(text))).toBe(true);
        else if (!Number.isNaN(v)) expect(Object.is(v, JSON.parse(text))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNativeCodec } from '../../src/codec/native.js';
import { RingTickDecoder } from '../../src/codec/tick-decoder.js';
import { peekChannelEnd } from '../../src/rpc/peek.js';
import { CHANNEL_NAME_OFFSET } from '../../src/rpc/channel-router.js';
import { TICKER_FIELDS } from '../helpers/ticker-fields.js';
import * as L from '../../src/rings/layout.js';
import { TickerRing } from '../../src/rings/ticker-ring.js';

const FIELDS = TICKER_FIELDS;

// `npm install` builds the addon on this machine kind; its absence here is a regression, not a skip.
const native = loadNativeCodec();
let kind: 'js' | 'native' = 'js';

function setup() {
  const names = ['BTC-PERPETUAL', 'BTC-PERPETUAL-X', 'ETH-PERPETUAL'];
  const rings = names.map(() => TickerRing.create());
  const dec = new RingTickDecoder(names, rings, kind === 'native' ? native : null);
  expect(dec.kind).toBe(kind);
  return { names, rings, dec };
}

function feed(dec: ReturnType<typeof setup>['dec'], text: string, pad = 3): number {
  const buf = Buffer.from(`${'x'.repeat(pad)}${text}${'9'.repeat(pad)}`, 'utf8');
  const start = pad;
  const end = buf.length - pad;
  const chEnd = peekChannelEnd(buf, start, end);
  return dec.decode(buf, start, end, chEnd < 0 ? -1 : start + CHANNEL_NAME_OFFSET, chEnd, 123);
}

const num = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
  fc.integer({ min: 0, max: 200_000 }).map((k) => k / 100),
  fc.constant(47238.64143906124),
  fc.constant(1e-7),
);
const junk = fc.oneof(fc.string(), fc.jsonValue(), fc.constant({ nested: { best_bid_price: 1, s: 'a"}b' } }));

describe('native addon', () => {
  it('is built and loaded, and its field offsets are the ones in rings/layout.ts', () => {
    expect(native).not.toBeNull();
    const l = native!.layout();
    for (const [k, v] of Object.entries(l)) expect(v, k).toBe((L as unknown as Record<string, number>)[k]);
    expect(native!.simdjsonVersion).toMatch(/^3\./);
  });
});

for (const k of ['js', 'native'] as const)
describe(`tick decoder (${k} parser)`, () => {
  beforeAll(() => {
    kind = k;
  });
  it('agrees with JSON.parse on random tickers (nulls, any key order, extra fields, exponents)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 2),
        fc.array(fc.tuple(fc.constantFrom(...FIELDS.map(([k]) => k)), fc.option(num, { freq: 5 })), { maxLength: 12 }),
        fc.array(fc.tuple(fc.string({ minLength: 1 }).filter((k) => !FIELDS.some(([f]) => f === k)), junk), { maxLength: 4 }),
        fc.constantFrom('raw', '100ms'),
        (i, fields, extras, delay) => {
          const s = setup();
          const obj: Record<string, unknown> = {};
          for (const [k, v] of extras) obj[k] = v;
          for (const [k, v] of fields) obj[k] = v;
          const name = s.names[i]!;
          const text = JSON.stringify({ channel_name: `ticker.${name}.${delay}`, notification: obj });
          expect(feed(s.dec, text)).toBe(i);
          const out = new Float64Array(L.TICK_FIELDS);
          expect(s.rings[i]!.readLatest(out)).toBe(1);
          const parsed = (JSON.parse(text) as { notification: Record<string, number | null> }).notification;
          for (const [k, f] of FIELDS) {
            const want = parsed[k] === undefined || parsed[k] === null ? Number.NaN : parsed[k];
            expect(out[f]).toBe(want);
          }
          expect(out[L.F_RECV_NS]).toBe(123);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps fields a message leaves out from the previous tick', () => {
    const s = setup();
    feed(s.dec, '{"channel_name":"ticker.ETH-PERPETUAL.raw","notification":{"mark_price":3500.5,"index":3499}}');
    feed(s.dec, '{"channel_name":"ticker.ETH-PERPETUAL.raw","notification":{"best_bid_price":3500}}');
    const out = new Float64Array(L.TICK_FIELDS);
    expect(s.rings[2]!.readLatest(out)).toBe(2);
    expect([out[L.F_MARK_PRICE], out[L.F_INDEX], out[L.F_BEST_BID_PRICE]]).toEqual([3500.5, 3499, 3500]);
  });

  it('rejects unknown instruments, truncation and garbage without publishing or throwing', () => {
    const s = setup();
    const good = '{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"best_bid_price":95000,"mark_price":95001.5}}';
    expect(feed(s.dec, good.replace('BTC-PERPETUAL', 'SOL-PERPETUAL'))).toBe(-1);
    // The channel is ticker.<name>.<delay>: no delay, an empty one, or a name that only starts alike is no match.
    for (const ch of ['ticker.BTC-PERPETUAL', 'ticker.BTC-PERPETUAL.', 'ticker.BTC-PERPETUALX.raw', 'ticker.BTC.raw', 'tickers.BTC-PERPETUAL.raw']) {
      expect(feed(s.dec, good.replace('ticker.BTC-PERPETUAL.raw', ch))).toBe(-1);
    }
    expect(feed(s.dec, good.replace('.raw', '.1000ms'))).toBeGreaterThanOrEqual(0);
    for (let cut = 0; cut < good.length - 1; cut++) expect(feed(s.dec, good.slice(0, cut))).toBeLessThanOrEqual(0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const buf = Buffer.concat([Buffer.from('{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{'), Buffer.from(bytes)]);
        const chEnd = peekChannelEnd(buf, 0, buf.length);
        const r = s.dec.decode(buf, 0, buf.length, CHANNEL_NAME_OFFSET, chEnd, 0);
        expect(r === -1 || r === 0).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    expect(s.rings[1]!.latestSeq()).toBe(0);
  });

  it('classifies replies', () => {
    const s = setup();
    const b = (t: string) => [Buffer.from(t), 0, Buffer.byteLength(t)] as const;
    expect(s.dec.replyIsClean(...b('{"id":5,"result":{"n_success":2,"n_fail":0,"errors":[]}}'))).toBe(true);
    expect(s.dec.replyIsClean(...b('{"id":5,"result":{"n_success":1,"n_fail":1,"errors":[{"code":15,"message":"x","side":"bid"}]}}'))).toBe(false);
    expect(s.dec.replyIsClean(...b('{"id":5,"error":{"code":4,"message":"throttle"}}'))).toBe(false);
    expect(s.dec.replyIsError(...b('{"id":5,"error":{"code":4,"message":"throttle"}}'))).toBe(true);
    expect(s.dec.replyIsError(...b('{"id":5,"result":null}'))).toBe(false);
  });
});

for (const k of ['js', 'native'] as const)
describe(`tick decoder, option ticker (${k} parser)`, () => {
  it('keeps iv, delta and forward of an option ticker, and leaves them NaN for a perpetual', () => {
    const names = ['BTC-27MAR26-100000-C', 'BTC-PERPETUAL'];
    const rings = names.map(() => TickerRing.create());
    const dec = new RingTickDecoder(names, rings, k === 'native' ? native : null);
    expect(dec.kind).toBe(k);
    // Shape of the spec's Ticker (iv/forward "Only included for options"), short keys mixed in.
    const opt =
      '{"channel_name":"ticker.BTC-27MAR26-100000-C.raw","notification":{"best_bid_price":null,"best_bid_amount":null,' +
      '"best_ask_price":2605,"best_ask_amount":0.5,"mark_price":2581.3,"mark_timestamp":1774000000.25,"iv":0.5512,' +
      '"delta":0.4123,"index":95010.5,"forward":95320.25,"collar_low":5,"collar_high":7000,"open_interest":3.2}}';
    expect(feed(dec, opt)).toBe(0);
    const perp = '{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"mark_price":95001.5,"delta":1,"index":95000,"funding_rate":0.0001}}';
    expect(feed(dec, perp)).toBe(1);
    const out = new Float64Array(L.TICK_FIELDS);
    expect(rings[0]!.readLatest(out)).toBe(1);
    expect([out[L.F_IV], out[L.F_DELTA], out[L.F_FORWARD], out[L.F_MARK_PRICE], out[L.F_COLLAR_HIGH]]).toEqual([0.5512, 0.4123, 95320.25, 2581.3, 7000]);
    expect(out[L.F_BEST_BID_PRICE]).toBeNaN();
    expect(rings[1]!.readLatest(out)).toBe(1);
    expect(out[L.F_DELTA]).toBe(1);
    expect(out[L.F_IV]).toBeNaN();
    expect(out[L.F_FORWARD]).toBeNaN();
  });
});

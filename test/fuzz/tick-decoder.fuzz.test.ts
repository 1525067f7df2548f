/**
 * Fuzzing both ticker decoders (simdjson addon and JavaScript) with tickers the venue could
 * send and with the same tickers damaged: JSON.parse is the oracle.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadNativeCodec } from '../../src/codec/native.js';
import { RingTickDecoder } from '../../src/codec/tick-decoder.js';
import { CHANNEL_NAME_OFFSET } from '../../src/rpc/channel-router.js';
import { peekChannelEnd } from '../../src/rpc/peek.js';
import { TICKER_FIELDS } from '../helpers/ticker-fields.js';
import * as L from '../../src/rings/layout.js';
import { TickerRing } from '../../src/rings/ticker-ring.js';
import { heapAfterGc, runs, timeoutFor } from './budget.js';
import { applyDamage } from '../helpers/damage.js';

const FIELDS = TICKER_FIELDS;
const NAMES = ['BTC-PERPETUAL', 'ETH-PERPETUAL'];

const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1e9, max: 1e9 }).map((k) => k / 1000),
  fc.constantFrom(0, -0, 1e-7, 5e-324, 1.7976931348623157e308, 47238.64143906124),
);
/** How a number is spelled: as JSON.stringify does, or with an exponent, or padded zeros. */
const spelled = fc.tuple(number, fc.nat(3)).map(([v, how]) => {
  const s = JSON.stringify(v);
  if (how === 1 && /^-?\d+$/.test(s) && s.length < 15) return `${s}0e-1`;
  if (how === 2) return v.toExponential();
  if (how === 3) return v.toPrecision(17);
  return s;
});
const value = fc.oneof({ weight: 8, arbitrary: spelled }, { weight: 1, arbitrary: fc.constant('null') });
const junk = fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((j) => JSON.stringify(j)), fc.constant('{"best_bid_price":1,"s":"a\\"}b"}'), fc.constant('"\\u0062est_bid_price"'));

/** A ticker in any key order with any subset of our fields and extra ones. */
const ticker = fc
  .tuple(
    fc.nat(NAMES.length - 1),
    fc.subarray(FIELDS.map((f) => f[0])),
    fc.array(value, { minLength: FIELDS.length, maxLength: FIELDS.length }),
    fc.array(fc.tuple(fc.string({ maxLength: 12 }), junk), { maxLength: 3 }),
    fc.boolean(),
    fc.constantFrom('', ' ', '\n\t '),
  )
  .map(([inst, keys, vals, extra, channelFirst, ws]) => {
    const members = keys.map((k, j) => `"${k}":${ws}${vals[j]}`);
    for (const [k, v] of extra) if (!FIELDS.some((f) => f[0] === k)) members.splice(members.length ? k.length % members.length : 0, 0, `${JSON.stringify(k)}:${v}`);
    const note = `{${ws}${members.join(`,${ws}`)}}`;
    const ch = `"channel_name":"ticker.${NAMES[inst]}.raw"`;
    return channelFirst ? `{${ch},"notification":${note}}` : `{"notification":${note},${ch}}`;
  });

const damage = fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('truncate', 'flip', 'insert', 'delete'), ch: fc.constantFrom('"', '\\', '{', '}', ',', ':', 'e', '-', '.', '9', 'n', ' ', '\u0000', 'é') }), { minLength: 1, maxLength: 3 });


/** What JSON.parse says the ring should hold after `text`, on top of `prev`; null: must be rejected. */
function oracle(text: string, prev: Float64Array): { inst: number; fields: Float64Array } | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  const o = m as { channel_name?: unknown; notification?: unknown };
  if (typeof o?.channel_name !== 'string' || o.notification === null || typeof o.notification !== 'object' || Array.isArray(o.notification)) return null;
  const inst = NAMES.findIndex((n) => o.channel_name === `ticker.${n}.raw`);
  if (inst < 0) return null;
  const out = Float64Array.from(prev);
  const n = o.notification as Record<string, unknown>;
  for (const [k, f] of FIELDS) {
    if (!(k in n)) continue;
    const v = n[k];
    if (v === null) out[f] = Number.NaN;
    else if (typeof v === 'number' && Number.isFinite(v)) out[f] = v; // overflow (1e999) is refused
    else return null; // a field of ours that is not a number: the whole tick is refused
  }
  return { inst, fields: out };
}

const native = loadNativeCodec();
const CI = 50_000;

for (const kind of ['js', 'native'] as const) {
  describe(`fuzz: ticker decoder (${kind})`, () => {
    it(
      `valid and damaged tickers (${runs(CI) * 2} cases): never throws; publishes exactly what JSON.parse reads, or nothing`,
      () => {
        expect(kind === 'js' || native !== null).toBe(true);
        const before = heapAfterGc();
        const rings = NAMES.map(() => TickerRing.create(8));
        const dec = new RingTickDecoder(NAMES, rings, kind === 'native' ? native : null);
        const last = NAMES.map(() => new Float64Array(L.TICK_FIELDS).fill(Number.NaN));
        const got = new Float64Array(L.TICK_FIELDS);
        let accepted = 0;
        let refused = 0;
        fc.assert(
          fc.property(ticker, fc.option(damage, { freq: 2 }), fc.nat(4), (clean, ds, pad) => {
            const text = ds === null ? clean : applyDamage(clean, ds);
            // Bytes around the message: the decoder must stay inside [start, end).
            const buf = Buffer.from(`${'{'.repeat(pad)}${text}${'"'.repeat(pad)}`, 'utf8');
            const start = pad;
            const end = buf.length - pad;
            const chEnd = peekChannelEnd(buf, start, end);
            const inst = NAMES.findIndex((n) => text.includes(`"ticker.${n}.raw"`));
            const expected = oracle(text, inst >= 0 ? last[inst]! : last[0]!);
            const i = dec.decode(buf, start, end, chEnd < 0 ? -1 : start + CHANNEL_NAME_OFFSET, chEnd, 1);
            expect(i === -1 || (i >= 0 && i < NAMES.length)).toBe(true);
            if (i >= 0) {
              accepted++;
              rings[i]!.readLatest(got);
              if (expected !== null) {
                expect(i).toBe(expected.inst);
                for (const [k, f] of FIELDS) expect(got[f], k).toBe(expected.fields[f]);
              }
              // Lenient acceptance of damaged input (e.g. a flipped byte inside an unknown
              // field) is allowed, but what it published is what the ring now holds.
              last[i]!.set(got);
              last[i]![L.F_RECV_NS] = Number.NaN;
              last[i]![L.F_SEQ_BEGIN] = Number.NaN;
              last[i]![L.F_SEQ_END] = Number.NaN;
            } else {
              refused++;
              // Valid JSON in the compact shape with numeric fields must not be refused.
              if (expected !== null && chEnd >= 0) expect.fail(`refused a valid ticker: ${text}`);
            }
          }),
          { numRuns: runs(CI) * 2 },
        );
        expect(accepted).toBeGreaterThan(runs(CI) / 4);
        expect(refused).toBeGreaterThan(runs(CI) / 10);
        expect(heapAfterGc() - before).toBeLessThan(32 * 1024 * 1024);
      },
      timeoutFor(CI * 2, 0.1),
    );

    it('a refused message leaves nothing behind: the next partial tick publishes as if it never came', () => {
      const rings = [TickerRing.create(8)];
      const dec = new RingTickDecoder(['BTC-PERPETUAL'], rings, kind === 'native' ? native : null);
      const send = (t: string) => {
        const b = Buffer.from(t);
        return dec.decode(b, 0, b.length, CHANNEL_NAME_OFFSET, peekChannelEnd(b, 0, b.length), 1);
      };
      expect(send('{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"best_bid_price":100,"best_ask_price":101}}')).toBe(0);
      // Half-parsed before it turns out bad: its first field must not survive.
      expect(send('{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"best_bid_price":666,"best_ask_price":"x"}}')).toBe(-1);
      expect(send('{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"best_bid_price":100,"mark_price":1')).toBe(-1);
      expect(send('{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"best_ask_price":102}}')).toBe(0);
      const t = new Float64Array(L.TICK_FIELDS);
      rings[0]!.readLatest(t);
      expect([t[L.F_BEST_BID_PRICE], t[L.F_BEST_ASK_PRICE], t[L.F_MARK_PRICE]]).toEqual([100, 102, Number.NaN]);
    });
  });
}

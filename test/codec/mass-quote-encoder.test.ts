import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gcsDuring } from '../helpers/gc-count.js';
import { validateRequest } from '../helpers/spec.js';
import type { DoubleSidedQuote, QuoteSide } from '../../src/protocol/rpc-types.js';
import { STP_ACTIONS, STP_LEVELS } from '../../src/protocol/enums.js';
import { QuoterError } from '../../src/errors.js';
import { CodecError } from '../../src/codec/errors.js';
import { decimalsOf, writeFixed, writeFixedAt, writeNumberView } from '../../src/codec/json-number.js';
import { writeJsonString } from '../../src/codec/json-string.js';
import { ASK, BID, QuoteBatch, SIDE_LEVELS, SIDE_OMIT, SIDE_SINGLE } from '../../src/codec/quote-batch.js';
import { EncodedMassQuoteOptions, QuoteEncoder, type MassQuoteOptionsInput } from '../../src/codec/mass-quote-encoder.js';
import { FRAME_HEADER_ROOM } from '../../src/ws/types.js';

const text = (buf: Uint8Array, from: number, n: number) => Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8', from, from + n);
/** The text outside string literals: where an exponent would show. */
const outsideStrings = (t: string) => t.replace(/"(?:[^"\\]|\\.)*"/g, '""');

describe('writeFixed', () => {
  const w = (v: number, d: number) => {
    const buf = Buffer.alloc(400);
    return buf.toString('latin1', 0, writeFixed(buf, 0, v, d));
  };

  it('writes values on a d-decimal grid exactly, without exponent or trailing zeros', () => {
    // What reaches the encoder is on the tick/lot grid: k × 10^-d, possibly off by the float error
    // of k × step. The text must parse back to exactly k / 10^d.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.maxSafeInteger()), fc.boolean(), (d, k, viaStep) => {
        if (Math.abs(k) >= 2 ** 53 / 10 ** d && d > 0) k = Math.trunc(k / 10 ** d); // keep k × 10^-d on the fast path
        const v = viaStep ? k * 0.1 ** d : k / 10 ** d;
        const t = w(v, d);
        expect(t).toMatch(/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/);
        expect(Number(t)).toBe(k / 10 ** d === 0 ? 0 : k / 10 ** d);
      }),
      { numRuns: 100_000 },
    );
  });

  it('handles zero, -0, rounding, the int32 boundary and huge values exactly', () => {
    expect(w(0, 3)).toBe('0');
    expect(w(-0, 3)).toBe('0');
    expect(w(-0.0001, 3)).toBe('0');
    expect(w(95000.5, 1)).toBe('95000.5');
    expect(w(0.001, 3)).toBe('0.001');
    expect(w(0.0105, 2)).toBe('0.01'); // 0.0105 is 0.01049999… as a double
    expect(w(-12.5, 2)).toBe('-12.5');
    expect(w(2 ** 31, 0)).toBe('2147483648');
    expect(w(2 ** 31 - 1, 0)).toBe('2147483647');
    expect(w(2 ** 53 - 1, 0)).toBe('9007199254740991');
    expect(w(90071992.54740991, 8)).toBe('90071992.54740991');
    expect(w(1.6e-8, 8)).toBe('0.00000002');
    expect(w(1.5e-8, 8)).toBe('0.00000001'); // 1.5e-8 × 1e8 = 1.4999999999999998
    expect(w(123.456, 12)).toBe('123.456');
    expect(w(1e20, 2)).toBe('100000000000000000000');
    expect(w(1e21, 2)).toBe('1000000000000000000000');
    expect(w(-1.7976931348623157e308, 0)).toBe(BigInt(-1.7976931348623157e308).toString());
    expect(w(12345678901.25, 8)).toBe('12345678901.25'); // slow path below 1e21
    expect(decimalsOf(0.001)).toBe(3);
    expect(decimalsOf(5)).toBe(0);
    expect(decimalsOf(0.5)).toBe(1);
    expect(decimalsOf(0.25)).toBe(2);
    expect(decimalsOf(1e-8)).toBe(8);
  });
});

describe('writeNumberView', () => {
  it('writes the text writeFixedAt writes, for any finite double and 0…22 decimals', () => {
    const a = Buffer.alloc(400);
    const b = Buffer.alloc(400);
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const src = new Float64Array(1);
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.integer({ min: 0, max: 12 })).map(([k, d]) => k / 10 ** d),
      fc.double({ min: -2e8, max: 2e8, noNaN: true }),
      fc.constantFrom(0, -0, 0.5, 0.0049999, 99_999_999.5, 2 ** 31 - 1, 2 ** 31 - 1.5, 1e-9, -1e-300),
    );
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 22 }), (x, d) => {
        src[0] = x;
        const na = writeFixedAt(a, 3, src, 0, d);
        const nb = writeNumberView(v, b, 3, src, 0, d);
        expect(b.toString('latin1', 3, nb)).toBe(a.toString('latin1', 3, na));
      }),
      { numRuns: 50_000 },
    );
  });
});

describe('writeJsonString', () => {
  it('escapes exactly like JSON.stringify (any UTF-16, lone surrogates included)', () => {
    const buf = Buffer.alloc(8192);
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u007f', '😀', 'é', '€')), maxLength: 40 }), (s) => {
        const n = writeJsonString(buf, 0, s);
        expect(buf.toString('utf8', 0, n)).toBe(JSON.stringify(s));
      }),
      { numRuns: 20_000 },
    );
  });
});

// ---- mass_quote ----

const TICKS = [1, 0.5, 0.25, 5, 2.5, 0.1, 0.01, 0.001, 1e-4, 1e-8] as const;
const LOTS = [1, 0.1, 0.01, 0.001, 1e-5, 1e-8] as const;

/** Characters that need escaping or multi-byte UTF-8, mixed with plain ones. */
const nasty = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('A', 'b', '-', '_', '9', '.') },
  { weight: 1, arbitrary: fc.constantFrom('"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u0001', '\u001f', '\u007f', '\u2028') },
  { weight: 1, arbitrary: fc.constantFrom('é', 'ß', '€', '中', '😀', '\ud800', '\udfff') },
);
const name = fc.string({ unit: nasty, minLength: 1, maxLength: 12 });

/** Grid value k / 10^d with k at the edges: small, around int32, up to 2^53 - 1. */
const gridInt = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 2 ** 31 - 3, max: 2 ** 31 + 3 }) },
  { weight: 1, arbitrary: fc.maxSafeNat() },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 9, 10, 99, 100, 2 ** 53 - 1) },
);

interface GenSide {
  form: 'omit' | 'empty' | 'single' | 'multi';
  levels: Array<[number, number]>; // grid integers
}
/** Level prices are distinct within a side (the spec wants them distinct). */
const side: fc.Arbitrary<GenSide> = fc.oneof(
  fc.constant<GenSide>({ form: 'omit', levels: [] }),
  fc.constant<GenSide>({ form: 'empty', levels: [] }),
  fc.tuple(gridInt, gridInt).map<GenSide>((l) => ({ form: 'single', levels: [l] })),
  fc.uniqueArray(fc.tuple(gridInt, gridInt), { minLength: 1, maxLength: 10, selector: (l) => l[0] }).map<GenSide>((levels) => ({ form: 'multi', levels })),
);

/** The spec's option fields for `o`; options left undefined are not sent. */
function wireOptions(o: MassQuoteOptionsInput): Record<string, unknown> {
  const w: Record<string, unknown> = {};
  if (o.label !== undefined) w['label'] = o.label;
  if (o.postOnly !== undefined) w['post_only'] = o.postOnly;
  if (o.rejectPostOnly !== undefined) w['reject_post_only'] = o.rejectPostOnly;
  if (o.stpLevel !== undefined) w['stp_level'] = o.stpLevel;
  if (o.stpAction !== undefined) w['stp_action'] = o.stpAction;
  return w;
}

const options: fc.Arbitrary<MassQuoteOptionsInput> = fc.record(
  {
    label: fc.string({ unit: nasty, maxLength: 16 }),
    postOnly: fc.boolean(),
    rejectPostOnly: fc.constant(true),
    stpLevel: fc.constantFrom(...STP_LEVELS),
    stpAction: fc.constantFrom(...STP_ACTIONS),
  },
  { requiredKeys: [] },
).map((o) => (o.rejectPostOnly === true && o.postOnly !== true ? { ...o, postOnly: true } : o));

describe('QuoteEncoder', () => {
  it('mass_quote text parses to exactly the spec-shaped params written out by hand (10^5 random requests)', () => {
    const buf = Buffer.alloc(64 * 1024);
    let n = 0;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ name, tick: fc.constantFrom(...TICKS), lot: fc.constantFrom(...LOTS) }), { minLength: 1, maxLength: 3, selector: (r) => r.name }),
        fc.array(fc.record({ i: fc.nat(), neg: fc.boolean(), b: side, a: side }), { minLength: 0, maxLength: 3 }),
        options,
        fc.oneof(fc.nat(), fc.maxSafeNat()),
        (instruments, quotes, opts, id) => {
          const enc = new QuoteEncoder(instruments.map((x) => ({ name: x.name, tickSize: x.tick, volumeTickSize: x.lot })), opts);
          const batch = new QuoteBatch();
          const expected: DoubleSidedQuote[] = [];
          for (const q of quotes) {
            const ii = q.i % instruments.length;
            const I = instruments[ii]!;
            const pd = decimalsOf(I.tick);
            const ad = decimalsOf(I.lot);
            const px = (k: number) => (q.neg && k !== 0 ? -k : k) / 10 ** pd; // -0 is written as 0
            const am = (k: number) => k / 10 ** ad;
            const e = batch.add(ii);
            const wire: Array<QuoteSide | undefined> = [];
            for (const [s, g] of [[BID, q.b], [ASK, q.a]] as const) {
              if (g.form === 'omit') wire.push(undefined);
              else if (g.form === 'empty') {
                batch.setEmpty(e, s);
                wire.push([]);
              } else if (g.form === 'single') {
                batch.setSingle(e, s, px(g.levels[0]![0]), am(g.levels[0]![1]));
                wire.push({ p: px(g.levels[0]![0]), a: am(g.levels[0]![1]) });
              } else {
                // Distinct grid integers can still scale to the same double (k near 2^53 over
                // 10^d): keep the first level of each price, as the spec wants distinct prices.
                const seen = new Set<number>();
                const levels = g.levels.filter(([p]) => !seen.has(px(p)) && seen.add(px(p)) !== undefined);
                batch.setSide(e, s, Float64Array.from(levels, ([p]) => px(p)), Float64Array.from(levels, ([, a]) => am(a)), levels.length);
                wire.push(levels.map(([p, a]) => [px(p), am(a)]));
              }
            }
            const [b, a] = wire;
            expected.push({ i: I.name, ...(b !== undefined ? { b } : {}), ...(a !== undefined ? { a } : {}) });
          }
          const params = { quotes: expected, ...wireOptions(opts) };
          const len = enc.encode(buf, FRAME_HEADER_ROOM, id, batch);
          const t = text(buf, FRAME_HEADER_ROOM, len);
          expect(JSON.parse(t)).toEqual({ method: 'private/mass_quote', id, params });
          expect(outsideStrings(t)).not.toMatch(/[\d.][eE][+-]?\d/);
          if ((n++ & 255) === 0) expect(validateRequest('private/mass_quote', JSON.parse(t).params)).toEqual([]);
        },
      ),
      { numRuns: 100_000 },
    );
    // 10^5 cases took 23 s of a 30 s default on an idle 2-core machine, 45 s under load.
  }, 120_000);

  it('writes nothing past the request (its word stores leave scratch bytes only inside it)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...TICKS), fc.constantFrom(...LOTS)), { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.array(fc.tuple(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true })), { maxLength: 10 }), fc.boolean()), { maxLength: 4 }),
        fc.nat({ max: 40 }),
        (ticks, quotes, offset) => {
          const enc = new QuoteEncoder(ticks.map(([tick, lot], i) => ({ name: `I${i}`, tickSize: tick, volumeTickSize: lot })));
          const batch = new QuoteBatch();
          for (const [i, levels, single] of quotes) {
            const e = batch.add(i % ticks.length);
            if (single && levels.length > 0) batch.setSingle(e, BID, levels[0]![0], levels[0]![1]);
            else batch.setSide(e, ASK, Float64Array.from(levels, (l) => l[0]), Float64Array.from(levels, (l) => l[1]), levels.length);
          }
          const buf = Buffer.alloc(16 * 1024, 0xee);
          const n = enc.encode(buf, offset, 7, batch);
          expect(buf.subarray(0, offset).every((x) => x === 0xee)).toBe(true);
          expect(buf.subarray(offset + n).every((x) => x === 0xee)).toBe(true);
          expect(() => JSON.parse(buf.toString('utf8', offset, offset + n))).not.toThrow();
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('writes the spec examples byte for byte', () => {
    const enc = new QuoteEncoder(
      [
        { name: 'BTC-10SEP21-48000-C', tickSize: 5, volumeTickSize: 0.01 },
        { name: 'BTC-10SEP21-53000-C', tickSize: 5, volumeTickSize: 0.01 },
        { name: 'BTC-PERPETUAL', tickSize: 1, volumeTickSize: 0.001 },
      ],
      {},
    );
    const buf = Buffer.alloc(1024);
    const batch = new QuoteBatch();
    let e = batch.add(0);
    batch.setSide(e, BID, Float64Array.of(230, 235), Float64Array.of(2, 1), 2);
    batch.setSide(e, ASK, Float64Array.of(250), Float64Array.of(1), 1);
    e = batch.add(1);
    batch.setSide(e, ASK, Float64Array.of(5), Float64Array.of(1), 1);
    let n = enc.encode(buf, 0, 10, batch);
    expect(buf.toString('utf8', 0, n)).toBe('{"method":"private/mass_quote","id":10,"params":{"quotes":[{"i":"BTC-10SEP21-48000-C","b":[[230,2],[235,1]],"a":[[250,1]]},{"i":"BTC-10SEP21-53000-C","a":[[5,1]]}]}}');
    batch.clear();
    e = batch.add(2);
    batch.setSingle(e, BID, 95000, 0.1);
    batch.setSingle(e, ASK, 95100, 0.1);
    n = enc.encode(buf, 0, 11, batch, new EncodedMassQuoteOptions({ label: 'mm-bot', postOnly: true }));
    expect(buf.toString('utf8', 0, n)).toBe('{"method":"private/mass_quote","id":11,"params":{"quotes":[{"i":"BTC-PERPETUAL","b":{"p":95000,"a":0.1},"a":{"p":95100,"a":0.1}}],"label":"mm-bot","post_only":true}}');
    expect([batch.mode[0], batch.mode[1], SIDE_OMIT, SIDE_LEVELS]).toEqual([SIDE_SINGLE, SIDE_SINGLE, 0, 1]);
  });

  it('refuses NaN, ±Infinity and negative amounts with a stable code, before writing anything', () => {
    const enc = new QuoteEncoder([{ name: 'BTC-PERPETUAL', tickSize: 1, volumeTickSize: 0.001 }]);
    const buf = Buffer.alloc(1024, 0xee);
    const cases: Array<[number, number, string]> = [
      [Number.NaN, 1, 'CODEC_ERR_NON_FINITE_PRICE'],
      [Infinity, 1, 'CODEC_ERR_NON_FINITE_PRICE'],
      [-Infinity, 1, 'CODEC_ERR_NON_FINITE_PRICE'],
      [95000, Number.NaN, 'CODEC_ERR_NON_FINITE_AMOUNT'],
      [95000, Infinity, 'CODEC_ERR_NON_FINITE_AMOUNT'],
      [95000, -0.001, 'CODEC_ERR_NEGATIVE_AMOUNT'],
    ];
    for (const [p, a, code] of cases) {
      for (const single of [true, false]) {
        const batch = new QuoteBatch();
        const e = batch.add(0);
        batch.setSide(e, BID, Float64Array.of(94000, 94001), Float64Array.of(1, 1), 2);
        if (single) batch.setSingle(e, ASK, p, a);
        else batch.setSide(e, ASK, Float64Array.of(96000, p), Float64Array.of(1, a), 2);
        let err: unknown;
        try {
          enc.encode(buf, 14, 1, batch);
        } catch (x) {
          err = x;
        }
        expect(err).toBeInstanceOf(CodecError);
        expect(err).toBeInstanceOf(QuoterError);
        expect((err as CodecError).code).toBe(code);
        expect(buf.every((x) => x === 0xee)).toBe(true);
      }
    }
    // -0 is zero, not negative.
    const batch = new QuoteBatch();
    batch.setSingle(batch.add(0), BID, -0, -0);
    const n = enc.encode(buf, 0, 1, batch);
    expect(JSON.parse(buf.toString('utf8', 0, n)).params.quotes[0].b).toEqual({ p: 0, a: 0 });
  });

  it('refuses a bad id, an unknown instrument, a too-small buffer, bad options, an 11th level, a 101st quote', () => {
    const enc = new QuoteEncoder([{ name: 'X', tickSize: 1, volumeTickSize: 1 }]);
    const batch = new QuoteBatch();
    batch.setSingle(batch.add(0), BID, 1, 1);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as CodecError).code;
      }
      return 'none';
    };
    expect(code(() => enc.encode(Buffer.alloc(1024), 0, -1, batch))).toBe('CODEC_ERR_BAD_ID');
    expect(code(() => enc.encode(Buffer.alloc(1024), 0, 1.5, batch))).toBe('CODEC_ERR_BAD_ID');
    expect(code(() => enc.encode(Buffer.alloc(1024), 0, 2 ** 53, batch))).toBe('CODEC_ERR_BAD_ID');
    expect(code(() => enc.encode(Buffer.alloc(60), 0, 1, batch))).toBe('CODEC_ERR_BUFFER_TOO_SMALL');
    expect(code(() => enc.encodeCancel(Buffer.alloc(20), 0, 1))).toBe('CODEC_ERR_BUFFER_TOO_SMALL');
    batch.instrument[0] = 7;
    expect(code(() => enc.encode(Buffer.alloc(1024), 0, 1, batch))).toBe('CODEC_ERR_UNKNOWN_INSTRUMENT');
    expect(code(() => new EncodedMassQuoteOptions({ rejectPostOnly: true }))).toBe('CODEC_ERR_BAD_OPTIONS');
    expect(code(() => new EncodedMassQuoteOptions({ stpLevel: 'nope' as never }))).toBe('CODEC_ERR_BAD_OPTIONS');
    expect(code(() => batch.setSide(0, BID, new Float64Array(11), new Float64Array(11), 11))).toBe('CODEC_ERR_TOO_MANY_LEVELS');
    expect(code(() => new QuoteEncoder([{ name: 'X', tickSize: 0, volumeTickSize: 1 }]))).toBe('CODEC_ERR_BAD_INSTRUMENT');
    const full = new QuoteBatch();
    for (let k = 0; k < 100; k++) full.add(0);
    expect(code(() => full.add(0))).toBe('CODEC_ERR_TOO_MANY_QUOTES');
  });

  it('writes cancel_mass_quote for every product or one (escaped)', () => {
    const enc = new QuoteEncoder();
    const buf = Buffer.alloc(256);
    let n = enc.encodeCancel(buf, FRAME_HEADER_ROOM, 77);
    expect(buf.toString('utf8', FRAME_HEADER_ROOM, FRAME_HEADER_ROOM + n)).toBe('{"method":"private/cancel_mass_quote","id":77,"params":{}}');
    expect(validateRequest('private/cancel_mass_quote', {})).toEqual([]);
    n = enc.encodeCancel(buf, 0, 78, 'FBTC"USD\u00e9\n');
    expect(JSON.parse(buf.toString('utf8', 0, n))).toEqual({ method: 'private/cancel_mass_quote', id: 78, params: { product: 'FBTC"USD\u00e9\n' } });
  });

  it('allocates nothing per encode in steady state (0 GCs over 500k requests)', async () => {
    const instruments = Array.from({ length: 10 }, (_, i) => ({ name: `BTC-${i}-PERPETUAL`, tickSize: 0.5, volumeTickSize: 0.001 }));
    const enc = new QuoteEncoder(instruments, { label: 'mm "bot"', postOnly: true });
    const batch = new QuoteBatch();
    const p = Float64Array.of(95000, 94999.5, 94998);
    const a = Float64Array.of(0.1, 0.2, 12345.678);
    const buf = Buffer.alloc(64 * 1024);
    // The harness keeps its state in locals: a double in a closure slot would be boxed on every
    // write and show up as the encoder's allocation. Ids stay below 2^31 (Smis): a larger id is
    // boxed by V8 at the call boundary, before the encoder runs.
    const run = (k: number): number => {
      let sum = 0;
      for (let r = 0; r < k; r++) {
        batch.clear();
        const n = 1 + (r % 3);
        for (let i = 0; i < n; i++) {
          const e = batch.add(i);
          p[0] = 95000 + (r & 7) * 0.5;
          batch.setSide(e, BID, p, a, 3);
          batch.setSingle(e, ASK, 95000.5 + r * 0.5, 0.001 * (r & 15));
        }
        sum += enc.encode(buf, FRAME_HEADER_ROOM, r + 1_000_000_000, batch);
        if ((r & 1023) === 0) sum += enc.encodeCancel(buf, FRAME_HEADER_ROOM, r);
      }
      return sum;
    };
    run(50_000);
    // A young-generation GC comes after at most a few MB of allocation: 500k requests that each
    // allocated even one 16-byte object would trigger several.
    let sum = 0;
    expect(await gcsDuring(() => (sum = run(500_000)))).toBe(0);
    expect(sum).toBeGreaterThan(0);
  });
});

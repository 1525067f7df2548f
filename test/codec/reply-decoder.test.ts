import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadNativeCodec } from '../../src/codec/native.js';
import * as R from '../../src/codec/reply-decoder.js';
import { RingTickDecoder } from '../../src/codec/tick-decoder.js';
import { TickerRing } from '../../src/rings/ticker-ring.js';
import { applyDamage, damageArb, replyArb } from '../helpers/reply-arb.js';
import { replyOracle } from '../helpers/reply-oracle.js';

// `npm install` builds the addon on this machine kind; its absence here is a regression, not a skip.
const native = loadNativeCodec();

describe('native reply decoder', () => {
  it('is built, and its slots and kinds are the ones in reply-decoder.ts', () => {
    expect(native).not.toBeNull();
    for (const [k, v] of Object.entries(native!.replyLayout())) expect(v, k).toBe((R as unknown as Record<string, number>)[k]);
    expect(() => native!.bindReply(new Float64Array(2))).toThrow(TypeError);
    // The addon's refusal is N-API's TypeError; the JS decoder's carries a code like every error in src/.
    expect(() => R.bindReply(new Float64Array(2))).toThrow(expect.objectContaining({ code: 'CODEC_ERR_BAD_ARGUMENT' }));
  });
});

for (const kind of ['js', 'native'] as const)
  describe(`reply decoder (${kind})`, () => {
    const out = new Float64Array(R.REPLY_FIELDS);
    const bind = (o: Float64Array) => (kind === 'native' ? native!.bindReply(o) : R.bindReply(o));
    const decode = bind(out);
    /** The message inside other bytes (the decoder must stay in [start, end)), as a Buffer. */
    const feed = (text: string, pad = '}"]9'): number => {
      const buf = Buffer.from(`${pad}${text}${pad}`, 'utf8');
      return decode(buf, pad.length, buf.length - pad.length);
    };
    const expectOracle = (text: string) => {
      const want = replyOracle(Buffer.from(text, 'utf8'));
      out.fill(7);
      const got = feed(text);
      if (want === null) {
        expect(got, text).toBeLessThan(0);
        expect(Array.from(out), text).toEqual([7, 7, 7, 7]); // untouched on error
      } else {
        expect(got, text).toBe(want.kind);
        expect(Array.from(out), text).toEqual(want.fields);
      }
      return got;
    };

    it('reads the compact replies the venue sends', () => {
      expect(expectOracle('{"id":5,"result":{"n_success":2,"n_fail":0,"errors":[]}}')).toBe(R.REPLY_MASS_QUOTE);
      expect(Array.from(out)).toEqual([5, 2, 0, 0]);
      expect(expectOracle('{"id":6,"result":{"n_success":1,"n_fail":1,"errors":[{"code":15,"message":"x ] }","side":"bid"}]}}')).toBe(R.REPLY_MASS_QUOTE);
      expect(Array.from(out)).toEqual([6, 1, 1, 1]);
      expect(expectOracle('{"id":7,"error":{"code":4,"message":"throttle"}}')).toBe(R.REPLY_ERROR);
      expect(out[R.R_ID]).toBe(7);
      expect(expectOracle('{"id":8,"result":null}')).toBe(R.REPLY_RESULT);
      expect(expectOracle('{"id":9,"result":{"n_cancelled":3}}')).toBe(R.REPLY_RESULT);
      expect(expectOracle('{"id":9007199254740991,"result":"pong"}')).toBe(R.REPLY_RESULT);
      expect(out[R.R_ID]).toBe(2 ** 53 - 1);
    });

    it('agrees with JSON.parse: any key order, whitespace, extra fields, exponents, escapes', () => {
      for (const t of [
        '{"result":{"errors":[],"n_fail":0,"n_success":2},"id":5}',
        ' {\n "id" : 5 ,\t"result" : { "n_success" : 2 , "n_fail" : 0 , "errors" : [ ] } }\r\n',
        '{"jsonrpc":"2.0","id":5,"usIn":1,"result":{"x":{"n_fail":9},"n_success":2e0,"n_fail":0.0e5,"errors":[[],{},"]"]},"usOut":2}',
        '{"id":5.0e0,"result":{"n_success":-0,"n_fail":1E-400}}',
        '{"id":5,"result":{"n_success":2}}',
        '{"id":5,"result":{"errors":[1]}}',
        '{"\\u0069d":5,"r\\u0065sult":{"n_f\\u0061il":3,"\\u0065rrors":[1,2]}}',
        '{"id":5,"result":{"n_success":1},"result":{"n_fail":1}}',
        '{"id":5,"error":null,"result":{"n_success":1}}',
        '{"id":5,"error":"x"}',
        '{"id":5,"error":{"code":1},"result":{"n_success":1}}',
        '{"id":123456789012345678,"result":0}',
        '{"id":1.7976931348623157e308,"result":0}',
        '{"id":0.1,"result":0}',
      ])
        expect(expectOracle(t), t).toBeGreaterThan(0);
    });

    it('refuses what JSON.parse refuses or what is not a reply, with a negative code', () => {
      for (const t of [
        '',
        ' ',
        'null',
        '[]',
        '{}',
        '{"id":5}',
        '{"result":{"n_fail":0}}',
        '{"id":null,"error":{"code":1}}',
        '{"id":"5","result":0}',
        '{"id":1e999,"result":0}',
        '{"id":5,"result":{"n_fail":"0"}}',
        '{"id":5,"result":{"n_fail":null}}',
        '{"id":5,"result":{"n_fail":1e400}}',
        '{"id":5,"result":{"errors":{}}}',
        '{"id":05,"result":0}',
        '{"id":000000000005,"result":{"n_success":2,"n_fail":0,"errors":[]}}',
        '{"id":5.,"result":0}',
        '{"id":5,"result":{"n_success":2,"n_fail":0,"errors":[]}}x',
        '{"id":5,"result":{"n_success":2,"n_fail":0,"errors":[]}',
        '{"id":5,"result":{"n_success":2,"n_fail":0,"errors":[,]}}',
        '{"id":5,"result":{"n_success":2,"n_fail":0,"errors":[1,]}}',
        '{"id":5,"result":{"n_success":2,,"n_fail":0}}',
        '{"id":5,"result":"a\u0001b"}',
        '{"id":5,"result":"\\x"}',
        '{"id":5 "result":0}',
        '{id:5,"result":0}',
      ])
        expect(expectOracle(t), t).toBeLessThan(0);
    });

    it('agrees with JSON.parse on random replies', () => {
      fc.assert(fc.property(replyArb, (t) => void expectOracle(t)), { numRuns: 5000 });
    });

    it('refuses every truncation, even when the rest of the message follows in the buffer', () => {
      const text = '{"id":9007199254740991,"result":{"n_success":2,"n_fail":0,"errors":[{"code":1,"message":"a\\"b"}]}}';
      const buf = Buffer.from(text);
      for (let cut = 0; cut < buf.length; cut++) expect(decode(buf, 0, cut), text.slice(0, cut)).toBeLessThan(0);
      for (let from = 1; from < buf.length; from++) expect(decode(buf, from, buf.length)).toBeLessThan(0);
      expect(decode(buf, 0, buf.length)).toBe(R.REPLY_MASS_QUOTE);
    });

    it('never throws on damaged replies or garbage; malformed ones are refused', () => {
      fc.assert(
        fc.property(replyArb, damageArb, (t, ds) => void expectOracle(applyDamage(t, ds))),
        { numRuns: 3000 },
      );
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
          const buf = Buffer.concat([Buffer.from('{"id":5,"result":{"n_success":2,'), Buffer.from(bytes)]);
          const r = decode(buf, 0, buf.length);
          const want = replyOracle(buf);
          if (want === null) expect(r).toBeLessThan(0);
          else expect(r).toBe(want.kind);
        }),
        { numRuns: 5000 },
      );
    });

    it('reports bad arguments as -1 and oversize input as -2', () => {
      const buf = Buffer.from('{"id":5,"result":0}');
      expect(decode(buf, -1, 3)).toBe(R.REPLY_BAD_ARGUMENTS);
      expect(decode(buf, 3, 2)).toBe(R.REPLY_BAD_ARGUMENTS);
      expect(decode(buf, 0, buf.length + 1)).toBe(R.REPLY_BAD_ARGUMENTS);
      expect(decode(new Uint16Array(4) as unknown as Uint8Array, 0, 2)).toBe(kind === 'native' ? R.REPLY_BAD_ARGUMENTS : R.REPLY_NOT_JSON);
      const big = Buffer.alloc((1 << 20) + 1, 0x20);
      expect(decode(big, 0, big.length)).toBe(R.REPLY_TOO_LARGE);
    });

    it('through RingTickDecoder.decodeReply, and replyIsClean / replyIsError on top of it', () => {
      const dec = new RingTickDecoder(['BTC-PERPETUAL'], [TickerRing.create()], kind === 'native' ? native : null);
      expect(dec.kind).toBe(kind);
      const o = new Float64Array(R.REPLY_FIELDS);
      const b = (t: string) => [Buffer.from(t), 0, Buffer.byteLength(t)] as const;
      expect(dec.decodeReply(...b('{"id":5,"result":{"n_success":2,"n_fail":0,"errors":[]}}'), o)).toBe(R.REPLY_MASS_QUOTE);
      expect(Array.from(o)).toEqual([5, 2, 0, 0]);
      expect(dec.replyIsClean(...b('{"id":5,"result":{"n_success":2,"n_fail":0,"errors":[]}}'))).toBe(true);
      expect(dec.replyIsClean(...b('{"id":5,"result":{"n_success":2,"n_fail":0}}'))).toBe(false);
      expect(dec.replyIsError(...b('{"id":5,"error":{"code":4}}'))).toBe(true);
      expect(dec.decodeReply(...b('{"id":6,"error":{"code":4}}'), o)).toBe(R.REPLY_ERROR);
      expect(o[R.R_ID]).toBe(6);
    });
  });

describe('numbers simdjson alone refuses', () => {
  it('an exponent of more digits than simdjson reads (found by the reply fuzz, seed -1872245117): both decoders read it as JSON.parse does', () => {
    const native = loadNativeCodec()!;
    for (const text of ['{"id":-0.0e00005090258314808875,"result":null}', '{"id":7e-000000000000000000001,"result":null}']) {
      const b = Buffer.from(text);
      const want = replyOracle(b)!;
      expect(want).not.toBeNull();
      for (const bind of [R.bindReply, native.bindReply.bind(native)]) {
        const out = new Float64Array(R.REPLY_FIELDS);
        expect(bind(out)(b, 0, b.length), text).toBe(want.kind);
        expect(Array.from(out), text).toEqual(want.fields);
      }
    }
    // Not JSON numbers (strtod would take them): still refused.
    for (const text of ['{"id":1.e5,"result":null}', '{"id":01,"result":null}', '{"id":1e999,"result":null}']) {
      const b = Buffer.from(text);
      const out = new Float64Array(R.REPLY_FIELDS);
      expect(native.bindReply(out)(b, 0, b.length), text).toBeLessThan(0);
    }
  });
});

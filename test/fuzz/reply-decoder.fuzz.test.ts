/**
 * Fuzzing both reply decoders (simdjson addon and JavaScript) with replies the venue could send and
 * with the same replies damaged, each case through both: JSON.parse is the oracle.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadNativeCodec } from '../../src/codec/native.js';
import { bindReply, REPLY_FIELDS } from '../../src/codec/reply-decoder.js';
import { applyDamage, damageArb, replyArb } from '../helpers/reply-arb.js';
import { replyOracle } from '../helpers/reply-oracle.js';
import { heapAfterGc, runs, timeoutFor } from './budget.js';

const native = loadNativeCodec();
const CI = 100_000;

describe('fuzz: reply decoder (js and native)', () => {
  it(
    `valid and damaged replies (${runs(CI)} cases, each through both): never throws; both answer what JSON.parse reads, or refuse`,
    () => {
      expect(native).not.toBeNull();
      const before = heapAfterGc();
      const jsOut = new Float64Array(REPLY_FIELDS);
      const nativeOut = new Float64Array(REPLY_FIELDS);
      const js = bindReply(jsOut);
      const nat = native!.bindReply(nativeOut);
      let accepted = 0;
      let refused = 0;
      fc.assert(
        fc.property(replyArb, fc.option(damageArb, { freq: 2 }), fc.nat(4), (clean, ds, pad) => {
          const text = ds === null ? clean : applyDamage(clean, ds);
          // Bytes around the message that would complete a truncated one: the decoders must stay in [start, end).
          const buf = Buffer.from(`${'{'.repeat(pad)}${text}${'}]"'.repeat(pad)}`, 'utf8');
          const start = pad;
          const end = buf.length - 3 * pad;
          const want = replyOracle(buf.subarray(start, end));
          jsOut.fill(7);
          nativeOut.fill(7);
          const a = js(buf, start, end);
          const b = nat(buf, start, end);
          if (want === null) {
            refused++;
            expect(a, text).toBeLessThan(0);
            expect(b, text).toBeLessThan(0);
            expect(Array.from(jsOut)).toEqual([7, 7, 7, 7]);
            expect(Array.from(nativeOut)).toEqual([7, 7, 7, 7]);
          } else {
            accepted++;
            expect(a, text).toBe(want.kind);
            expect(b, text).toBe(want.kind);
            expect(Array.from(jsOut), text).toEqual(want.fields);
            expect(Array.from(nativeOut), text).toEqual(want.fields);
          }
        }),
        { numRuns: runs(CI) },
      );
      expect(accepted).toBeGreaterThan(runs(CI) / 4);
      expect(refused).toBeGreaterThan(runs(CI) / 10);
      expect(heapAfterGc() - before).toBeLessThan(32 * 1024 * 1024);
    },
    timeoutFor(CI, 0.2),
  );
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gcsDuring } from '../helpers/gc-count.js';
import { validateRequest } from '../helpers/spec.js';
import type { InstrumentInfo } from '../../src/engine/bootstrap.js';
import { parseEngineConfig } from '../../src/engine/config.js';
import { decimalsOf, writeFixed } from '../../src/codec/json-number.js';
import { QuoteBatch } from '../../src/codec/quote-batch.js';
import { QuoteEncoder } from '../../src/codec/mass-quote-encoder.js';

const cfg = (quoting: object) =>
  parseEngineConfig({ url: 'ws://127.0.0.1:1/ws/api/v2', credentials: { keyId: 'k', privateKeyPem: 'x' }, instruments: ['X'], quoting });

const inst = (name: string, tickSize: number, volumeTickSize: number): InstrumentInfo => ({ name, product: 'FBTCUSD', tickSize, volumeTickSize, minOrderAmount: volumeTickSize, type: 'perpetual' });

describe('writeFixed', () => {
  it('writes values on a d-decimal grid exactly, without exponent or trailing zeros', () => {
    // What reaches the encoder is always on the tick/lot grid: k × 10^-d, possibly off by the
    // float error of k × step. The text must parse back to exactly k / 10^d.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: -(2 ** 45), max: 2 ** 45 }), fc.boolean(), (d, k, viaStep) => {
        const v = viaStep ? k * 0.1 ** d : k / 10 ** d;
        const buf = Buffer.alloc(64);
        const n = writeFixed(buf, 0, v, d);
        const text = buf.toString('latin1', 0, n);
        expect(text).toMatch(/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/);
        expect(Number(text)).toBe(k / 10 ** d === 0 ? 0 : k / 10 ** d);
      }),
      { numRuns: 100_000 },
    );
  });

  it('handles zero, negatives, and huge values on the slow path', () => {
    const w = (v: number, d: number) => {
      const buf = Buffer.alloc(64);
      return buf.toString('latin1', 0, writeFixed(buf, 0, v, d));
    };
    expect(w(0, 3)).toBe('0');
    expect(w(-0.0001, 3)).toBe('0');
    expect(w(95000.5, 1)).toBe('95000.5');
    expect(w(0.001, 3)).toBe('0.001');
    expect(w(-12.5, 2)).toBe('-12.5');
    expect(w(1e20, 2)).toBe('100000000000000000000');
    expect(decimalsOf(0.001)).toBe(3);
    expect(decimalsOf(5)).toBe(0);
    expect(decimalsOf(0.5)).toBe(1);
  });
});

describe('QuoteEncoder', () => {
  const instruments = [inst('BTC-PERPETUAL', 1, 0.001), inst('BTC-10SEP21-48000-C', 5, 0.01), inst('we"ird\\name', 0.5, 0.1)];

  it('writes spec-valid mass quotes that parse to the intended params', () => {
    const enc = new QuoteEncoder(instruments, cfg({ label: 'mm "bot"\n', postOnly: true, rejectPostOnly: true }).quoting);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            i: fc.integer({ min: 0, max: 2 }),
            bids: fc.option(fc.array(fc.tuple(fc.integer({ min: 1, max: 2e6 }), fc.integer({ min: 1, max: 1e5 })), { maxLength: 10 })),
            asks: fc.option(fc.array(fc.tuple(fc.integer({ min: 1, max: 2e6 }), fc.integer({ min: 1, max: 1e5 })), { maxLength: 10 })),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 1, max: 2 ** 40 }),
        (quotes, id) => {
          const batch = new QuoteBatch();
          const expected: Array<Record<string, unknown>> = [];
          for (const q of quotes) {
            const I = instruments[q.i]!;
            const e = batch.add(q.i);
            const want: Record<string, unknown> = { i: I.name };
            for (const [side, levels, key] of [[0, q.bids, 'b'], [1, q.asks, 'a']] as const) {
              if (levels === null) continue;
              const p = Float64Array.from(levels.map(([t]) => t * I.tickSize));
              const a = Float64Array.from(levels.map(([, l]) => l * I.volumeTickSize));
              batch.setSide(e, side, p, a, levels.length);
              want[key] = levels.map(([t, l]) => [Number((t * I.tickSize).toFixed(decimalsOf(I.tickSize))), Number((l * I.volumeTickSize).toFixed(decimalsOf(I.volumeTickSize)))]);
            }
            expected.push(want);
          }
          const buf = Buffer.alloc(64 * 1024);
          const n = enc.encode(buf, 14, id, batch);
          const msg = JSON.parse(buf.toString('utf8', 14, 14 + n));
          expect(msg).toEqual({ id, method: 'private/mass_quote', params: { quotes: expected, label: 'mm "bot"\n', post_only: true, reject_post_only: true } });
          // Schema validation is slow (ajv): on a sample of the cases.
          if ((id & 63) === 0) expect(validateRequest('private/mass_quote', msg.params)).toEqual([]);
        },
      ),
      { numRuns: 100_000 },
    );
  });

  it('writes cancel_mass_quote', () => {
    const enc = new QuoteEncoder(instruments, cfg({}).quoting);
    const buf = Buffer.alloc(256);
    const n = enc.encodeCancel(buf, 0, 77);
    const msg = JSON.parse(buf.toString('utf8', 0, n));
    expect(msg).toEqual({ id: 77, method: 'private/cancel_mass_quote', params: {} });
    expect(validateRequest('private/cancel_mass_quote', msg.params)).toEqual([]);
  });

  it('encodes without allocating (no GC over 200k encodes)', async () => {
    const enc = new QuoteEncoder(instruments, cfg({}).quoting);
    const batch = new QuoteBatch();
    const p = Float64Array.of(95000, 94999, 94998);
    const a = Float64Array.of(0.1, 0.2, 0.3);
    const buf = Buffer.alloc(64 * 1024);
    const run = (k: number) => {
      for (let r = 0; r < k; r++) {
        batch.clear();
        const e = batch.add(0);
        p[0] = 95000 + (r & 7);
        batch.setSide(e, 0, p, a, 3);
        batch.setSide(e, 1, p, a, 3);
        enc.encode(buf, 14, r + 1, batch);
      }
    };
    run(20_000);
    expect(await gcsDuring(() => run(200_000))).toBe(0);
  });
});

import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadNativeCodec } from '../../src/codec/native.js';
import { isUtf8Range } from '../../src/ws/utf8.js';

// RFC 3629's edge cases: overlongs, surrogates, above U+10FFFF, truncated sequences.
const CASES: Array<[string, number[], boolean]> = [
  ['ASCII', [0x7b, 0x7d], true],
  ['2-byte é', [0xc3, 0xa9], true],
  ['overlong /', [0xc0, 0xaf], false],
  ['3-byte overlong', [0xe0, 0x80, 0xaf], false],
  ['surrogate U+D800', [0xed, 0xa0, 0x80], false],
  ['U+10FFFF', [0xf4, 0x8f, 0xbf, 0xbf], true],
  ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], false],
  ['truncated', [0xe2, 0x82], false],
  ['lone continuation', [0x80], false],
];

describe('isUtf8Range: the frame reader\'s UTF-8 check (RFC 6455 §8.1)', () => {
  it('the native addon is what runs here (the fallback allocates a view per message)', () => {
    expect(loadNativeCodec()?.isUtf8Range).toBeTypeOf('function');
  });

  it.each(CASES)('%s inside a larger buffer, judged on its range only', (_name, bytes, valid) => {
    // Invalid bytes on both sides: only the range may be read.
    const b = Buffer.from([0xff, 0xfe, ...bytes, 0xff]);
    expect(isUtf8Range(b, 2, 2 + bytes.length)).toBe(valid);
  });

  it('agrees with buffer.isUtf8 on arbitrary bytes and ranges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, c) => {
        const s = bytes.length === 0 ? 0 : a % bytes.length;
        const e = s + (bytes.length - s === 0 ? 0 : c % (bytes.length - s + 1));
        expect(isUtf8Range(bytes, s, e)).toBe(isUtf8(bytes.subarray(s, e)));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with buffer.isUtf8 on well-formed text of any code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const b = Buffer.from(text, 'utf8');
        expect(isUtf8Range(b, 0, b.length)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

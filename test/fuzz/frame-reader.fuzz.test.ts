/**
 * Fuzzing the WebSocket frame reader with what a hostile or broken server could send: valid
 * streams (fragmented, control frames in between, any split), then the same streams with bytes
 * flipped, inserted and deleted, lying lengths, reserved bits, masks, and pure noise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameReader, type FrameSink } from '../../src/ws/frame-reader.js';
import { heapAfterGc, runs, timeoutFor } from './budget.js';

const MAX = 2048;

interface Frame {
  op: number;
  fin: boolean;
  payload: Uint8Array;
  rsv: number;
  mask: boolean;
  /** Header length form: 0 minimal, 1 force 16-bit, 2 force 64-bit (non-minimal: still legal per frame, tests the parser). */
  form: number;
}

function encode(f: Frame): Buffer {
  const n = f.payload.length;
  const form = f.form === 2 || n > 0xffff ? 2 : f.form === 1 || n > 125 ? 1 : 0;
  const head = Buffer.alloc(2 + (form === 1 ? 2 : form === 2 ? 8 : 0) + (f.mask ? 4 : 0));
  head[0] = (f.fin ? 0x80 : 0) | (f.rsv << 4) | f.op;
  head[1] = (f.mask ? 0x80 : 0) | (form === 0 ? n : form === 1 ? 126 : 127);
  if (form === 1) head.writeUInt16BE(n, 2);
  if (form === 2) head.writeBigUInt64BE(BigInt(n), 2);
  return Buffer.concat([head, Buffer.from(f.payload)]);
}

/** A stream a correct server could send: messages (maybe fragmented) with pings between. */
const validStream = fc
  .array(
    fc.record({
      text: fc.boolean(),
      body: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => new Uint8Array(Buffer.from(s))), fc.uint8Array({ maxLength: 300 })),
      pieces: fc.integer({ min: 1, max: 4 }),
      ping: fc.option(fc.uint8Array({ maxLength: 125 })),
      form: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 6 },
  )
  .map((msgs) => {
    const frames: Frame[] = [];
    for (const m of msgs) {
      const body = m.text ? m.body : m.body;
      const n = Math.min(m.pieces, Math.max(1, body.length));
      const step = Math.ceil(body.length / n) || 1;
      for (let k = 0; k < n; k++) {
        frames.push({ op: k === 0 ? (m.text ? 1 : 2) : 0, fin: k === n - 1, payload: body.subarray(k * step, (k + 1) * step), rsv: 0, mask: false, form: m.form });
        if (k === 0 && m.ping !== null) frames.push({ op: 9, fin: true, payload: m.ping, rsv: 0, mask: false, form: 0 });
      }
    }
    return Buffer.concat(frames.map(encode));
  });

/** Byte-level damage: flips, insertions, deletions at random places. */
const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom('flip', 'set', 'insert', 'delete'), byte: fc.nat(255) });

function mutate(stream: Buffer, ms: Array<{ at: number; kind: string; byte: number }>): Buffer {
  let b = Buffer.from(stream);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'flip' && b.length > 0) b[at] = b[at]! ^ (1 << (m.byte & 7));
    else if (m.kind === 'set' && b.length > 0) b[at] = m.byte;
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from([m.byte]), b.subarray(at)]);
    else if (m.kind === 'delete' && b.length > 0) b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
  }
  return b;
}

/** Frames a server must never send, or sends only in ways that must be refused. */
const hostileFrame = fc
  .record({
    op: fc.nat(15),
    fin: fc.boolean(),
    payload: fc.uint8Array({ maxLength: 200 }),
    rsv: fc.nat(7),
    mask: fc.boolean(),
    form: fc.nat(2),
  })
  .map(encode);

/** A lying 64-bit length: up to 2^63 − 1 announced, a few bytes sent. */
const lyingLength = fc.tuple(fc.nat(15), fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }), fc.uint8Array({ maxLength: 20 })).map(([op, len, tail]) => {
  const h = Buffer.alloc(10);
  h[0] = 0x80 | op;
  h[1] = 127;
  h.writeBigUInt64BE(len, 2);
  return Buffer.concat([h, Buffer.from(tail)]);
});

interface Record {
  messages: number;
  violations: number;
  afterViolation: number;
  oversize: number;
  badUtf8: number;
}

function recordingSink(): { sink: FrameSink; rec: Record } {
  const rec: Record = { messages: 0, violations: 0, afterViolation: 0, oversize: 0, badUtf8: 0 };
  const td = new TextDecoder('utf-8', { fatal: true });
  const seen = () => {
    if (rec.violations > 0) rec.afterViolation++;
  };
  const sink: FrameSink = {
    onMessage(d, s, e, binary) {
      seen();
      rec.messages++;
      if (e - s > MAX) rec.oversize++;
      if (!binary) {
        try {
          td.decode(d.subarray(s, e));
        } catch {
          rec.badUtf8++;
        }
      }
    },
    onPing: seen,
    onPong: seen,
    onCloseFrame: seen,
    onViolation() {
      seen();
      rec.violations++;
    },
  };
  return { sink, rec };
}

function feed(reader: FrameReader, stream: Buffer, splits: number[]): void {
  const points = [...new Set(splits.map((x) => x % (stream.length + 1)))].sort((a, b) => a - b);
  let prev = 0;
  for (const pt of [...points, stream.length]) {
    reader.push(stream.subarray(prev, pt));
    prev = pt;
  }
}

const CI = 35_000;

describe('fuzz: WebSocket frame reader', () => {
  it(
    `damaged, hostile and noisy streams (${runs(CI) * 3} cases): never throws, stops at the first violation, delivers only whole, bounded, valid messages`,
    () => {
      const before = heapAfterGc();
      const input = fc.oneof(
        fc.tuple(validStream, fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([s, ms]) => mutate(s, ms)),
        fc.array(hostileFrame, { minLength: 1, maxLength: 4 }).map((fs) => Buffer.concat(fs)),
        lyingLength,
        fc.uint8Array({ maxLength: 400 }).map((u) => Buffer.from(u)),
      );
      let cases = 0;
      let violations = 0;
      fc.assert(
        fc.property(input, fc.array(fc.nat(), { maxLength: 12 }), (stream, splits) => {
          cases++;
          const { sink, rec } = recordingSink();
          const reader = new FrameReader(sink, MAX);
          feed(reader, stream, splits);
          violations += rec.violations;
          expect(rec.violations).toBeLessThanOrEqual(1);
          expect(rec.afterViolation).toBe(0);
          expect(rec.oversize).toBe(0);
          expect(rec.badUtf8).toBe(0);
        }),
        { numRuns: runs(CI) * 3 },
      );
      expect(cases).toBe(runs(CI) * 3);
      expect(violations).toBeGreaterThan(cases / 10); // the inputs really were hostile
      // Nothing kept from 10^5 readers: the heap is back where it was (loose bound, no timing).
      expect(heapAfterGc() - before).toBeLessThan(32 * 1024 * 1024);
    },
    timeoutFor(CI * 3, 0.05),
  );

  it(
    `valid streams split anywhere (${runs(CI)} cases): every message delivered byte for byte, in order`,
    () => {
      fc.assert(
        fc.property(validStream, fc.array(fc.nat(), { maxLength: 16 }), (stream, splits) => {
          const whole: string[] = [];
          const r1 = new FrameReader({ ...recordingSink().sink, onMessage: (d, s, e, b) => whole.push(`${b}:${d.toString('hex', s, e)}`), onViolation: (c, m) => whole.push(`violation ${c} ${m}`) }, 1 << 20);
          r1.push(stream);
          const split: string[] = [];
          const r2 = new FrameReader({ ...recordingSink().sink, onMessage: (d, s, e, b) => split.push(`${b}:${d.toString('hex', s, e)}`), onViolation: (c, m) => split.push(`violation ${c} ${m}`) }, 1 << 20);
          feed(r2, stream, splits);
          expect(split).toEqual(whole);
        }),
        { numRuns: runs(CI) },
      );
    },
    timeoutFor(CI, 0.1),
  );

  it('one reader fed noise for a long time keeps its memory bounded (it fails fast and holds nothing after)', () => {
    const before = heapAfterGc();
    const { sink, rec } = recordingSink();
    // A frame announcing MAX + 1 bytes: refused from its header alone (1009), nothing buffered.
    const reader = new FrameReader(sink, MAX);
    const h = Buffer.alloc(4);
    h[0] = 0x81;
    h[1] = 126;
    h.writeUInt16BE(MAX + 1, 2);
    reader.push(h);
    expect(rec.violations).toBe(1);
    for (let k = 0; k < 10_000; k++) reader.push(Buffer.alloc(4096, k & 0xff));
    expect(rec.afterViolation).toBe(0);
    expect(heapAfterGc() - before).toBeLessThan(8 * 1024 * 1024);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAME_OFFSET } from '../../src/rpc/channel-router.js';
import { PEEK_NOT_REPLY, PEEK_NULL_ID, peekChannelEnd, peekReplyId } from '../../src/rpc/peek.js';

const b = (s: string) => Buffer.from(s, 'utf8');

describe('peekReplyId', () => {
  it('reads the id of compact replies', () => {
    expect(peekReplyId(b('{"id":7,"result":null}'), 0, 22)).toBe(7);
    expect(peekReplyId(b('{"id":123456789012345}'), 0, 22)).toBe(123456789012345);
    const s = b('xx{"id":42,"error":{"code":4,"message":"throttle"}}yy');
    expect(peekReplyId(s, 2, s.length - 2)).toBe(42);
  });

  it('reports a null id and rejects everything else', () => {
    expect(peekReplyId(b('{"id":null,"error":{}}'), 0, 22)).toBe(PEEK_NULL_ID);
    for (const s of ['{"id": 7,"result":1}', '{"result":1,"id":7}', '{"id":7x}', '{"id":-1,"r":0}', '{"id":}', '{"id":1', '{"id":1234567890123456,"r":1}', '']) {
      expect(peekReplyId(b(s), 0, Buffer.byteLength(s))).toBe(PEEK_NOT_REPLY);
    }
  });

  it('agrees with JSON.parse on random compact replies and never reads outside [start, end)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.jsonValue(), fc.nat(8), (id, result, pad) => {
        const json = JSON.stringify({ id, result });
        // Padding with digits on both sides: a peek that strays outside the range would misread them.
        const buf = b('9'.repeat(pad) + json + '9'.repeat(pad));
        const got = peekReplyId(buf, pad, pad + Buffer.byteLength(json));
        if (String(id).length <= 15) expect(got).toBe((JSON.parse(json) as { id: number }).id);
        else expect(got).toBe(PEEK_NOT_REPLY);
      }),
      { numRuns: 2000 },
    );
  });

  it('truncated frames are never misread as complete ids', () => {
    const full = b('{"id":98765,"result":null}');
    for (let cut = 0; cut < 12; cut++) {
      expect(peekReplyId(full, 0, cut)).toBe(PEEK_NOT_REPLY);
    }
  });
});

describe('peekChannelEnd', () => {
  it('finds the channel name of compact notifications', () => {
    const s = b('{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{}}');
    const end = peekChannelEnd(s, 0, s.length);
    expect(s.toString('utf8', CHANNEL_NAME_OFFSET, end)).toBe('ticker.BTC-PERPETUAL.raw');
  });

  it('declines escapes, other key orders and truncation', () => {
    for (const s of ['{"channel_name":"a\\"b","notification":1}', '{"notification":1,"channel_name":"x"}', '{"channel_name":"tick', '{"channel_name": "x"}']) {
      expect(peekChannelEnd(b(s), 0, Buffer.byteLength(s))).toBe(-1);
    }
  });

  it('agrees with JSON.parse on random channel names', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (name) => {
        const json = JSON.stringify({ channel_name: name, notification: null });
        const buf = b(json);
        const end = peekChannelEnd(buf, 0, buf.length);
        if (end >= 0) expect(buf.toString('utf8', CHANNEL_NAME_OFFSET, end)).toBe(name);
        else expect(json.slice(CHANNEL_NAME_OFFSET)).toContain('\\');
      }),
      { numRuns: 2000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ordersFrameMatters } from '../../src/engine/orders-filter.js';

const frame = (orders: object[]) => Buffer.from(JSON.stringify({ channel_name: 'session.orders', notification: orders }));
const m = (orders: object[]) => {
  const b = frame(orders);
  return ordersFrameMatters(b, 0, b.length);
};

describe('order frame filter', () => {
  it('skips frames of inserts and replacements only', () => {
    expect(m([{ order_id: 'a', change_reason: 'insert', fills: [] }])).toBe(false);
    expect(m([{ order_id: 'a', change_reason: 'insert', fills: [] }, { order_id: 'b', change_reason: 'cancel', delete_reason: 'replaced', fills: [] }])).toBe(false);
  });

  it('keeps frames with a fill or any other deletion', () => {
    expect(m([{ change_reason: 'fill', fills: [{ trade_id: 't', amount: 1 }] }])).toBe(true);
    for (const r of ['filled', 'mm_protection', 'session_end', 'immediate_cancel', 'client_bulk_cancel']) {
      expect(m([{ change_reason: 'insert', fills: [] }, { change_reason: 'cancel', delete_reason: 'replaced', fills: [] }, { change_reason: 'cancel', delete_reason: r, fills: [] }])).toBe(true);
    }
  });

  it('keeps frames whose fills or delete_reason it cannot read as "none" or "replaced" byte for byte', () => {
    const t = (text: string) => ordersFrameMatters(Buffer.from(text), 0, text.length);
    const head = '{"channel_name":"session.orders","notification":[';
    expect(t(`${head}{"fills":[],"delete_reason":"replaced"}]}`)).toBe(false);
    for (const o of ['{"fills": [{"trade_id":"t","amount":1}]}', '{"fills" :[{"trade_id":"t","amount":1}]}', '{"fills":["x"]}', '{"fills":{}}', '{"delete_reason": "filled"}', '{"delete_reason":null}', '{"fills":[],"delete_reason":"replaced_x"}']) {
      expect(t(`${head}{"fills":[]},${o}]}`), o).toBe(true);
    }
  });

  it('keeps frames that are not in the compact list shape, so that a malformed one is parsed and reported', () => {
    for (const text of ['{"channel_name":"session.orders","notification":"not a list"}', '{"channel_name":"session.orders","notification" : []}', '{"notification":{},"channel_name":"session.orders"}']) {
      const b = Buffer.from(text);
      expect(ordersFrameMatters(b, 0, b.length)).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { recordingSink, standaloneLoop } from '../helpers/quote-loop.js';

/**
 * The product limit inside one batch: every instrument of a product planned in the same mass
 * quote sees what the instruments planned before it add (the planner keeps per-product sums up
 * to date as it plans, rather than summing the product for each instrument).
 */
describe('product limit across one batch', () => {
  it('ten instruments of one product in one read: their bids and asks together stay within maxProductPosition', async () => {
    const names = Array.from({ length: 10 }, (_, k) => `P${k}-PERPETUAL`);
    const { loop, rpc } = await standaloneLoop(
      {
        pricing: { mode: 'inline', params: { spreadTicks: 4, size: 0.3 } },
        protection: { default: { tradeAmount: 10, quoteAmount: 10 } },
        risk: { maxPosition: 10, maxProductPosition: 1, maxQuoteAmount: 1, maxOpenExposure: 1000, staleMs: 3_600_000 },
      },
      names,
    );
    const { sink, frames } = recordingSink();
    loop.onSession(1e9, sink);
    loop.hot.readEnds = true; // one read, one batch
    loop.resume();
    for (const n of names) {
      const t = Buffer.from(`{"channel_name":"ticker.${n}.raw","notification":{"best_bid_price":995,"best_bid_amount":1,"best_ask_price":1005,"best_ask_amount":1,"mark_price":1000,"index":1000}}`);
      rpc.handleMessage(t, 0, t.length);
    }
    loop.hot.onReadEnd();
    expect(frames).toHaveLength(1);
    const quotes = JSON.parse(frames[0]!).params.quotes as Array<{ i: string; b?: Array<[number, number]>; a?: Array<[number, number]> }>;
    const side = (s: 'b' | 'a') => quotes.reduce((sum, q) => sum + (q[s] ?? []).reduce((x, [, amt]) => x + amt, 0), 0);
    // Without the running sums every instrument would bid 0.3 (3.0 in all).
    expect(side('b')).toBeLessThanOrEqual(1 + 1e-9);
    expect(side('a')).toBeLessThanOrEqual(1 + 1e-9);
    // …and the room is used: 0.3 + 0.3 + 0.3 + what is left.
    expect(side('b')).toBeGreaterThanOrEqual(0.9 - 1e-9);
    expect(quotes.filter((q) => (q.b ?? []).length > 0).length).toBeGreaterThanOrEqual(3);
    await loop.close();
  });
});

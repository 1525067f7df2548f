import { describe, expect, it } from 'vitest';
import { recordingSink, standaloneLoop } from '../helpers/quote-loop.js';

/**
 * Backpressure as the loop sees it: a sink whose `bufferedAmount` says Node still holds bytes
 * the kernel has not taken. On loopback the kernel's buffers (MBs) outgrow anything the
 * in-flight cap lets the engine write (see test/faults/trading.test.ts), so the state is set
 * here directly rather than provoked.
 */
describe('quote loop under backpressure', () => {
  it('holds every send while the socket is backpressured, then sends only the latest prices on drain', async () => {
    const { loop, rpc } = await standaloneLoop();
    const { sink, frames } = recordingSink();
    loop.onSession(1e9, sink);
    loop.resume();
    const tick = (mid: number) => Buffer.from(`{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"best_bid_price":${mid - 5},"best_bid_amount":1,"best_ask_price":${mid + 5},"best_ask_amount":1,"mark_price":${mid},"index":${mid}}}`);
    const feed = (mid: number) => {
      const t = tick(mid);
      rpc.handleMessage(t, 0, t.length);
    };
    feed(95_000);
    expect(frames).toHaveLength(1);
    sink.bufferedAmount = 100_000;
    for (let k = 1; k <= 50; k++) feed(95_000 + 10 * k);
    loop.housekeep(performance.now());
    expect(frames).toHaveLength(1); // nothing queued behind the backpressure
    expect(loop.snapshot('quoting', 0).backpressured).toBeGreaterThanOrEqual(50);
    sink.bufferedAmount = 0;
    loop.onDrain();
    expect(frames).toHaveLength(2);
    // One frame, priced from the last tick (mid 95 500 ± 2 ticks), none of the 49 in between.
    const q = JSON.parse(frames[1]!).params.quotes[0];
    expect(q).toEqual({ i: 'BTC-PERPETUAL', b: [[95_498, 0.01]], a: [[95_502, 0.01]] });
    await loop.close();
  });
});

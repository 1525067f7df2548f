import { describe, expect, it } from 'vitest';
import { gcsDuring } from '../helpers/gc-count.js';
import { standaloneLoop } from '../helpers/quote-loop.js';

/**
 * The hot path with what quoting options adds to it: the options pricer (its non-option fallback
 * here, the instrument being a perpetual) and the net delta/vega limits, whose checks read the
 * tick's greeks and every instrument's open share on each plan. Same measure as
 * hot-path-alloc.test.ts: nothing but the clock reads may allocate.
 */
describe('hot path allocation with net greek limits', () => {
  it('a requoting tick under net delta and vega limits allocates nothing but its clock reads', async () => {
    const { loop, rpc } = await standaloneLoop({
      pricing: { mode: 'inline', pricer: 'options', params: { spreadTicks: 4, size: 0.01 } },
      risk: { maxPosition: 10, maxProductPosition: 10, staleMs: 3_600_000, maxNetDelta: 100, maxNetVega: 1000 },
    });
    let sent = 0;
    loop.onSession(1e9, { frame: Buffer.alloc(64 * 1024), sendFrame: () => (sent++, 0), bufferedAmount: 0, rxAt: 0 });
    loop.resume();
    const tick = (mid: number) =>
      Buffer.from(`{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"best_bid_price":${mid - 5},"best_bid_amount":1.5,"best_ask_price":${mid + 5},"best_ask_amount":2,"mark_price":${mid}.25,"mark_timestamp":1700000000.5,"delta":1,"index":${mid},"collar_low":${mid - 9000},"collar_high":${mid + 9000}}}`);
    const ticks = [tick(95_000), tick(95_010)];
    const tail = Buffer.from(',"result":{"n_success":2,"n_fail":0,"errors":[]}}');
    const reply = Buffer.alloc(128);
    reply.write('{"id":', 0, 'latin1');
    const setId = (id: number): number => {
      const s = String(id);
      for (let k = 0; k < s.length; k++) reply[6 + k] = s.charCodeAt(k);
      return 6 + s.length + tail.copy(reply, 6 + s.length);
    };
    // Replies prebuilt for every id the measured run will use: the helper above allocates.
    const prebuilt: Array<[Buffer, number]> = [];
    const run = (n: number, from: number) => {
      let next = from;
      for (let k = 0; k < n; k++) {
        const t = ticks[k & 1]!;
        rpc.handleMessage(t, 0, t.length);
        while (next <= sent) {
          const [b, end] = prebuilt[next]!;
          rpc.handleMessage(b, 0, end);
          next++;
        }
      }
      return next;
    };
    for (let id = 0; id <= 130_000; id++) {
      const end = setId(id);
      prebuilt.push([Buffer.from(reply.subarray(0, end)), end]);
    }
    const next = run(20_000, 1);
    const before = sent;
    const gcs = await gcsDuring(() => run(100_000, next));
    expect(sent - before).toBe(100_000);
    console.log(`hot path with greek limits: ${gcs} young GC(s) over 100 000 requoting ticks`);
    expect(gcs).toBeLessThanOrEqual(2);
    await loop.close();
  });
});

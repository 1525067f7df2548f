import { describe, expect, it } from 'vitest';
import { DP_SIZE, DP_SPREAD_TICKS } from '../../src/pricing/default-pricer.js';
import { InlinePricer } from '../../src/pricing/inline-pricer.js';
import { OP_DELTA_LIMIT, OP_DELTA_SKEW, OP_LEVELS, OP_NET_DELTA, OP_NET_VEGA, OP_VEGA_SKEW, price } from '../../src/pricing/options-pricer.js';
import * as L from '../../src/rings/layout.js';
import { QUOTE_FIELDS } from '../../src/rings/quote-layout.js';
import { gcsDuring } from '../helpers/gc-count.js';
import { F, params, spec, tick } from './options-fixtures.js';

// Its own file: a fresh module instance, as in a pricing worker, not one whose type feedback the
// property tests have widened.
describe('options pricer, hot path', () => {
  it('allocates nothing pricing a chain and its perpetual inline', async () => {
    const specs = [spec('call', 90_000), spec('put', 100_000), spec(undefined)];
    const row = params({ [OP_LEVELS]: 3, [OP_DELTA_SKEW]: 10, [OP_NET_DELTA]: 0.3, [OP_NET_VEGA]: -120.5, [OP_VEGA_SKEW]: 0.001, [OP_DELTA_LIMIT]: 5 });
    row[DP_SPREAD_TICKS] = 2;
    row[DP_SIZE] = 0.5;
    const p = new InlinePricer({ instruments: specs, price, params: row });
    const out = new Float64Array(QUOTE_FIELDS);
    const t = tick();
    const loop = (n: number) => {
      let polled = 0;
      for (let k = 0; k < n; k++) {
        const i = k % 3;
        t[L.F_FORWARD] = F + (k % 1000) * 2.5;
        t[L.F_BEST_BID_PRICE] = i === 2 ? F + (k % 1000) * 2.5 : Number.NaN;
        t[L.F_BEST_ASK_PRICE] = i === 2 ? F + 10 + (k % 1000) * 2.5 : Number.NaN;
        t[L.F_IV] = 0.5 + (k % 100) * 0.001;
        t[L.F_RECV_NS] = k * 1000.5;
        p.publishFrom(i, t);
        if (p.pollQuote(i, out)) polled++;
      }
      return polled;
    };
    loop(60_000);
    let polled = 0;
    const gcs = await gcsDuring(() => {
      polled = loop(300_000);
    });
    expect(polled).toBe(300_000);
    expect(gcs).toBe(0);
  });
});

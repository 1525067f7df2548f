/**
 * The bench's heavy pricer: it burns `params[0]` µs of CPU per call (a stand-in for an options
 * model), then quotes mid ± 5 bps of `params[1]` contracts like the default pricer. With ~30 µs
 * per instrument over 10 instruments, pricing inline holds the socket's thread for a third of a
 * millisecond per round of ticks; workers must win here (issue 14, Part B).
 */
import { performance } from 'node:perf_hooks';
import type { QuoteOut } from '../../src/pricing/pricer.js';
import { F_BEST_ASK_PRICE, F_BEST_BID_PRICE, F_MARK_PRICE } from '../../src/rings/layout.js';

export default function price(tick: Float64Array, _position: number, params: Float64Array, out: QuoteOut): void {
  const until = performance.now() + params[0]! / 1000;
  while (performance.now() < until) {
    /* the model's work */
  }
  const bid = tick[F_BEST_BID_PRICE]!;
  const ask = tick[F_BEST_ASK_PRICE]!;
  const mid = ask > bid ? (bid + ask) / 2 : tick[F_MARK_PRICE]!;
  if (!(mid > 0)) return;
  const t = out.instrument.tickSize;
  out.addBid(Math.floor((mid * 0.9995) / t) * t, params[1]!);
  out.addAsk(Math.ceil((mid * 1.0005) / t) * t, params[1]!);
}

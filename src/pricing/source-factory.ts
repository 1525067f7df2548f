import { PricerLoadError } from './errors.js';
import { InlinePricer } from './inline-pricer.js';
import { PricingPool } from './pool.js';
import type { InstrumentSpec, PriceFn } from './pricer.js';
import type { QuoteSource } from './quote-source.js';
import type { TickerRing } from '../rings/ticker-ring.js';

export interface QuoteSourceInit {
  mode: 'inline' | 'workers';
  instruments: readonly InstrumentSpec[];
  /** One ring per instrument, shared with the tick decoder that fills them. */
  rings: readonly TickerRing[];
  /** Initial pricer parameters, one row per instrument. */
  params: readonly ArrayLike<number>[];
  /** Worker threads (workers mode only). */
  workers: number;
  /** Absolute path or file URL of a custom pricer module; default pricer when omitted. */
  pricerModule?: string;
  /** Workers mode: a worker went down or came back (see PricingPool). */
  onQuotableChange(i: number, quotable: boolean, error?: Error): void;
}

/**
 * Builds where quotes come from: a pool of pricing workers, or the pricer on the main thread.
 * A custom pricer module is imported here for inline mode (workers import it themselves), so the
 * quote loop never sees how pricing is set up.
 */
export async function createQuoteSource(init: QuoteSourceInit): Promise<QuoteSource> {
  if (init.mode === 'workers') {
    const pool = new PricingPool({
      instruments: init.instruments,
      rings: init.rings,
      workers: init.workers,
      params: init.params,
      ...(init.pricerModule !== undefined ? { pricerModule: init.pricerModule } : {}),
      onQuotableChange: init.onQuotableChange,
    });
    await pool.ready();
    return pool;
  }
  let price: PriceFn | undefined;
  if (init.pricerModule !== undefined) {
    const { pricerFromModule } = await import('./pricer.js');
    let mod: unknown;
    try {
      mod = await import(init.pricerModule);
    } catch (err) {
      throw new PricerLoadError(`cannot load pricer module ${init.pricerModule}`, { cause: err });
    }
    price = pricerFromModule(mod) ?? undefined;
    if (price === undefined) throw new PricerLoadError(`pricer module ${init.pricerModule} exports no price function`);
  }
  return new InlinePricer({ instruments: init.instruments, rings: init.rings, params: init.params, ...(price !== undefined ? { price } : {}) });
}

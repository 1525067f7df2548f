import { PricerLoadError } from './errors.js';
import { InlinePricer } from './inline-pricer.js';
import { PricingPool } from './pool.js';
import type { InstrumentSpec, PriceFn } from './pricer.js';
import type { QuoteSource } from './quote-source.js';
import { price as priceOptions } from './options-pricer.js';
import { siblingJsFile } from './worker-file.js';
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
  /** Absolute path or file URL of a custom pricer module; the built-in `builtin` when omitted. */
  pricerModule?: string;
  /** Built-in pricer when there is no module: `spread` (default-pricer.ts, the default) or `options` (options-pricer.ts). */
  builtin?: 'spread' | 'options';
  /** Workers mode: a worker went down or came back (see PricingPool). */
  onQuotableChange(i: number, quotable: boolean, error?: Error): void;
}

/**
 * Builds where quotes come from: a pool of pricing workers, or the pricer on the main thread.
 * A custom pricer module is imported here for inline mode (workers import it themselves), so the
 * quote loop never sees how pricing is set up.
 */
export async function createQuoteSource(init: QuoteSourceInit): Promise<QuoteSource> {
  // Workers load a pricer by module path: the options pricer is one, compiled next to this file.
  const builtinOptions = init.pricerModule === undefined && init.builtin === 'options';
  const pricerModule = builtinOptions ? siblingJsFile(import.meta.url, './options-pricer.js') : init.pricerModule;
  if (init.mode === 'workers') {
    const pool = new PricingPool({
      instruments: init.instruments,
      rings: init.rings,
      workers: init.workers,
      params: init.params,
      ...(pricerModule !== undefined ? { pricerModule } : {}),
      onQuotableChange: init.onQuotableChange,
    });
    await pool.ready();
    return pool;
  }
  let price: PriceFn | undefined = builtinOptions ? priceOptions : undefined;
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

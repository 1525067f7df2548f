import { describe, expect, it } from 'vitest';
import { createQuoteSource } from '../../src/pricing/source-factory.js';

const init = {
  mode: 'inline' as const,
  instruments: [],
  rings: [],
  params: [],
  workers: 1,
  onQuotableChange: () => {},
};

describe('createQuoteSource, inline mode with a custom pricer', () => {
  it('a module that cannot be imported rejects with PRICING_ERR_LOAD, the import error as cause', async () => {
    const missing = new URL('./no-such-pricer.mjs', import.meta.url).href;
    const e = await createQuoteSource({ ...init, pricerModule: missing }).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'PricerLoadError', code: 'PRICING_ERR_LOAD', message: `cannot load pricer module ${missing}` });
    expect((e as Error).cause).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
  });

  it('a module without a price function rejects with PRICING_ERR_LOAD', async () => {
    const module = `data:text/javascript,${encodeURIComponent('export const notAPricer = 1;')}`;
    await expect(createQuoteSource({ ...init, pricerModule: module })).rejects.toMatchObject({ code: 'PRICING_ERR_LOAD' });
  });
});

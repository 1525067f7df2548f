import { describe, expect, it } from 'vitest';
import { autoPricingMode, parseEngineConfig } from '../../src/engine/config.js';
import { ConfigError } from '../../src/engine/errors.js';

const minimal = {
  url: 'ws://127.0.0.1:9000/ws/api/v2',
  credentials: { keyId: 'k1', privateKeyPath: '/tmp/k.pem' },
  instruments: ['BTC-PERPETUAL'],
};

function issues(input: unknown): string[] {
  try {
    parseEngineConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('CONFIG_ERR_INVALID');
    return (e as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('engine config', () => {
  it('fills safe defaults', () => {
    const c = parseEngineConfig(minimal);
    expect(c.tls.rejectUnauthorized).toBe(true);
    expect(c.tickerDelay).toBe('raw');
    expect(c.quoting.postOnly).toBe(true);
    expect(c.pricing.mode).toBe(autoPricingMode()); // `auto`: inline on ≤ 4 CPUs, workers above
    expect(c.cancelOnDisconnectSecs).toBe(6);
  });

  it('names each bad field', () => {
    expect(issues({ ...minimal, url: 'http://x' })).toEqual(['url: must be a ws:// or wss:// URL']);
    expect(issues({ ...minimal, instruments: [] })[0]).toMatch(/^instruments: /);
    expect(issues({ ...minimal, instruments: ['A', 'A'] })).toEqual(['instruments: instrument names must be unique']);
    expect(issues({ ...minimal, bogus: 1 })).toEqual([': unknown key bogus']);
    expect(issues({ ...minimal, quoting: { maxInFlight: 0 } })[0]).toMatch(/^quoting\.maxInFlight: /);
    expect(issues({ ...minimal, quoting: { rejectPostOnly: true, postOnly: false } })).toEqual([
      'quoting: rejectPostOnly requires postOnly',
    ]);
    expect(issues({ ...minimal, credentials: { keyId: 'k' } })).toEqual([
      'credentials: give exactly one of privateKeyPem or privateKeyPath',
    ]);
    expect(issues({ ...minimal, protection: { products: { FBTCUSD: { tradeAmount: -1, quoteAmount: 1 } } } })[0]).toMatch(
      /^protection\.products\.FBTCUSD\.tradeAmount: /,
    );
  });

  it('refuses a protection trade amount above its quote amount (set_mm_protection: trade_amount ≤ quote_amount)', () => {
    expect(issues({ ...minimal, protection: { default: { tradeAmount: 0.2, quoteAmount: 0.05 } } })).toEqual([
      'protection.default.tradeAmount: must be ≤ quoteAmount (0.05): the venue requires trade_amount ≤ quote_amount',
    ]);
    expect(issues({ ...minimal, protection: { products: { FBTCUSD: { tradeAmount: 2, quoteAmount: 1 } } } })).toEqual([
      'protection.products.FBTCUSD.tradeAmount: must be ≤ quoteAmount (1): the venue requires trade_amount ≤ quote_amount',
    ]);
    expect(parseEngineConfig({ ...minimal, protection: { default: { tradeAmount: 0.05, quoteAmount: 0.05 } } }).protection.default.tradeAmount).toBe(0.05);
  });

  it('a misspelt key leads, with the key it probably meant, before the issues it causes', () => {
    const { instruments, ...rest } = minimal;
    expect(issues({ ...rest, instrumnts: instruments })).toEqual([
      ': unknown key instrumnts — did you mean instruments?',
      expect.stringMatching(/^instruments: /),
    ]);
    expect(issues({ ...minimal, risk: { maxPositon: 1 } })).toEqual(['risk: unknown key maxPositon — did you mean maxPosition?']);
    expect(issues({ ...minimal, quoting: { maxinflight: 2 } })).toEqual(['quoting: unknown key maxinflight — did you mean maxInFlight?']);
    // Inside a record (per-product limits) and under a default-wrapped object.
    expect(issues({ ...minimal, protection: { products: { FBTCUSD: { tradeAmount: 1, quoteAmont: 1 } } } })[0]).toBe(
      'protection.products.FBTCUSD: unknown key quoteAmont — did you mean quoteAmount?',
    );
    expect(issues({ ...minimal, tls: { rejectUnauthorised: true } })).toEqual(['tls: unknown key rejectUnauthorised — did you mean rejectUnauthorized?']);
  });
});

describe('pricing.mode auto', () => {
  it('prices inline on up to 4 CPUs and in workers above', () => {
    expect([1, 2, 4, 5, 16].map((n) => autoPricingMode(n))).toEqual(['inline', 'inline', 'inline', 'workers', 'workers']);
  });
});

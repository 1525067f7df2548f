import { describe, expect, it } from 'vitest';
import {
  CHANNEL_TEMPLATES,
  SPEC_DELAYS,
  channelTemplate,
  hasMethod,
  specDocs,
  validateComponent,
  validateErrorReply,
  validateNotification,
  validateNotificationFrame,
  validateReply,
  validateRequest,
  validateRequestFrame,
  validateResult,
} from '../helpers/spec.js';

type J = Record<string, any>;
const openapi = specDocs.openapi as J;

/** The `example` of a method's params schema, straight from openapi.json. */
function paramsExample(method: string): unknown {
  const allOf = openapi.paths[method].rpc.requestBody.content['application/json'].schema.allOf as J[];
  const params = allOf.find((s) => s.properties?.params)!.properties.params;
  // The subscribe family puts its example on the `channels` property, not on params.
  return params.example ?? (params.properties?.channels?.example && { channels: params.properties.channels.example });
}
/** The `example` of a method's result schema, straight from openapi.json. */
function resultExample(method: string): unknown {
  const oneOf = openapi.paths[method].rpc.responses.default.content['application/json'].schema.oneOf as J[];
  const ok = oneOf.find((s) => s.title === 'Success')!.allOf as J[];
  return ok.find((s) => s.properties?.result)!.properties.result.example;
}
function componentExample(name: string): J {
  return structuredClone(openapi.components.schemas[name].example) as J;
}

const ORDER_STATUS_EXAMPLE = {
  order_id: '1728379719872',
  time_in_force: 'good_till_cancelled',
  instrument_name: 'BTC-PERPETUAL',
  price: 45000,
  amount: 1.1,
  order_type: 'limit',
  direction: 'buy',
  filled_amount: 0,
  remaining_amount: 1.1,
  status: 'open',
  fills: [],
  change_reason: 'insert',
  insert_reason: 'client_request',
};

describe('spec validator: the spec\'s own examples', () => {
  it.each([
    'private/mass_quote',
    'public/login',
    'private/set_cancel_on_disconnect',
    'private/cancel_mass_quote',
    'public/subscribe',
    'private/subscribe',
    'unsubscribe',
  ])('accepts the params example of %s', (method) => {
    const ex = paramsExample(method);
    expect(ex).toBeDefined();
    expect(validateRequest(method, ex)).toEqual([]);
  });

  it.each([
    'private/mass_quote',
    'public/login',
    'private/set_cancel_on_disconnect',
    'public/subscribe',
    'private/subscribe',
    'unsubscribe',
  ])('accepts the result example of %s', (method) => {
    const ex = resultExample(method) ?? componentExample('DoubleSidedQuoteResult');
    expect(ex).toBeDefined();
    expect(validateResult(method, ex)).toEqual([]);
  });

  it('accepts param-less calls and null results where the spec says so', () => {
    expect(validateRequest('private/cancel_session', {})).toEqual([]);
    expect(validateRequest('private/cancel_mass_quote', {})).toEqual([]);
    expect(validateRequest('public/instruments', {})).toEqual([]);
    for (const m of ['private/cancel_session', 'private/cancel_mass_quote', 'private/set_mm_protection']) {
      expect(validateResult(m, null)).toEqual([]);
      expect(validateResult(m, {})).not.toEqual([]);
    }
    expect(validateResult('public/instruments', [componentExample('Instrument')])).toEqual([]);
  });

  it.each(['Trade', 'PortfolioEntry', 'Instrument', 'Index', 'SystemEvent', 'DoubleSidedQuoteResult'])(
    'accepts the %s component example',
    (name) => {
      expect(validateComponent(name, componentExample(name))).toEqual([]);
    },
  );

  it('accepts the notification examples per channel', () => {
    expect(validateNotification('account.trade_history', [componentExample('Trade')])).toEqual([]);
    expect(validateNotification('account.portfolio', [componentExample('PortfolioEntry')])).toEqual([]);
    expect(validateNotification('system', componentExample('SystemEvent'))).toEqual([]);
    expect(validateNotification('price_index.BTCUSD', componentExample('Index'))).toEqual([]);
    expect(
      validateNotification('session.mm_protection', [{ product: 'OBTCUSD', remaining_amount: 10, reason: 'refill' }]),
    ).toEqual([]);
    expect(validateNotification('instruments', [{ added: componentExample('Instrument') }])).toEqual([]);
  });

  // Spec examples that do not satisfy their own schema. The validator stays strict (the schema's
  // `required` is what the venue promises and what our simulator must send); these tests pin the
  // exact gap so a spec update that changes it is noticed.
  it('QUIRK: the Ticker example omits required `index`', () => {
    const ex = componentExample('Ticker');
    expect(validateNotification('ticker.BTC-PERPETUAL.100ms', ex)).toEqual([
      expect.stringContaining("must have required property 'index'"),
    ]);
    expect(validateNotification('ticker.BTC-PERPETUAL.100ms', { ...ex, index: 47200 })).toEqual([]);
  });

  it('QUIRK: the OrderStatus example omits required `create_time` and `persistent`', () => {
    const errs = validateNotification('session.orders', [ORDER_STATUS_EXAMPLE]);
    expect(errs).toHaveLength(2);
    expect(errs.join()).toContain("'create_time'");
    expect(errs.join()).toContain("'persistent'");
    const fixed = { ...ORDER_STATUS_EXAMPLE, create_time: 1630059868.41, persistent: false };
    expect(validateNotification('session.orders', [fixed])).toEqual([]);
    expect(validateNotification('account.orders', [fixed])).toEqual([]);
    expect(validateComponent('OrderStatus', componentExample('OrderStatus'))).toHaveLength(2);
  });

  it('QUIRK: the set_mm_protection params example uses only the deprecated `amount`', () => {
    const errs = validateRequest('private/set_mm_protection', paramsExample('private/set_mm_protection'));
    expect(errs.join()).toContain("'trade_amount'");
    expect(errs.join()).toContain("'quote_amount'");
    expect(
      validateRequest('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 5, quote_amount: 25 }),
    ).toEqual([]);
  });
});

describe('spec validator: rejects broken messages', () => {
  const quote = { i: 'BTC-PERPETUAL', b: { p: 95000, a: 0.1 }, a: [[95100, 0.1]] };

  it('missing required field', () => {
    expect(validateRequest('private/mass_quote', {})).toEqual([expect.stringContaining("required property 'quotes'")]);
    expect(validateRequest('private/mass_quote', { quotes: [{ b: [] }] }).join()).toContain("required property 'i'");
    expect(validateRequest('private/mass_quote', { quotes: [{ i: 'X', b: { p: 1 } }] }).join()).toContain(
      "required property 'a'",
    );
    expect(validateRequest('public/login', {}).join()).toContain("'token'");
    expect(validateRequest('private/set_cancel_on_disconnect', { value: true }).join()).toContain("'timeout_secs'");
    expect(validateResult('private/mass_quote', { n_success: 1, n_fail: 0 }).join()).toContain("'errors'");
    expect(validateResult('public/login', {}).join()).toContain("'account_number'");
    expect(validateNotification('price_index.BTCUSD', { index_name: 'BTCUSD', price: 1 }).join()).toContain(
      "'timestamp'",
    );
    expect(validateNotification('system', {}).join()).toContain("'event'");
  });

  it('wrong enum', () => {
    expect(validateRequest('private/mass_quote', { quotes: [quote], stp_level: 'subaccount' }).join()).toContain(
      'allowed values ["customer","account","disabled"]',
    );
    expect(validateRequest('private/mass_quote', { quotes: [quote], stp_action: 'cancel_aggressor' }).join()).toContain(
      'allowed values',
    );
    expect(
      validateNotification('session.mm_protection', [{ product: 'FBTCUSD', remaining_amount: 1, reason: 'triggered' }]),
    ).toEqual([expect.stringContaining('allowed values')]);
    expect(validateNotification('system', { event: 'maintenance' })).toEqual([expect.stringContaining('allowed values')]);
    const trade = { ...componentExample('Trade'), direction: 'long' };
    expect(validateNotification('account.trade_history', [trade])).toEqual([
      expect.stringContaining('/0/direction must be equal to one of the allowed values'),
    ]);
  });

  it('wrong type', () => {
    expect(validateRequest('private/mass_quote', { quotes: [{ ...quote, i: 5 }] }).join()).toContain('/quotes/0/i must be string');
    expect(validateRequest('private/mass_quote', { quotes: [quote], post_only: 'yes' }).join()).toContain(
      '/post_only must be boolean',
    );
    expect(validateRequest('private/set_cancel_on_disconnect', { timeout_secs: 1.5 }).join()).toContain('must be integer');
    expect(validateNotification('session.mm_protection', { product: 'F', remaining_amount: 1, reason: 'refill' }).join()).toContain(
      'must be array',
    );
    expect(validateNotification('account.portfolio', [{ instrument_name: 'X', position: '1' }]).join()).toContain(
      '/0/position must be number',
    );
  });

  it('multi-level side: at most 10 levels of exactly [price, amount]', () => {
    const levels = (n: number) => Array.from({ length: n }, (_, k) => [100 + k, 1]);
    expect(validateRequest('private/mass_quote', { quotes: [{ i: 'X', b: levels(10) }] })).toEqual([]);
    expect(validateRequest('private/mass_quote', { quotes: [{ i: 'X', b: levels(11) }] })).not.toEqual([]);
    expect(validateRequest('private/mass_quote', { quotes: [{ i: 'X', b: [[1, 2, 3]] }] })).not.toEqual([]);
    expect(validateRequest('private/mass_quote', { quotes: [{ i: 'X', b: [[1]] }] })).not.toEqual([]);
    expect(validateRequest('private/mass_quote', { quotes: [{ i: 'X', b: [] }] })).toEqual([]);
  });

  it('TIGHTENED: at most 100 quotes per mass_quote (spec prose)', () => {
    const quotes = (n: number) => Array.from({ length: n }, (_, k) => ({ i: `I${k}`, b: [] }));
    expect(validateRequest('private/mass_quote', { quotes: quotes(100) })).toEqual([]);
    expect(validateRequest('private/mass_quote', { quotes: quotes(101) })).toEqual([
      expect.stringContaining('must NOT have more than 100 items'),
    ]);
  });

  it('RELAXED: ticker book/last fields accept null (spec prose), required ones do not', () => {
    const t = { ...componentExample('Ticker'), index: 1 };
    const empty = { ...t, best_bid_price: null, best_bid_amount: null, best_ask_price: null, best_ask_amount: null, last_price: null };
    expect(validateNotification('ticker.BTC-PERPETUAL.raw', empty)).toEqual([]);
    expect(validateNotification('ticker.BTC-PERPETUAL.raw', { ...t, mark_price: null })).not.toEqual([]);
    expect(validateNotification('ticker.BTC-PERPETUAL.raw', { ...t, best_bid_price: '1' })).not.toEqual([]);
  });
});

describe('spec validator: frames, ids and errors', () => {
  it('request id: integer or absent (RpcRequest quirk)', () => {
    const params = { token: 'x' };
    expect(validateRequestFrame({ jsonrpc: '2.0', id: 7, method: 'public/login', params })).toEqual([]);
    expect(validateRequestFrame({ method: 'public/login', params })).toEqual([]);
    expect(validateRequestFrame({ id: {}, method: 'public/login', params })).not.toEqual([]);
    expect(validateRequestFrame({ id: 1.5, method: 'public/login', params })).not.toEqual([]);
    expect(validateRequestFrame({ id: 1, method: 'public/login' }).join()).toContain("'params'");
    expect(validateRequestFrame({ id: 1, method: 'public/nope', params: {} })).not.toEqual([]);
    const many = Array.from({ length: 101 }, (_, k) => ({ i: `I${k}` }));
    expect(validateRequestFrame({ id: 1, method: 'private/mass_quote', params: { quotes: many } })).not.toEqual([]);
  });

  it('error replies', () => {
    expect(validateErrorReply({ id: 7, error: { code: 4, message: 'throttle exceeded' } })).toEqual([]);
    expect(validateErrorReply({ id: null, error: { code: 31, message: 'unknown method' } })).toEqual([]);
    expect(validateErrorReply({ id: 7, error: { code: '4', message: 'x' } })).not.toEqual([]);
    expect(validateErrorReply({ id: 7, error: { code: 4 } }).join()).toContain("'message'");
    expect(validateErrorReply({ id: 7, result: null }).join()).toContain("'error'");
    expect(validateErrorReply({ id: 'seven', error: { code: 4, message: 'x' } })).not.toEqual([]);
  });

  it('whole replies pick the success or error branch', () => {
    expect(validateReply('private/cancel_session', { id: 3, result: null })).toEqual([]);
    expect(validateReply('private/mass_quote', { id: 3, result: { n_success: 2, n_fail: 0, errors: [] } })).toEqual([]);
    expect(validateReply('private/mass_quote', { id: 3, error: { code: 23, message: 'x' } })).toEqual([]);
    expect(validateReply('private/mass_quote', { id: 3, result: null })).not.toEqual([]);
  });

  it('notification frames', () => {
    const ex = { ...componentExample('Ticker'), index: 1 };
    expect(validateNotificationFrame({ channel_name: 'ticker.BTC-PERPETUAL.100ms', notification: ex })).toEqual([]);
    expect(validateNotificationFrame({ channel_name: 'ticker.BTC-PERPETUAL.100ms' }).join()).toContain("'notification'");
    expect(validateNotificationFrame({ channel_name: 'nope', notification: {} })).toEqual([expect.stringContaining('matches no')]);
    expect(() => validateNotification('nope', {})).toThrow(/matches no/);
  });
});

describe('spec validator: channel and method lookup', () => {
  it('maps concrete channel names to ws_spec.json templates', () => {
    expect(channelTemplate('ticker.BTC-PERPETUAL.100ms')).toBe('ticker.<instrument>.<delay>');
    expect(channelTemplate('ticker.[BTC-30MAY25-93000-C:-1,BTC-30MAY25-80000-C:1].raw')).toBe('ticker.<instrument>.<delay>');
    expect(channelTemplate('ticker.BTC-PERPETUAL.300ms')).toBeUndefined();
    expect(channelTemplate('price_index.BTCUSD')).toBe('price_index.<underlying>');
    expect(channelTemplate('book.BTC-PERPETUAL.0.5.10.100ms')).toBe('book.<instrument>.<grouping>.<nlevels>.<delay>');
    for (const c of ['session.orders', 'account.orders', 'account.portfolio', 'session.mm_protection', 'system', 'account.trade_history']) {
      expect(channelTemplate(c)).toBe(c);
    }
    expect(CHANNEL_TEMPLATES).toContain('lwt.<instrument>.<delay>');
  });

  it('knows every spec delay', () => {
    expect([...SPEC_DELAYS].sort()).toEqual(['1000ms', '100ms', '200ms', '5000ms', '500ms', '60000ms', 'raw']);
    for (const d of SPEC_DELAYS) expect(channelTemplate(`ticker.BTC-PERPETUAL.${d}`)).toBe('ticker.<instrument>.<delay>');
  });

  it('knows JSON-RPC methods, not REST paths', () => {
    expect(hasMethod('private/mass_quote')).toBe(true);
    expect(hasMethod('unsubscribe')).toBe(true);
    expect(hasMethod('/private/insert')).toBe(false);
    expect(hasMethod('public/unsubscribe')).toBe(false);
    expect(() => validateRequest('public/nope', {})).toThrow(/unknown JSON-RPC method/);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_LEVELS_PER_SIDE,
  MAX_QUOTES_PER_CALL,
  Method,
  ProtocolError,
  askOnlyQuote,
  bidOnlyQuote,
  cancelMassQuoteParams,
  cancelSessionParams,
  channelsParams,
  doubleSidedQuote,
  loginParams,
  massQuoteParams,
  oneSidedQuote,
  setCancelOnDisconnectParams,
  setMmProtectionParams,
  singleLevelQuote,
  type DoubleSidedQuote,
  type ProtocolErrorCode,
  type QuoteLevel,
} from '../../src/protocol/index.js';
import { assertValid, validateRequest } from '../helpers/spec.js';

/** Run `fn`, expect a ProtocolError with `code` (and `path` when given). */
function expectProtocolError(fn: () => unknown, code: ProtocolErrorCode, path?: string): ProtocolError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  const e = caught as ProtocolError;
  expect(e.code).toBe(code);
  expect(e.name).toBe('ProtocolError');
  if (path !== undefined) expect(e.path).toBe(path);
  return e;
}

const levels = (n: number, base = 100): QuoteLevel[] => Array.from({ length: n }, (_, k) => ({ price: base + k, amount: 1 }));

describe('mass quote builders: spec-valid output', () => {
  it('single-level quote: {"i","b":{"p","a"},"a":{"p","a"}}', () => {
    const q = singleLevelQuote('BTC-PERPETUAL', 95000, 0.1, 95100, 0.1);
    expect(q).toEqual({ i: 'BTC-PERPETUAL', b: { p: 95000, a: 0.1 }, a: { p: 95100, a: 0.1 } });
    expect(JSON.stringify(q)).toBe('{"i":"BTC-PERPETUAL","b":{"p":95000,"a":0.1},"a":{"p":95100,"a":0.1}}');
    assertValid(validateRequest(Method.MassQuote, massQuoteParams([q])));
  });

  it('multi-level quote: wire form [[price, amount], ...], the spec example verbatim', () => {
    const quotes = [
      doubleSidedQuote('BTC-10SEP21-48000-C', [{ price: 230, amount: 2 }, { price: 235, amount: 1 }], [{ price: 250, amount: 1 }]),
      doubleSidedQuote('BTC-10SEP21-53000-C', undefined, [{ price: 5, amount: 1 }]),
    ];
    const params = massQuoteParams(quotes);
    // openapi.json paths.private/mass_quote params example.
    expect(params).toEqual({
      quotes: [
        { i: 'BTC-10SEP21-48000-C', b: [[230, 2], [235, 1]], a: [[250, 1]] },
        { i: 'BTC-10SEP21-53000-C', a: [[5, 1]] },
      ],
    });
    expect('b' in params.quotes[1]!).toBe(false);
    assertValid(validateRequest(Method.MassQuote, params));
  });

  it('ten levels per side is the maximum that passes', () => {
    const q = doubleSidedQuote('BTC-PERPETUAL', levels(MAX_LEVELS_PER_SIDE, 90), levels(MAX_LEVELS_PER_SIDE, 200));
    assertValid(validateRequest(Method.MassQuote, massQuoteParams([q])));
  });

  it('one-sided: the other side is omitted, not emptied', () => {
    const bid = bidOnlyQuote('BTC-PERPETUAL', [{ price: 95000, amount: 0.1 }]);
    const ask = askOnlyQuote('BTC-PERPETUAL', [{ price: 95100, amount: 0.1 }]);
    expect(bid).toEqual({ i: 'BTC-PERPETUAL', b: [[95000, 0.1]] });
    expect(ask).toEqual({ i: 'BTC-PERPETUAL', a: [[95100, 0.1]] });
    expect(oneSidedQuote('BTC-PERPETUAL', 'bid', [{ price: 95000, amount: 0.1 }])).toEqual(bid);
    expect(oneSidedQuote('BTC-PERPETUAL', 'ask', [{ price: 95100, amount: 0.1 }])).toEqual(ask);
    assertValid(validateRequest(Method.MassQuote, massQuoteParams([bid, { ...ask, i: 'ETH-PERPETUAL' }])));
  });

  it('empty side array (remove all quotes on that side) and amount 0 (delete) are valid', () => {
    const q = doubleSidedQuote('BTC-PERPETUAL', [], [{ price: 95100, amount: 0 }]);
    expect(q).toEqual({ i: 'BTC-PERPETUAL', b: [], a: [[95100, 0]] });
    assertValid(validateRequest(Method.MassQuote, massQuoteParams([q, singleLevelQuote('ETH-PERPETUAL', 1, 0, 2, 0)])));
  });

  it('all options, exact keys', () => {
    const params = massQuoteParams([singleLevelQuote('BTC-PERPETUAL', 95000, 0.1, 95100, 0.1)], {
      label: 'mm-bot',
      postOnly: true,
      rejectPostOnly: true,
      stpLevel: 'account',
      stpAction: 'cancel_aggressive_no_fill',
    });
    expect(Object.keys(params)).toEqual(['quotes', 'label', 'post_only', 'reject_post_only', 'stp_level', 'stp_action']);
    expect(params).toMatchObject({
      label: 'mm-bot',
      post_only: true,
      reject_post_only: true,
      stp_level: 'account',
      stp_action: 'cancel_aggressive_no_fill',
    });
    assertValid(validateRequest(Method.MassQuote, params));
    for (const stpLevel of ['customer', 'account', 'disabled'] as const) {
      for (const stpAction of ['cancel_aggressive_partial_fill', 'cancel_aggressive_no_fill'] as const) {
        assertValid(validateRequest(Method.MassQuote, massQuoteParams([], { stpLevel, stpAction })));
      }
    }
  });

  it('options left undefined are not sent; post_only false and reject_post_only false are', () => {
    expect(massQuoteParams([])).toEqual({ quotes: [] });
    const p = massQuoteParams([], { postOnly: false, rejectPostOnly: false });
    expect(p).toEqual({ quotes: [], post_only: false, reject_post_only: false });
    assertValid(validateRequest(Method.MassQuote, p));
  });

  it('100 quotes pass; the quotes array is copied', () => {
    const quotes = Array.from({ length: MAX_QUOTES_PER_CALL }, (_, k) => singleLevelQuote(`I-${k}`, 1, 1, 2, 1));
    const params = massQuoteParams(quotes);
    expect(params.quotes).not.toBe(quotes);
    assertValid(validateRequest(Method.MassQuote, params));
  });

  it('hand-built wire quotes are accepted when valid', () => {
    const q: DoubleSidedQuote = { i: 'BTC-PERPETUAL', b: [[1, 2]], a: { p: 3, a: 4 } };
    assertValid(validateRequest(Method.MassQuote, massQuoteParams([q])));
  });
});

describe('mass quote builders: refused before sending', () => {
  it.each([NaN, Infinity, -Infinity])('non-finite price %s', (bad) => {
    expectProtocolError(() => singleLevelQuote('X', bad, 1, 2, 1), 'PROTO_ERR_NON_FINITE_PRICE', 'b.p');
    expectProtocolError(() => singleLevelQuote('X', 1, 1, bad, 1), 'PROTO_ERR_NON_FINITE_PRICE', 'a.p');
    expectProtocolError(() => doubleSidedQuote('X', [{ price: 1, amount: 1 }, { price: bad, amount: 1 }], undefined), 'PROTO_ERR_NON_FINITE_PRICE', 'b[1].price');
    expectProtocolError(() => massQuoteParams([{ i: 'X', a: [[bad, 1]] }]), 'PROTO_ERR_NON_FINITE_PRICE', 'quotes[0].a[0][0]');
  });

  it('a price that is not a number at all', () => {
    expectProtocolError(() => singleLevelQuote('X', '1' as unknown as number, 1, 2, 1), 'PROTO_ERR_NON_FINITE_PRICE');
    expectProtocolError(() => massQuoteParams([{ i: 'X', b: { p: null as unknown as number, a: 1 } }]), 'PROTO_ERR_NON_FINITE_PRICE', 'quotes[0].b.p');
  });

  it.each([NaN, Infinity, -Infinity])('non-finite amount %s', (bad) => {
    expectProtocolError(() => singleLevelQuote('X', 1, bad, 2, 1), 'PROTO_ERR_NON_FINITE_AMOUNT', 'b.a');
    expectProtocolError(() => askOnlyQuote('X', [{ price: 1, amount: bad }]), 'PROTO_ERR_NON_FINITE_AMOUNT', 'a[0].amount');
    expectProtocolError(() => massQuoteParams([{ i: 'X', b: [[1, bad]] }]), 'PROTO_ERR_NON_FINITE_AMOUNT', 'quotes[0].b[0][1]');
  });

  it('negative amount', () => {
    expectProtocolError(() => singleLevelQuote('X', 1, 1, 2, -0.1), 'PROTO_ERR_NEGATIVE_AMOUNT', 'a.a');
    expectProtocolError(() => bidOnlyQuote('X', [{ price: 1, amount: -1 }]), 'PROTO_ERR_NEGATIVE_AMOUNT', 'b[0].amount');
    expectProtocolError(() => massQuoteParams([{ i: 'X', a: { p: 1, a: -1 } }]), 'PROTO_ERR_NEGATIVE_AMOUNT', 'quotes[0].a.a');
  });

  it('more than 10 levels on a side', () => {
    expectProtocolError(() => doubleSidedQuote('X', levels(11), undefined), 'PROTO_ERR_TOO_MANY_LEVELS', 'b');
    expectProtocolError(() => askOnlyQuote('X', levels(11)), 'PROTO_ERR_TOO_MANY_LEVELS', 'a');
    const wire = levels(11).map((l) => [l.price, l.amount] as [number, number]);
    expectProtocolError(() => massQuoteParams([{ i: 'X', b: wire }]), 'PROTO_ERR_TOO_MANY_LEVELS', 'quotes[0].b');
  });

  it('duplicate price on a side (spec: levels must be distinct)', () => {
    expectProtocolError(() => bidOnlyQuote('X', [{ price: 1, amount: 1 }, { price: 2, amount: 1 }, { price: 1, amount: 2 }]), 'PROTO_ERR_DUPLICATE_PRICE_LEVEL', 'b[2]');
    expectProtocolError(() => massQuoteParams([{ i: 'X', a: [[5, 1], [5, 1]] }]), 'PROTO_ERR_DUPLICATE_PRICE_LEVEL', 'quotes[0].a[1]');
  });

  it('more than 100 quotes in one call', () => {
    const quotes = Array.from({ length: 101 }, (_, k) => singleLevelQuote(`I-${k}`, 1, 1, 2, 1));
    expectProtocolError(() => massQuoteParams(quotes), 'PROTO_ERR_TOO_MANY_QUOTES', 'quotes');
  });

  it('bad instrument name', () => {
    expectProtocolError(() => singleLevelQuote('', 1, 1, 2, 1), 'PROTO_ERR_BAD_INSTRUMENT', 'i');
    expectProtocolError(() => doubleSidedQuote(7 as unknown as string, [], []), 'PROTO_ERR_BAD_INSTRUMENT', 'i');
    expectProtocolError(() => massQuoteParams([{ i: '' }]), 'PROTO_ERR_BAD_INSTRUMENT', 'quotes[0].i');
    expectProtocolError(() => massQuoteParams([{} as DoubleSidedQuote]), 'PROTO_ERR_BAD_INSTRUMENT', 'quotes[0].i');
  });

  it('malformed structure', () => {
    expectProtocolError(() => massQuoteParams({} as unknown as DoubleSidedQuote[]), 'PROTO_ERR_BAD_SHAPE', 'quotes');
    expectProtocolError(() => massQuoteParams([null as unknown as DoubleSidedQuote]), 'PROTO_ERR_BAD_SHAPE', 'quotes[0]');
    expectProtocolError(() => massQuoteParams([{ i: 'X', b: [[1, 2, 3]] as unknown as [number, number][] }]), 'PROTO_ERR_BAD_SHAPE', 'quotes[0].b[0]');
    expectProtocolError(() => massQuoteParams([{ i: 'X', b: 5 as unknown as [number, number][] }]), 'PROTO_ERR_BAD_SHAPE', 'quotes[0].b');
    expectProtocolError(() => oneSidedQuote('X', 'both' as 'bid', []), 'PROTO_ERR_BAD_SHAPE', 'side');
    expectProtocolError(() => doubleSidedQuote('X', 'no' as unknown as QuoteLevel[], undefined), 'PROTO_ERR_BAD_SHAPE', 'b');
  });

  it('reject_post_only without post_only', () => {
    const q = [singleLevelQuote('X', 1, 1, 2, 1)];
    expectProtocolError(() => massQuoteParams(q, { rejectPostOnly: true }), 'PROTO_ERR_REJECT_POST_ONLY_WITHOUT_POST_ONLY', 'reject_post_only');
    expectProtocolError(() => massQuoteParams(q, { rejectPostOnly: true, postOnly: false }), 'PROTO_ERR_REJECT_POST_ONLY_WITHOUT_POST_ONLY');
  });

  it('STP values outside the spec (e.g. go-thalex\'s)', () => {
    const q = [singleLevelQuote('X', 1, 1, 2, 1)];
    expectProtocolError(() => massQuoteParams(q, { stpLevel: 'subaccount' as 'account' }), 'PROTO_ERR_BAD_STP_LEVEL', 'stp_level');
    expectProtocolError(() => massQuoteParams(q, { stpAction: 'cancel_aggressor' as 'cancel_aggressive_no_fill' }), 'PROTO_ERR_BAD_STP_ACTION', 'stp_action');
  });

  it('bad label and flags', () => {
    expectProtocolError(() => massQuoteParams([], { label: 5 as unknown as string }), 'PROTO_ERR_BAD_LABEL', 'label');
    expectProtocolError(() => massQuoteParams([], { postOnly: 'yes' as unknown as boolean }), 'PROTO_ERR_BAD_FLAG', 'post_only');
    expectProtocolError(() => massQuoteParams([], { postOnly: true, rejectPostOnly: 1 as unknown as boolean }), 'PROTO_ERR_BAD_FLAG', 'reject_post_only');
  });

  it('the message names the field, the error is a QuoterError with a stable code', () => {
    const e = expectProtocolError(() => singleLevelQuote('X', NaN, 1, 2, 1), 'PROTO_ERR_NON_FINITE_PRICE');
    expect(e.message).toBe('b.p: price must be a finite number, got NaN');
  });
});

describe('other builders', () => {
  it('cancel_mass_quote', () => {
    expect(cancelMassQuoteParams()).toEqual({});
    expect(cancelMassQuoteParams('FBTCUSD')).toEqual({ product: 'FBTCUSD' });
    assertValid(validateRequest(Method.CancelMassQuote, cancelMassQuoteParams()));
    assertValid(validateRequest(Method.CancelMassQuote, cancelMassQuoteParams('FBTCUSD')));
    expectProtocolError(() => cancelMassQuoteParams(''), 'PROTO_ERR_BAD_PRODUCT', 'product');
  });

  it('set_mm_protection', () => {
    const p = setMmProtectionParams('FBTCUSD', 5, 25);
    expect(p).toEqual({ product: 'FBTCUSD', trade_amount: 5, quote_amount: 25 });
    assertValid(validateRequest(Method.SetMmProtection, p));
    assertValid(validateRequest(Method.SetMmProtection, setMmProtectionParams('OBTCUSD', 3, 3)));
    expectProtocolError(() => setMmProtectionParams('', 5, 25), 'PROTO_ERR_BAD_PRODUCT', 'product');
    expectProtocolError(() => setMmProtectionParams('FBTCUSD', NaN, 25), 'PROTO_ERR_BAD_PROTECTION_AMOUNT', 'trade_amount');
    expectProtocolError(() => setMmProtectionParams('FBTCUSD', 5, Infinity), 'PROTO_ERR_BAD_PROTECTION_AMOUNT', 'quote_amount');
    expectProtocolError(() => setMmProtectionParams('FBTCUSD', -1, 25), 'PROTO_ERR_BAD_PROTECTION_AMOUNT', 'trade_amount');
    expectProtocolError(() => setMmProtectionParams('FBTCUSD', 26, 25), 'PROTO_ERR_BAD_PROTECTION_AMOUNT', 'trade_amount');
  });

  it('set_cancel_on_disconnect', () => {
    expect(setCancelOnDisconnectParams(6)).toEqual({ timeout_secs: 6 });
    assertValid(validateRequest(Method.SetCancelOnDisconnect, setCancelOnDisconnectParams(6)));
    for (const bad of [0, -1, 1.5, NaN, Infinity]) {
      expectProtocolError(() => setCancelOnDisconnectParams(bad), 'PROTO_ERR_BAD_TIMEOUT', 'timeout_secs');
    }
  });

  it('cancel_session, login, subscribe', () => {
    assertValid(validateRequest(Method.CancelSession, cancelSessionParams()));
    expect(loginParams('tok')).toEqual({ token: 'tok' });
    expect(loginParams('tok', 'A123456789')).toEqual({ token: 'tok', account: 'A123456789' });
    assertValid(validateRequest(Method.Login, loginParams('tok', 'A123456789')));
    expectProtocolError(() => loginParams(''), 'PROTO_ERR_BAD_LOGIN', 'token');
    expectProtocolError(() => loginParams('tok', ''), 'PROTO_ERR_BAD_LOGIN', 'account');
    const sub = channelsParams(['ticker.BTC-PERPETUAL.100ms', 'price_index.BTCUSD']);
    for (const m of [Method.PublicSubscribe, Method.PrivateSubscribe, Method.Unsubscribe]) assertValid(validateRequest(m, sub));
    expectProtocolError(() => channelsParams([]), 'PROTO_ERR_BAD_CHANNEL', 'channels');
    expectProtocolError(() => channelsParams(['a', '']), 'PROTO_ERR_BAD_CHANNEL', 'channels[1]');
  });
});

describe('mass quote builders: properties', () => {
  // fast-check: any finite prices (distinct per side) and non-negative finite amounts build a
  // spec-valid message; any non-finite value anywhere is refused with the matching code.
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });
  const amount = fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1e9 });
  const side = fc.uniqueArray(fc.record({ price: finite, amount }), {
    maxLength: MAX_LEVELS_PER_SIDE,
    selector: (l) => l.price,
    comparator: (a, b) => Object.is(a, b) || a === b,
  });
  const quote = fc.record({
    i: fc.string({ minLength: 1, maxLength: 30 }),
    bids: fc.option(side, { nil: undefined }),
    asks: fc.option(side, { nil: undefined }),
  });

  it('valid inputs always give spec-valid params', () => {
    fc.assert(
      fc.property(fc.array(quote, { maxLength: 20 }), fc.boolean(), (qs, postOnly) => {
        const params = massQuoteParams(
          qs.map((q) => doubleSidedQuote(q.i, q.bids, q.asks)),
          { postOnly, rejectPostOnly: postOnly, label: 'p' },
        );
        expect(validateRequest(Method.MassQuote, params)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('a non-finite value anywhere is refused', () => {
    const bad = fc.constantFrom(NaN, Infinity, -Infinity);
    fc.assert(
      fc.property(side.filter((s) => s.length > 0), fc.nat(), fc.boolean(), bad, (levels, at, inPrice, v) => {
        const k = at % levels.length;
        const broken = levels.map((l, j) => (j === k ? (inPrice ? { ...l, price: v } : { ...l, amount: v }) : l));
        expectProtocolError(
          () => doubleSidedQuote('X', broken, undefined),
          inPrice ? 'PROTO_ERR_NON_FINITE_PRICE' : 'PROTO_ERR_NON_FINITE_AMOUNT',
          `b[${k}].${inPrice ? 'price' : 'amount'}`,
        );
      }),
      { numRuns: 200 },
    );
  });
});

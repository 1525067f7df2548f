import { describe, expect, it } from 'vitest';
import { channelsParams, loginParams, setCancelOnDisconnectParams, setMmProtectionParams } from '../../src/protocol/builders.js';
import { ProtocolError, type ProtocolErrorCode } from '../../src/protocol/errors.js';
import { Method } from '../../src/protocol/methods.js';
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

// The builders of the engine's cold requests (bootstrap.ts, engine.ts): spec-valid output for good
// input, a ProtocolError naming the field for bad input, before anything is sent.
describe('cold request builders', () => {
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

  it('login', () => {
    expect(loginParams('tok')).toEqual({ token: 'tok' });
    expect(loginParams('tok', 'A123456789')).toEqual({ token: 'tok', account: 'A123456789' });
    assertValid(validateRequest(Method.Login, loginParams('tok', 'A123456789')));
    expectProtocolError(() => loginParams(''), 'PROTO_ERR_BAD_LOGIN', 'token');
    expectProtocolError(() => loginParams('tok', ''), 'PROTO_ERR_BAD_LOGIN', 'account');
  });

  it('subscribe', () => {
    const sub = channelsParams(['ticker.BTC-PERPETUAL.100ms', 'session.orders']);
    expect(sub).toEqual({ channels: ['ticker.BTC-PERPETUAL.100ms', 'session.orders'] });
    for (const m of [Method.PublicSubscribe, Method.PrivateSubscribe]) assertValid(validateRequest(m, sub));
    expectProtocolError(() => channelsParams([]), 'PROTO_ERR_BAD_CHANNEL', 'channels');
    expectProtocolError(() => channelsParams(['a', '']), 'PROTO_ERR_BAD_CHANNEL', 'channels[1]');
  });

  it('instruments: the engine sends no filter, and that is spec-valid', () => {
    assertValid(validateRequest(Method.Instruments, {}));
  });
});

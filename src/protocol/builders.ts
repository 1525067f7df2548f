import { ProtocolError } from './errors.js';
import type { ChannelsParams, LoginParams, SetCancelOnDisconnectParams, SetMmProtectionParams } from './rpc-types.js';

/**
 * Builders of the params of the engine's cold requests (bootstrap and protection re-arming), in
 * the spec's shapes (openapi.json `paths.<method>`). Each one validates its input and throws a
 * ProtocolError BEFORE anything is sent. The hot requests (`private/mass_quote`,
 * `private/cancel_mass_quote`) are not built here: codec/mass-quote-encoder.ts writes them
 * straight into the frame buffer, and test/codec checks its output against the spec.
 */

function checkProduct(p: unknown, path: string): string {
  if (typeof p !== 'string' || p.length === 0) {
    throw new ProtocolError('PROTO_ERR_BAD_PRODUCT', `product must be a non-empty string, got ${JSON.stringify(p)}`, path);
  }
  return p;
}

/**
 * `private/set_mm_protection` params `{product, trade_amount, quote_amount}` (the deprecated
 * `amount` is never sent). Spec: trade_amount "must be lower or equal to the quote_amount".
 */
export function setMmProtectionParams(product: string, tradeAmount: number, quoteAmount: number): SetMmProtectionParams {
  checkProduct(product, 'product');
  for (const [v, path] of [
    [tradeAmount, 'trade_amount'],
    [quoteAmount, 'quote_amount'],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new ProtocolError('PROTO_ERR_BAD_PROTECTION_AMOUNT', `must be a finite number ≥ 0, got ${String(v)}`, path);
    }
  }
  if (tradeAmount > quoteAmount) {
    throw new ProtocolError(
      'PROTO_ERR_BAD_PROTECTION_AMOUNT',
      `trade_amount ${tradeAmount} exceeds quote_amount ${quoteAmount}`,
      'trade_amount',
    );
  }
  return { product, trade_amount: tradeAmount, quote_amount: quoteAmount };
}

/** `private/set_cancel_on_disconnect` params; `timeout_secs` is an integer (spec). */
export function setCancelOnDisconnectParams(timeoutSecs: number): SetCancelOnDisconnectParams {
  if (!Number.isSafeInteger(timeoutSecs) || timeoutSecs < 1) {
    throw new ProtocolError('PROTO_ERR_BAD_TIMEOUT', `must be a positive integer, got ${String(timeoutSecs)}`, 'timeout_secs');
  }
  return { timeout_secs: timeoutSecs };
}

/** `public/login` params. */
export function loginParams(token: string, account?: string): LoginParams {
  if (typeof token !== 'string' || token.length === 0) {
    throw new ProtocolError('PROTO_ERR_BAD_LOGIN', 'token must be a non-empty string', 'token');
  }
  if (account === undefined) return { token };
  if (typeof account !== 'string' || account.length === 0) {
    throw new ProtocolError('PROTO_ERR_BAD_LOGIN', 'account must be a non-empty string', 'account');
  }
  return { token, account };
}

/** `public/subscribe` / `private/subscribe` params. */
export function channelsParams(channels: readonly string[]): ChannelsParams {
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new ProtocolError('PROTO_ERR_BAD_CHANNEL', 'channels must be a non-empty array', 'channels');
  }
  for (let k = 0; k < channels.length; k++) {
    const c = channels[k];
    if (typeof c !== 'string' || c.length === 0) {
      throw new ProtocolError('PROTO_ERR_BAD_CHANNEL', `must be a non-empty string, got ${JSON.stringify(c)}`, `channels[${k}]`);
    }
  }
  return { channels: channels.slice() };
}

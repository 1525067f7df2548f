import { ProtocolError } from './errors.js';

/** Subscription delays (ws_spec.json `components.schemas.Delay`). go-thalex knows only three. */
export const DELAYS = ['raw', '100ms', '200ms', '500ms', '1000ms', '5000ms', '60000ms'] as const;
export type Delay = (typeof DELAYS)[number];

export type TickerChannel = `ticker.${string}.${Delay}`;

/** Private channels (need `private/subscribe` after login), ws_spec.json paths. */
export const PrivateChannel = {
  SessionOrders: 'session.orders',
  SessionMmProtection: 'session.mm_protection',
  AccountOrders: 'account.orders',
  AccountPersistentOrders: 'account.persistent_orders',
  AccountTradeHistory: 'account.trade_history',
  AccountOrderHistory: 'account.order_history',
  AccountPortfolio: 'account.portfolio',
  AccountSummary: 'account.summary',
} as const;
export type PrivateChannelName = (typeof PrivateChannel)[keyof typeof PrivateChannel];

/** Public channels with a fixed name. */
export const PublicChannel = {
  System: 'system',
  Instruments: 'instruments',
} as const;
export type PublicChannelName = (typeof PublicChannel)[keyof typeof PublicChannel];

function isDelay(d: unknown): d is Delay {
  return typeof d === 'string' && (DELAYS as readonly string[]).includes(d);
}

/**
 * A name part must be non-empty and must not hold whitespace; instrument names may hold anything
 * else (combinations are `[BTC-30MAY25-93000-C:-1,BTC-30MAY25-80000-C:1]`, spec ticker params).
 */
function namePart(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0 || /\s/.test(v)) {
    throw new ProtocolError('PROTO_ERR_BAD_CHANNEL', `${what} must be a non-empty string without whitespace, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** `ticker.<instrument>.<delay>`, e.g. `ticker.BTC-PERPETUAL.100ms`. */
export function tickerChannel(instrument: string, delay: Delay): TickerChannel {
  if (!isDelay(delay)) {
    throw new ProtocolError('PROTO_ERR_BAD_CHANNEL', `delay must be one of ${DELAYS.join(', ')}, got ${JSON.stringify(delay)}`);
  }
  return `ticker.${namePart(instrument, 'instrument')}.${delay}`;
}

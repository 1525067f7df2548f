/**
 * JSON-RPC method names: the keys of openapi.json `paths` that carry an `rpc` operation (the
 * `/`-prefixed keys are their REST twins). Only what the quoter calls, plus a few read calls.
 */
export const Method = {
  Login: 'public/login',
  SetCancelOnDisconnect: 'private/set_cancel_on_disconnect',
  CancelSession: 'private/cancel_session',
  MassQuote: 'private/mass_quote',
  CancelMassQuote: 'private/cancel_mass_quote',
  SetMmProtection: 'private/set_mm_protection',
  PublicSubscribe: 'public/subscribe',
  PrivateSubscribe: 'private/subscribe',
  /**
   * The spec's only unsubscribe method (public and private channels may be mixed). The Rust and Go
   * SDKs send `public/unsubscribe` / `private/unsubscribe`, which the spec does not list.
   */
  Unsubscribe: 'unsubscribe',
  Instruments: 'public/instruments',
  Instrument: 'public/instrument',
  AllInstruments: 'public/all_instruments',
  Ticker: 'public/ticker',
  Index: 'public/index',
  CancelAll: 'private/cancel_all',
  OpenOrders: 'private/open_orders',
  Portfolio: 'private/portfolio',
  TradeHistory: 'private/trade_history',
  AccountSummary: 'private/account_summary',
} as const;

export type MethodName = (typeof Method)[keyof typeof Method];

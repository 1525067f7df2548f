/**
 * JSON-RPC method names the quoter sends: the keys of openapi.json `paths` that carry an `rpc`
 * operation (the `/`-prefixed keys are their REST twins). The cold requests go through
 * protocol/request.ts with these names; the mass-quote encoder pre-encodes the two hot ones.
 */
export const Method = {
  Login: 'public/login',
  SetCancelOnDisconnect: 'private/set_cancel_on_disconnect',
  MassQuote: 'private/mass_quote',
  CancelMassQuote: 'private/cancel_mass_quote',
  SetMmProtection: 'private/set_mm_protection',
  PublicSubscribe: 'public/subscribe',
  PrivateSubscribe: 'private/subscribe',
  Instruments: 'public/instruments',
} as const;

export type MethodName = (typeof Method)[keyof typeof Method];

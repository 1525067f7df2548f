import { defaultOptionsParams, OP_VEGA_SIZE } from '../../src/pricing/options-pricer.js';
import type { InstrumentSpec } from '../../src/pricing/pricer.js';
import { SECONDS_PER_YEAR } from '../../src/pricing/black76.js';
import { PRICER_PARAMS } from '../../src/rings/control-layout.js';
import * as L from '../../src/rings/layout.js';

/** One BTC option 30 days out on a 95 000 forward at 55 % vol, and the rows the tests price it with. */
export const NOW = 1_772_000_000;
export const EXPIRY = NOW + 30 * 86_400;
export const T = (EXPIRY - NOW) / SECONDS_PER_YEAR;
export const F = 95_000;

export function spec(kind: 'call' | 'put' | undefined, strike = 100_000): InstrumentSpec {
  const base = { name: `BTC-X-${strike}-${kind ?? 'perp'}`, tickSize: 5, volumeTickSize: 0.01, minOrderAmount: 0.01 };
  return kind === undefined ? base : { ...base, optionType: kind, strike, expiry: EXPIRY };
}

export function tick(over: Partial<Record<keyof typeof L, number>> = {}): Float64Array {
  const t = new Float64Array(L.TICK_FIELDS).fill(Number.NaN);
  t[L.F_FORWARD] = F;
  t[L.F_INDEX] = F - 100;
  t[L.F_IV] = 0.55;
  t[L.F_MARK_TIMESTAMP] = NOW;
  for (const [k, v] of Object.entries(over)) t[(L as unknown as Record<string, number>)[k]!] = v!;
  return t;
}

export function params(over: Record<number, number> = {}): Float64Array {
  const p = defaultOptionsParams(new Float64Array(PRICER_PARAMS));
  p[OP_VEGA_SIZE] = 100;
  for (const [k, v] of Object.entries(over)) p[Number(k)] = v;
  return p;
}


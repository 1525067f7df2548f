/**
 * A simulated BTC option chain: weekly expiries (Fridays 08:00 UTC, Thalex's expiry time) with
 * strikes around the starting forward, calls and puts, next to the BTC perpetual that serves as
 * its underlying. Instruments follow the spec's Instrument schema and Thalex naming
 * (`BTC-10SEP21-70000-C`, product `OBTCUSD`, tick 5 as in the spec's example).
 */
import type { SimInstrument } from './instruments.js';

export interface OptionChainOptions {
  /** Expiries, the nearest first. Default 3. */
  expiries?: number;
  /** Strikes per expiry, centred on the starting price. Default 40. */
  strikes?: number;
  /** Strike spacing of the front expiry; each later expiry doubles it. Default 1000. */
  strikeStep?: number;
  /** Index at the start (the perpetual's starting price). Default 95 000. */
  startPrice?: number;
  /** Venue time at the start, Unix seconds: expiries are the Fridays after it. */
  now: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** Expiries closer than this to the start are skipped (nothing left to quote). */
const MIN_LIFE_SECS = 86_400;
const CREATED = 1_700_000_000;

/** The Fridays 08:00 UTC at least a day after `now`, the nearest first. */
export function weeklyExpiries(now: number, n: number): number[] {
  const d = new Date(now * 1000);
  d.setUTCHours(8, 0, 0, 0);
  // getUTCDay: 5 = Friday.
  d.setUTCDate(d.getUTCDate() + ((5 - d.getUTCDay() + 7) % 7));
  const out: number[] = [];
  let t = d.getTime() / 1000;
  while (out.length < n) {
    if (t - now >= MIN_LIFE_SECS) out.push(t);
    t += 7 * 86_400;
  }
  return out;
}

/** `10SEP21` for an expiry timestamp (Thalex option names). */
export function expiryCode(ts: number): string {
  const d = new Date(ts * 1000);
  return `${d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${String(d.getUTCFullYear() % 100).padStart(2, '0')}`;
}

/** The chain's options (no perpetual): for each expiry, each strike, a call and a put. */
export function optionChainInstruments(opts: OptionChainOptions): SimInstrument[] {
  const nExp = opts.expiries ?? 3;
  const nStrikes = opts.strikes ?? 40;
  const baseStep = opts.strikeStep ?? 1000;
  const start = opts.startPrice ?? 95_000;
  const out: SimInstrument[] = [];
  const expiries = weeklyExpiries(opts.now, nExp);
  expiries.forEach((exp, e) => {
    const step = baseStep * 2 ** e;
    const atm = Math.round(start / step) * step;
    const first = atm - Math.floor(nStrikes / 2) * step;
    const code = expiryCode(exp);
    const date = new Date(exp * 1000).toISOString().slice(0, 10);
    for (let k = 0; k < nStrikes; k++) {
      const strike = first + k * step;
      if (strike <= 0) continue;
      for (const kind of ['C', 'P'] as const) {
        out.push({
          instrument_name: `BTC-${code}-${strike}-${kind}`,
          product: 'OBTCUSD',
          tick_size: 5,
          volume_tick_size: 0.01,
          min_order_amount: 0.01,
          underlying: 'BTCUSD',
          type: 'option',
          option_type: kind === 'C' ? 'call' : 'put',
          expiry_date: date,
          expiration_timestamp: exp,
          strike_price: strike,
          base_currency: 'USD',
          create_time: CREATED,
          // Replaced by the surface's mark at the first step; a rough intrinsic-plus value meanwhile.
          startPrice: Math.max(5, kind === 'C' ? start - strike : strike - start) + 500,
        });
      }
    }
  });
  return out;
}

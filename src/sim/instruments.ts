import type { Instrument } from '../protocol/instrument.js';

/** A simulated instrument: the spec's Instrument fields plus the reference price it starts at. */
export interface SimInstrument extends Instrument {
  instrument_name: string;
  product: string;
  tick_size: number;
  volume_tick_size: number;
  min_order_amount: number;
  type: 'perpetual' | 'future' | 'option' | 'combination';
  startPrice: number;
}

const CREATED = 1_700_000_000;

function perp(base: string, tick: number, lot: number, price: number): SimInstrument {
  return {
    instrument_name: `${base}-PERPETUAL`,
    product: `F${base}USD`,
    tick_size: tick,
    volume_tick_size: lot,
    min_order_amount: lot,
    underlying: `${base}USD`,
    type: 'perpetual',
    base_currency: 'USD',
    create_time: CREATED,
    startPrice: price,
  } as SimInstrument;
}

function option(strike: number, kind: 'C' | 'P', price: number): SimInstrument {
  return {
    instrument_name: `BTC-27MAR26-${strike}-${kind}`,
    product: 'OBTCUSD',
    tick_size: 5,
    volume_tick_size: 0.01,
    min_order_amount: 0.01,
    underlying: 'BTCUSD',
    type: 'option',
    option_type: kind === 'C' ? 'call' : 'put',
    expiry_date: '2026-03-27',
    expiration_timestamp: 1_774_598_400,
    strike_price: strike,
    base_currency: 'USD',
    create_time: CREATED,
    startPrice: price,
  } as SimInstrument;
}

/**
 * The default instrument set: the two perpetuals with Thalex's tick and lot sizes (BTC tick 1,
 * lot 0.001, as Thalex's own simple_quoter example uses) and a handful of BTC options.
 */
export function defaultInstruments(): SimInstrument[] {
  return [
    perp('BTC', 1, 0.001, 95_000),
    perp('ETH', 0.1, 0.01, 3_500),
    option(90_000, 'C', 7_500),
    option(100_000, 'C', 2_600),
    option(90_000, 'P', 2_400),
    option(100_000, 'P', 7_800),
  ];
}

/** `n` synthetic perpetuals (for benchmarks with many instruments), after the defaults. */
export function syntheticInstruments(n: number): SimInstrument[] {
  const out = defaultInstruments().slice(0, Math.min(n, 2));
  for (let k = out.length; k < n; k++) {
    const i = perp(`S${k}`, 0.01, 0.1, 100 + k);
    out.push(i);
  }
  return out;
}

/** What `public/instruments` returns: the spec's Instrument object, without our extra field. */
export function publicInstrument(i: SimInstrument): Instrument {
  const { startPrice: _, ...rest } = i;
  return rest;
}

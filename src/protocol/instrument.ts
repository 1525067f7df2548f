import type { InstrumentType, OptionType } from './enums.js';

/**
 * An instrument (spec `schemas.Instrument`). The spec marks NO field required, so every field is
 * optional here too; `public/instruments` answers carry the trading fields in practice, but a
 * consumer must check before use.
 */
export interface Instrument {
  instrument_name?: string;
  /** Product group, e.g. `FBTCUSD`, `OBTCUSD`: the key of `private/set_mm_protection`. */
  product?: string;
  /** Price alignment. */
  tick_size?: number;
  /** Amount alignment. */
  volume_tick_size?: number;
  /** ≥ volume_tick_size. */
  min_order_amount?: number;
  /** Related index, e.g. `BTCUSD`. */
  underlying?: string;
  type?: InstrumentType;
  option_type?: OptionType;
  /** YYYY-mm-dd */
  expiry_date?: string;
  /** Unix seconds (integer). */
  expiration_timestamp?: number;
  strike_price?: number;
  base_currency?: string;
  /** Combinations only. */
  legs?: Array<{ instrument_name?: string; quantity?: number }>;
  /** Unix seconds. */
  create_time?: number;
  settlement_price?: number;
  settlement_index_price?: number;
}

import type { SimInstrument } from './instruments.js';
import { roundTo } from './numbers.js';
import type { Rng } from './rng.js';

/** Option marks (option-market.ts): spec Ticker `iv`, `delta`, `forward` and `index`. */
export interface OptionFields {
  iv: number;
  delta: number;
  forward: number;
  index: number;
}

/**
 * The synthetic market of one instrument: a reference price (an option's mark) and a book around
 * it. An option's book side may be empty: NaN (its ticker then says `null`).
 */
export interface Market {
  inst: SimInstrument;
  ref: number;
  bid: number;
  ask: number;
  bidAmount: number;
  askAmount: number;
  last: number | null;
  volume: number;
  /** Spec Ticker: `collar_low` "checks new asks", `collar_high` "checks new bids". */
  collarLow: number;
  collarHigh: number;
  /** Options only. */
  option?: OptionFields;
}

export function newMarket(inst: SimInstrument, rng: Rng): Market {
  const m: Market = { inst, ref: inst.startPrice, bid: 0, ask: 0, bidAmount: 0, askAmount: 0, last: null, volume: 0, collarLow: 0, collarHigh: 0 };
  reprice(m, rng);
  return m;
}

/**
 * One random-walk step of the reference (never below ten ticks), then a new book around it. With
 * `alwaysMove`, a step that left the best bid where it was moves the reference a tick further
 * the same way, so that every ticker carries a new price (the bench's reaction measurement).
 */
export function walk(m: Market, rng: Rng, alwaysMove = false): void {
  const before = m.bid;
  const z = rng.normal();
  m.ref = Math.max(m.inst.tick_size * 10, m.ref * (1 + 0.0002 * z));
  reprice(m, rng);
  for (let k = 0; alwaysMove && m.bid === before && k < 4; k++) {
    m.ref = Math.max(m.inst.tick_size * 10, m.ref + (z >= 0 ? 1 : -1) * m.inst.tick_size);
    reprice(m, rng);
  }
}

/** Best bid and ask a half-spread (≥ one tick, 5 bp) around the reference, random amounts. */
function reprice(m: Market, rng: Rng): void {
  const t = m.inst.tick_size;
  const half = Math.max(t, m.ref * 0.0005);
  m.bid = Math.floor((m.ref - half) / t) * t;
  m.ask = Math.ceil((m.ref + half) / t) * t;
  if (m.ask <= m.bid) m.ask = m.bid + t;
  m.bid = roundTo(m.bid, t);
  m.ask = roundTo(m.ask, t);
  const lot = m.inst.volume_tick_size;
  m.bidAmount = roundTo((1 + Math.floor(rng.next() * 50)) * lot, lot);
  m.askAmount = roundTo((1 + Math.floor(rng.next() * 50)) * lot, lot);
  m.collarLow = roundTo(m.ref * 0.9, t);
  m.collarHigh = roundTo(m.ref * 1.1, t);
}

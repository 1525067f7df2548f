/**
 * The simulator's other option traders: a thin, often empty book around the mark, and takers
 * who pay up to a little over the mark, so that quotes priced through the mark are lifted first
 * (a market maker quoting from a wrong vol loses to them).
 */
import type { Rng } from './rng.js';

export interface ThinBook {
  /** NaN: that side of the book is empty (the ticker sends `null`). */
  bid: number;
  bidAmount: number;
  ask: number;
  askAmount: number;
}

/** Chance that a side of the synthetic book is empty. */
const EMPTY_SIDE = 0.35;
/** The synthetic book stands this fraction of the mark, at least 4 ticks, away from it. */
const BOOK_DISTANCE = 0.08;

/** A fresh synthetic book for an option marked at `mark`. */
export function thinBook(mark: number, tick: number, lot: number, rng: Rng, into: ThinBook): ThinBook {
  const away = Math.max(4 * tick, BOOK_DISTANCE * mark);
  const bid = Math.floor((mark - away) / tick) * tick;
  const ask = Math.ceil((mark + away) / tick) * tick;
  const bidEmpty = rng.next() < EMPTY_SIDE || bid < tick;
  const askEmpty = rng.next() < EMPTY_SIDE;
  into.bid = bidEmpty ? Number.NaN : bid;
  into.ask = askEmpty ? Number.NaN : ask;
  into.bidAmount = bidEmpty ? Number.NaN : (1 + Math.floor(rng.next() * 10)) * 10 * lot;
  into.askAmount = askEmpty ? Number.NaN : (1 + Math.floor(rng.next() * 10)) * 10 * lot;
  return into;
}

/** Largest edge over the mark a taker concedes, as a fraction of the mark. */
const TAKER_EDGE = 0.04;

/**
 * The worst price a taker accepts: a buyer pays up to mark × (1 + u·edge), a seller sells down to
 * mark × (1 − u·edge), u uniform in [0, 1). A quote through the mark is always within reach.
 */
export function takerLimit(mark: number, buys: boolean, rng: Rng): number {
  const e = TAKER_EDGE * rng.next();
  return buys ? mark * (1 + e) : mark * (1 - e);
}

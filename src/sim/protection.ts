import { ThalexErrorCode as E } from '../protocol/error-codes.js';
import { VenueReject } from './errors.js';
import type { QuoteBook } from './matching.js';
import { roundTo } from './numbers.js';
import type { SimSession } from './session.js';

/**
 * Market maker protection groups per session and product: set, and drawn down by executions;
 * an exhausted group deletes the product's quotes and must be set again.
 */
export class ProtectionGroups {
  readonly #book: QuoteBook;
  readonly #products: () => Set<string>;

  constructor(book: QuoteBook, products: () => Set<string>) {
    this.#book = book;
    this.#products = products;
  }

  set(s: SimSession, product: string, tradeAmount: number, quoteAmount: number): void {
    if (!this.#products().has(product)) throw new VenueReject(E.UnknownProduct, `unknown product ${product}`);
    if (!(tradeAmount > 0 && quoteAmount > 0) || tradeAmount > quoteAmount) {
      throw new VenueReject(E.InvalidProtGroup, 'trade_amount and quote_amount must be positive, trade_amount ≤ quote_amount');
    }
    s.protection.set(product, { tradeAmount, quoteAmount, remaining: tradeAmount });
    s.sink.protection([{ product, remaining_amount: tradeAmount, reason: 'refill' }]);
  }

  /** `qty` of the product's quotes traded: draw the group down, pull the quotes when it is used up. */
  executed(s: SimSession, product: string, qty: number): void {
    const g = s.protection.get(product);
    if (g === undefined) return;
    g.remaining = roundTo(g.remaining - qty, 1e-9);
    if (g.remaining <= 0) {
      this.#book.deleteQuotes(s, product, 'mm_protection', true);
      s.protection.delete(product);
    }
    s.sink.protection([{ product, remaining_amount: g.remaining, reason: 'executions' }]);
  }
}

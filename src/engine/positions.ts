/**
 * Positions per instrument, from two feeds that see the same trades at different times:
 *
 * - `fills` inside `session.orders` updates: low latency, ours only;
 * - `account.trade_history`: after the venue's database has the trade, with the authoritative
 *   `position_after` (spec: "sent only after trades have been fully processed … for low-latency
 *   execution notifications, check the fills field").
 *
 * The position is `confirmed + Σ unconfirmed fills`, where `confirmed` is the last
 * `position_after` (or the portfolio snapshot taken at (re)connect) and a fill stays
 * unconfirmed until its trade id shows up in the trade history. A trade seen on both channels
 * therefore counts once, whichever arrives first. Trade ids are remembered in a bounded window.
 */
export interface PositionsOptions {
  /** How many trade ids to remember for de-duplication. Default 100 000. */
  rememberTrades?: number;
}

interface Book {
  confirmed: number;
  /** trade id → signed amount, fills not yet in the trade history. */
  unconfirmed: Map<string, number>;
  unconfirmedSum: number;
}

export class Positions {
  readonly #books = new Map<string, Book>();
  readonly #seen = new Set<string>();
  readonly #seenOrder: string[] = [];
  #seenHead = 0;
  readonly #remember: number;
  /** Fills and trades dropped because their trade id was already counted. */
  duplicates = 0;

  constructor(options: PositionsOptions = {}) {
    this.#remember = options.rememberTrades ?? 100_000;
  }

  position(instrument: string): number {
    const b = this.#books.get(instrument);
    return b === undefined ? 0 : b.confirmed + b.unconfirmedSum;
  }

  /** Portfolio snapshot at (re)connect: the starting point; fills before it are history. */
  applySnapshot(entries: ReadonlyArray<{ instrument_name: string; position: number }>): void {
    for (const b of this.#books.values()) {
      b.confirmed = 0;
      b.unconfirmed.clear();
      b.unconfirmedSum = 0;
    }
    for (const e of entries) this.#book(e.instrument_name).confirmed = e.position;
  }

  /**
   * A later portfolio line. Taken as truth only when no fill is awaiting confirmation (else it
   * may predate those fills); returns the discrepancy it corrected, 0 if none.
   */
  applyPortfolioLine(instrument: string, position: number): number {
    const b = this.#book(instrument);
    if (b.unconfirmed.size > 0) return 0;
    const d = position - b.confirmed;
    b.confirmed = position;
    return d;
  }

  /** A fill from an order update. Returns false if this trade was already counted. */
  onFill(instrument: string, direction: 'buy' | 'sell', amount: number, tradeId: string): boolean {
    if (!this.#remember1(tradeId)) {
      this.duplicates++;
      return false;
    }
    const b = this.#book(instrument);
    const signed = direction === 'buy' ? amount : -amount;
    b.unconfirmed.set(tradeId, signed);
    b.unconfirmedSum += signed;
    return true;
  }

  /**
   * A trade from `account.trade_history`. Confirms the fill with the same trade id (or counts a
   * trade whose fill we never saw) and rebases on `position_after`. Returns true when this is the
   * first sighting of the trade (no fill reported it).
   */
  onTrade(instrument: string, direction: 'buy' | 'sell', amount: number, tradeId: string, positionAfter: number | undefined): boolean {
    const b = this.#book(instrument);
    const signed = direction === 'buy' ? amount : -amount;
    const pending = b.unconfirmed.get(tradeId);
    let first = false;
    if (pending !== undefined) {
      b.unconfirmed.delete(tradeId);
      b.unconfirmedSum -= pending;
    } else if (!this.#remember1(tradeId)) {
      // Already confirmed earlier (a re-sent history line): nothing to do.
      this.duplicates++;
      return false;
    } else {
      first = true;
    }
    if (positionAfter !== undefined && Number.isFinite(positionAfter)) b.confirmed = positionAfter;
    else b.confirmed += signed;
    if (b.unconfirmed.size === 0) b.unconfirmedSum = 0; // no drift from float sums
    return first;
  }

  instruments(): string[] {
    return [...this.#books.keys()];
  }

  #book(instrument: string): Book {
    let b = this.#books.get(instrument);
    if (b === undefined) {
      b = { confirmed: 0, unconfirmed: new Map(), unconfirmedSum: 0 };
      this.#books.set(instrument, b);
    }
    return b;
  }

  /** Remembers a trade id; false if it was already known. */
  #remember1(tradeId: string): boolean {
    if (this.#seen.has(tradeId)) return false;
    this.#seen.add(tradeId);
    if (this.#seenOrder.length < this.#remember) {
      this.#seenOrder.push(tradeId);
    } else {
      // Ring over the id window: forget the oldest.
      this.#seen.delete(this.#seenOrder[this.#seenHead]!);
      this.#seenOrder[this.#seenHead] = tradeId;
      this.#seenHead = (this.#seenHead + 1) % this.#remember;
    }
    return true;
  }
}

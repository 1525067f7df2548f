import type { OrderStatus } from '../protocol/notification-types.js';

/** One resting mass-quote level: an order at the venue. */
export interface RestingLevel {
  orderId: string;
  price: number;
  amount: number;
  filled: number;
  createTime: number;
  label: string | undefined;
}

/** A session's market maker protection group for one product. */
export interface Protection {
  tradeAmount: number;
  quoteAmount: number;
  remaining: number;
}

/** What the venue needs to tell a session (the server turns these into notifications). */
export interface SessionSink {
  orders(updates: OrderStatus[]): void;
  trades(trades: Array<Record<string, unknown>>): void;
  portfolio(lines: Array<Record<string, unknown>>): void;
  protection(lines: Array<{ product: string; remaining_amount: number; reason: string }>): void;
}

/** One login session: its mass quotes and protection groups die with it. */
export class SimSession {
  readonly quotes = new Map<string, { bid: RestingLevel[]; ask: RestingLevel[] }>();
  readonly protection = new Map<string, Protection>();
  cancelOnDisconnect = false;
  ended = false;

  constructor(
    readonly id: number,
    readonly account: string,
    readonly sink: SessionSink,
  ) {}
}

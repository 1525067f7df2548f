import { SnapshotTimeoutError } from './errors.js';
import type { FillEvent } from './events.js';
import { ASK, BID, type LiveQuotes } from './live-quotes.js';
import type { Positions } from './positions.js';
import type { Protection } from './protection.js';
import { O_BY_PROTECTION, O_GONE, O_PARTIAL, O_REPLACED, OrdersScanner, type OrdersScanSink } from './orders-scan.js';
import { indicesByProduct } from './product-index.js';
import { PROTECTION_REASONS, ProtectionScanner, type ProtectionScanSink } from './protection-scan.js';

/** The slice of an OrderStatus (spec `schemas.OrderStatus`) the engine reads. */
interface OrderUpdate {
  order_id?: string;
  instrument_name?: string;
  direction?: 'buy' | 'sell';
  status?: string;
  change_reason?: string;
  delete_reason?: string;
  fills?: Array<{ trade_id?: string; price?: number; amount?: number; time?: number }>;
}

interface TradeLine {
  trade_id?: string;
  price?: number;
  time?: number;
  order_id?: string;
  instrument_name?: string;
  direction?: 'buy' | 'sell';
  amount?: number;
  position_after?: number;
}

/** Items of a notification list may be anything: only an object (not null, not an array) has fields. */
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** `1e999` parses as Infinity: not a number the engine can count with. */
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export interface AccountFeedSink {
  fill(event: FillEvent): void;
  /** The position of an instrument may have changed (fill, trade history, portfolio line). */
  position(instrument: string): void;
  /** A notification the engine could not use (wrong shape): reported, never dropped silently. */
  malformed(channel: string, detail: string): void;
}

/**
 * Applies the private channels to the engine's state: fills and trades to positions, deleted
 * quotes to the live-quote book (so the next quote re-sends them), protection notices and
 * protection deletes to the protection state machine. Also tells the bootstrap when the order
 * and portfolio snapshots of the current connection have arrived.
 */
export class AccountFeed implements OrdersScanSink, ProtectionScanSink {
  readonly #positions: Positions;
  readonly #protection: Protection;
  readonly #live: LiveQuotes;
  readonly #index: ReadonlyMap<string, number>;
  readonly #productOf: ReadonlyMap<string, string>;
  readonly #sink: AccountFeedSink;
  /** Reads `session.orders` frames by bytes into onScannedOrder (see account-routes.ts). */
  readonly scanner: OrdersScanner;
  /** Product of each instrument index, for orders read by bytes (OrdersScanner). */
  readonly #productByIndex: Array<string | undefined> = [];
  readonly #indicesByProduct: Map<string, number[]>;
  /** Reads `session.mm_protection` frames by bytes into onScannedProtection; its product list. */
  readonly protectionScanner: ProtectionScanner;
  readonly #products: string[];
  #ordersSnapshot = false;
  #portfolioSnapshot = false;
  #snapshotWaiter: (() => void) | undefined;

  constructor(
    positions: Positions,
    protection: Protection,
    live: LiveQuotes,
    index: ReadonlyMap<string, number>,
    productOf: ReadonlyMap<string, string>,
    sink: AccountFeedSink,
  ) {
    this.#positions = positions;
    this.#protection = protection;
    this.#live = live;
    this.#index = index;
    this.#productOf = productOf;
    this.#sink = sink;
    for (const [name, idx] of index) this.#productByIndex[idx] = productOf.get(name);
    this.#indicesByProduct = indicesByProduct(this.#productByIndex);
    this.#products = [...this.#indicesByProduct.keys()];
    this.protectionScanner = new ProtectionScanner(this.#products);
    const names: string[] = [];
    for (const [name, idx] of index) names[idx] = name;
    this.scanner = new OrdersScanner(names);
  }

  /** A new connection: its snapshots have not arrived yet. */
  resetSnapshots(): void {
    this.#ordersSnapshot = false;
    this.#portfolioSnapshot = false;
  }

  /** Resolves once both snapshots of the current connection have arrived. */
  snapshots(timeoutMs: number): Promise<void> {
    if (this.#ordersSnapshot && this.#portfolioSnapshot) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#snapshotWaiter = undefined;
        const missing = [!this.#ordersSnapshot && 'session.orders', !this.#portfolioSnapshot && 'account.portfolio'];
        reject(new SnapshotTimeoutError(`no snapshot within ${timeoutMs} ms on ${missing.filter(Boolean).join(' and ')}`));
      }, timeoutMs);
      this.#snapshotWaiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** True until this connection's order snapshot has been seen (it must always be parsed). */
  get awaitingOrdersSnapshot(): boolean {
    return !this.#ordersSnapshot;
  }

  /** Order frames handled by the byte scan (OrdersScanner) instead of JSON.parse. */
  scannedOrderFrames = 0;

  /** One order update read by OrdersScanner: the same effects as #order for an update without fills. */
  onScannedOrder(idx: number, side: number, flags: number, nowMs: number): void {
    if (idx < 0 || (flags & O_REPLACED) !== 0) return;
    if ((flags & (O_GONE | O_PARTIAL)) !== 0) this.#live.forget(idx, side === 0 ? BID : ASK);
    if ((flags & O_BY_PROTECTION) !== 0) {
      const product = this.#productByIndex[idx];
      if (product !== undefined) this.#protection.onQuoteDeletedByProtection(product, nowMs);
    }
  }

  onOrders(channel: string, notification: unknown, nowMs: number): void {
    if (!Array.isArray(notification)) {
      this.#sink.malformed(channel, 'notification is not an array');
      return;
    }
    for (const o of notification as unknown[]) this.#order(channel, o, nowMs);
    if (!this.#ordersSnapshot) {
      // The spec sends open orders "immediately upon subscription": the first notification is it.
      this.#ordersSnapshot = true;
      this.#checkSnapshots();
    }
  }

  onTrades(channel: string, notification: unknown): void {
    if (!Array.isArray(notification)) {
      this.#sink.malformed(channel, 'notification is not an array');
      return;
    }
    for (const line of notification as unknown[]) {
      const t = line as TradeLine;
      if (!isObject(line) || typeof t.instrument_name !== 'string' || typeof t.trade_id !== 'string' || !isFiniteNumber(t.amount) || (t.direction !== 'buy' && t.direction !== 'sell')) {
        this.#sink.malformed(channel, 'trade line lacks instrument_name, trade_id, amount or direction');
        continue;
      }
      const first = this.#positions.onTrade(t.instrument_name, t.direction, t.amount, t.trade_id, t.position_after);
      if (first) {
        // The order update with this fill never came (or comes later): report the fill now.
        this.#sink.fill({
          instrument: t.instrument_name,
          direction: t.direction,
          price: typeof t.price === 'number' ? t.price : Number.NaN,
          amount: t.amount,
          tradeId: t.trade_id,
          orderId: t.order_id ?? '',
          time: typeof t.time === 'number' ? t.time : Date.now() / 1000,
          position: this.#positions.position(t.instrument_name),
        });
      }
      this.#sink.position(t.instrument_name);
    }
  }

  onPortfolio(channel: string, notification: unknown): void {
    if (!Array.isArray(notification)) {
      this.#sink.malformed(channel, 'notification is not an array');
      return;
    }
    const lines = (notification as unknown[]).filter(
      (l): l is { instrument_name: string; position: number } => isObject(l) && typeof l['instrument_name'] === 'string' && isFiniteNumber(l['position']),
    );
    if (lines.length !== notification.length) this.#sink.malformed(channel, 'portfolio line lacks instrument_name or position');
    if (!this.#portfolioSnapshot) {
      this.#positions.applySnapshot(lines);
      for (const l of lines) this.#sink.position(l.instrument_name);
      this.#portfolioSnapshot = true;
      this.#checkSnapshots();
      return;
    }
    for (const l of lines) {
      this.#positions.applyPortfolioLine(l.instrument_name, l.position);
      this.#sink.position(l.instrument_name);
    }
  }

  onProtection(channel: string, notification: unknown, nowMs: number): void {
    if (!Array.isArray(notification)) {
      this.#sink.malformed(channel, 'notification is not an array');
      return;
    }
    for (const n of notification as Array<{ product?: unknown; remaining_amount?: unknown; reason?: unknown }>) {
      if (!isObject(n) || typeof n.product !== 'string' || !isFiniteNumber(n.remaining_amount) || typeof n.reason !== 'string') {
        this.#sink.malformed(channel, 'protection line lacks product, remaining_amount or reason');
        continue;
      }
      this.#protectionLine(n.product, n.remaining_amount, n.reason, nowMs);
    }
  }

  /** A protection line read by bytes (ProtectionScanner): indices into its product list and PROTECTION_REASONS. */
  onScannedProtection(product: number, remaining: number, reason: number, nowMs: number): void {
    this.#protectionLine(this.#products[product]!, remaining, PROTECTION_REASONS[reason]!, nowMs);
  }

  #protectionLine(product: string, remaining: number, reason: string, nowMs: number): void {
    this.#protection.onNotification(product, remaining, reason, nowMs);
    // A trip, a cancel-all, a session end or a failover deletes the group's quotes; a refill or
    // a partial execution does not.
    if (remaining <= 0 || (reason !== 'executions' && reason !== 'refill')) this.#forgetProduct(product);
  }

  #order(channel: string, item: unknown, nowMs: number): void {
    const o = item as OrderUpdate;
    const name = o?.instrument_name;
    if (!isObject(item) || typeof name !== 'string' || (o.direction !== 'buy' && o.direction !== 'sell')) {
      this.#sink.malformed(channel, 'order update lacks instrument_name or direction');
      return;
    }
    // `existing` (the snapshot) lists all past fills: history, not news.
    if (o.fills !== undefined && o.change_reason !== 'existing') {
      const fills: unknown[] = Array.isArray(o.fills) ? o.fills : [undefined];
      let bad = false;
      for (const fi of fills) {
        const f = fi as NonNullable<OrderUpdate['fills']>[number];
        if (!isObject(fi) || typeof f.trade_id !== 'string' || !isFiniteNumber(f.amount)) {
          bad = true;
          continue;
        }
        if (this.#positions.onFill(name, o.direction, f.amount, f.trade_id)) {
          this.#sink.fill({
            instrument: name,
            direction: o.direction,
            price: typeof f.price === 'number' ? f.price : Number.NaN,
            amount: f.amount,
            tradeId: f.trade_id,
            orderId: o.order_id ?? '',
            time: typeof f.time === 'number' ? f.time : nowMs / 1000,
            position: this.#positions.position(name),
          });
          this.#sink.position(name);
        }
      }
      if (bad) this.#sink.malformed(channel, 'order update fills are not [{trade_id, amount}, …]');
    }
    const idx = this.#index.get(name);
    if (idx === undefined) return;
    // Our own mass quote replaced this order: what is live is what we just sent.
    if (o.delete_reason === 'replaced') return;
    const gone = o.delete_reason !== undefined || o.status === 'filled' || o.status === 'cancelled' || o.status === 'cancelled_partially_filled';
    const partlyFilled = o.status === 'partially_filled';
    if (gone || partlyFilled) {
      // The venue's side no longer matches what we sent (a remainder, or other levels, may still
      // be there): unknown, so it is re-sent in full next time, or deleted (`[]`) by a pull.
      this.#live.forget(idx, o.direction === 'buy' ? BID : ASK);
    }
    if (o.delete_reason === 'mm_protection') {
      const product = this.#productOf.get(name);
      if (product !== undefined) this.#protection.onQuoteDeletedByProtection(product, nowMs);
    }
  }

  /** The venue deleted the product's quotes (trip, cancel, session end, failover): nothing is live. */
  #forgetProduct(product: string): void {
    const list = this.#indicesByProduct.get(product);
    if (list === undefined) return;
    for (let k = 0; k < list.length; k++) this.#live.clearInstrument(list[k]!);
  }

  #checkSnapshots(): void {
    if (this.#ordersSnapshot && this.#portfolioSnapshot && this.#snapshotWaiter !== undefined) {
      const w = this.#snapshotWaiter;
      this.#snapshotWaiter = undefined;
      w();
    }
  }
}

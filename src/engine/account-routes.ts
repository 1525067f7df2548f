import { performance } from 'node:perf_hooks';
import type { ChannelRouter } from '../rpc/channel-router.js';
import type { AccountFeed } from './account-feed.js';

/**
 * The private channels' routes, as the engine wires them (exported so that the fuzz tests drive
 * exactly this). `session.orders` is a raw route: order frames (our inserts and replacements on
 * every requote, every order of a bulk cancel) are read in one pass by bytes; a fill, the
 * snapshot and anything the scan cannot be sure of are parsed. `session.mm_protection` is one
 * too (a cancel-all's notice lists every product). The others are parsed routes.
 */
export function routeAccountChannels(ch: ChannelRouter, feed: AccountFeed, notJson: (channel: string) => void): void {
  const scanner = feed.scanner;
  ch.addRaw('session.orders', {
    onRawNotification: (data, start, end) => {
      const now = performance.now();
      if (!feed.awaitingOrdersSnapshot && scanner.scan(data, start, end, feed, now)) {
        feed.scannedOrderFrames++;
        return;
      }
      const n = parsedNotification(data, start, end);
      if (n === NOT_JSON) notJson('session.orders');
      else feed.onOrders('session.orders', n, now);
    },
  });
  const protection = feed.protectionScanner;
  ch.addRaw('session.mm_protection', {
    onRawNotification: (data, start, end) => {
      const now = performance.now();
      if (protection.scan(data, start, end, feed, now)) return;
      const n = parsedNotification(data, start, end);
      if (n === NOT_JSON) notJson('session.mm_protection');
      else feed.onProtection('session.mm_protection', n, now);
    },
  });
  ch.addParsed('account.trade_history', (c, n) => feed.onTrades(c, n));
  ch.addParsed('account.portfolio', (c, n) => feed.onPortfolio(c, n));
}

const NOT_JSON = Symbol('not JSON');

/** The JSON path of a raw route: the frame's `notification`, or NOT_JSON. */
function parsedNotification(data: Buffer, start: number, end: number): unknown {
  try {
    return (JSON.parse(data.toString('utf8', start, end)) as { notification?: unknown }).notification;
  } catch {
    return NOT_JSON;
  }
}

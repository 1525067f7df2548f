import { performance } from 'node:perf_hooks';
import type { ChannelRouter } from '../rpc/channel-router.js';
import type { AccountFeed } from './account-feed.js';

/**
 * The private channels' routes, as the engine wires them (exported so that the fuzz tests drive
 * exactly this). `session.orders` is a raw route: order frames (our inserts and replacements on
 * every requote, every order of a bulk cancel) are read in one pass by bytes; a fill, the
 * snapshot and anything the scan cannot be sure of are parsed. The others are parsed routes.
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
      let msg: { notification?: unknown };
      try {
        msg = JSON.parse(data.toString('utf8', start, end)) as typeof msg;
      } catch {
        notJson('session.orders');
        return;
      }
      feed.onOrders('session.orders', msg.notification, now);
    },
  });
  ch.addParsed('account.trade_history', (c, n) => feed.onTrades(c, n));
  ch.addParsed('account.portfolio', (c, n) => feed.onPortfolio(c, n));
  ch.addParsed('session.mm_protection', (c, n) => feed.onProtection(c, n, performance.now()));
}

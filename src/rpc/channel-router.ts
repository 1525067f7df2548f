import { CHANNEL_NAME_OFFSET } from './peek.js';

/**
 * Receives notifications of a channel prefix as bytes, unparsed: the hot route for tickers,
 * whose bytes go straight to the decoder. `data[start, end)` is borrowed for the call only;
 * the channel name is `data[chStart, chEnd)`.
 */
export interface RawChannelHandler {
  onRawNotification(data: Buffer, start: number, end: number, chStart: number, chEnd: number): void;
}

/** Receives parsed notifications of a channel prefix (orders, portfolio, protection, system…). */
export type ParsedChannelHandler = (channel: string, notification: unknown) => void;

interface Route {
  readonly prefix: Buffer;
  readonly prefixText: string;
  readonly raw: RawChannelHandler | undefined;
  readonly parsed: ParsedChannelHandler | undefined;
}

/**
 * Routes notifications by channel-name prefix, longest prefix first. A few routes at most, so a
 * linear scan over byte prefixes beats a map that would need a string per message.
 */
export class ChannelRouter {
  #routes: Route[] = [];

  /** Route channels starting with `prefix` to a handler that gets the bytes. */
  addRaw(prefix: string, handler: RawChannelHandler): void {
    this.#add({ prefix: Buffer.from(prefix, 'utf8'), prefixText: prefix, raw: handler, parsed: undefined });
  }

  /** Route channels starting with `prefix` to a handler that gets the parsed notification. */
  addParsed(prefix: string, handler: ParsedChannelHandler): void {
    this.#add({ prefix: Buffer.from(prefix, 'utf8'), prefixText: prefix, raw: undefined, parsed: handler });
  }

  remove(prefix: string): void {
    this.#routes = this.#routes.filter((r) => r.prefixText !== prefix);
  }

  #add(route: Route): void {
    this.remove(route.prefixText);
    this.#routes.push(route);
    this.#routes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** The route whose prefix matches the channel name bytes `data[chStart, chEnd)`, if any. */
  matchBytes(data: Uint8Array, chStart: number, chEnd: number): Route | undefined {
    const routes = this.#routes;
    const len = chEnd - chStart;
    for (let r = 0; r < routes.length; r++) {
      const route = routes[r]!;
      const p = route.prefix;
      if (p.length > len) continue;
      let k = 0;
      while (k < p.length && data[chStart + k] === p[k]) k++;
      if (k === p.length) return route;
    }
    return undefined;
  }

  matchText(channel: string): Route | undefined {
    for (const route of this.#routes) {
      if (channel.startsWith(route.prefixText)) return route;
    }
    return undefined;
  }
}

export { CHANNEL_NAME_OFFSET };
export type { Route as ChannelRoute };

import { performance } from 'node:perf_hooks';
import { ThalexErrorCode as E } from '../protocol/error-codes.js';
import { createAppServer, type AppServer, type ServerChoice, type ServerInfo, type WebSocket } from '../server/index.js';
import type { Authenticator } from './auth.js';
import { SimError } from './errors.js';
import { Faults } from './faults.js';
import { publicInstrument } from './instruments.js';
import type { ReactionMeter, ReactionSlot } from './reaction.js';
import { SimSession, Venue, VenueReject } from './venue.js';

export const DELAYS = ['raw', '100ms', '200ms', '500ms', '1000ms', '5000ms', '60000ms'];
const DELAY_MS: Record<string, number> = { raw: 0, '100ms': 100, '200ms': 200, '500ms': 500, '1000ms': 1000, '5000ms': 5000, '60000ms': 60000 };
const PRIVATE = new Set(['session.orders', 'account.orders', 'account.portfolio', 'account.trade_history', 'session.mm_protection']);

/** Per connection. */
export interface Conn extends ReactionSlot {
  id: number;
  closed: boolean;
  session: SimSession | undefined;
  subs: Set<string>;
  /** Last time (ms) anything arrived: message or ping (cancel-on-disconnect silence). */
  lastRxMs: number;
  timeoutSecs: number;
  tokens: number;
  tokensAt: number;
  lastTickerMs: Map<string, number>;
}

export interface ServerOptions {
  host: string;
  port: number;
  messageRate: number;
  throttle: boolean;
  account: string;
  tls?: { certFile: string; keyFile: string };
  /** Measures ticker → next mass_quote per connection (bench). */
  reaction?: ReactionMeter;
  server?: ServerChoice;
}

/**
 * The simulator's WebSocket front: uWebSockets.js (or the JS server where no native build loads,
 * see server/), one Conn per socket, compact JSON replies with `id` first and notifications with
 * `channel_name` first (thalex-protocol.md §1), every request answered, including unparseable ones.
 */
export class SimServer {
  readonly conns = new Set<WebSocket<Conn>>();
  readonly faults = new Faults();
  readonly #venue: Venue;
  readonly #auth: Authenticator;
  readonly #opts: ServerOptions;
  #app: AppServer | undefined;
  #nextConn = 1;
  #nextSession = 1;
  port = 0;
  /** Requests served, by method (inspection). */
  readonly calls = new Map<string, number>();

  constructor(venue: Venue, auth: Authenticator, opts: ServerOptions) {
    this.#venue = venue;
    this.#auth = auth;
    this.#opts = opts;
  }

  /** Which server serves, once listening. */
  get server(): ServerInfo | undefined {
    return this.#app?.info;
  }

  async listen(): Promise<number> {
    const app = createAppServer({ server: this.#opts.server, tls: this.#opts.tls });
    this.#app = app;
    app.ws<Conn>('/ws/api/v2', {
      maxPayloadLength: 4 * 1024 * 1024,
      upgrade: () => ({ id: this.#nextConn++, closed: false, session: undefined, subs: new Set(), lastRxMs: Date.now(), timeoutSecs: 0, tokens: this.#opts.messageRate, tokensAt: Date.now(), lastTickerMs: new Map(), reactArmedAt: 0 }),
      open: (ws) => {
        this.conns.add(ws);
      },
      message: (ws, text) => {
        const rxAt = this.#opts.reaction !== undefined ? performance.now() : 0;
        const conn = ws.getUserData();
        conn.lastRxMs = Date.now();
        void this.#onMessage(ws, conn, text, rxAt);
      },
      ping: (ws) => {
        ws.getUserData().lastRxMs = Date.now();
      },
      close: (ws) => {
        const conn = ws.getUserData();
        conn.closed = true;
        this.conns.delete(ws);
        if (conn.session !== undefined) this.#venue.endSession(conn.session, false);
      },
    });
    app.notFound((res) => {
      res.writeStatus('404 Not Found').end('not found: the API is at /ws/api/v2');
    });
    const port = await app.listen(this.#opts.host, this.#opts.port);
    if (port === undefined) throw new SimError('SIM_ERR_LISTEN', `cannot listen on ${this.#opts.host}:${this.#opts.port}`);
    this.port = port;
    return port;
  }

  close(): void {
    for (const ws of [...this.conns]) {
      const c = ws.getUserData();
      if (!c.closed) ws.end(1001, 'simulator stopping');
    }
    this.#app?.close();
  }

  send(ws: WebSocket<Conn>, text: string): void {
    const c = ws.getUserData();
    if (c.closed) return;
    ws.send(text, false);
  }

  notify(ws: WebSocket<Conn>, channel: string, notification: unknown): void {
    if (!ws.getUserData().subs.has(channel)) return;
    this.send(ws, JSON.stringify({ channel_name: channel, notification }));
  }

  /** Ticker notifications for the instruments that moved, honouring each channel's delay. */
  publishTickers(moved: readonly string[], nowMs: number, force = false): void {
    if (this.faults.feedPaused) return;
    const underlyings = new Set<string>();
    for (const name of moved) underlyings.add(String(this.#venue.instruments.get(name)?.underlying));
    for (const ws of this.conns) {
      const c = ws.getUserData();
      if (c.closed || c.subs.size === 0) continue;
      let sent = 0;
      ws.cork(() => {
        for (const name of moved) {
          for (const d of DELAYS) {
            const ch = `ticker.${name}.${d}`;
            if (!c.subs.has(ch)) continue;
            const last = c.lastTickerMs.get(ch) ?? 0;
            if (!force && nowMs - last < DELAY_MS[d]!) continue;
            c.lastTickerMs.set(ch, nowMs);
            sent++;
            this.send(ws, `{"channel_name":"${ch}","notification":${JSON.stringify(this.#venue.ticker(name))}}`);
          }
        }
        for (const u of underlyings) {
          const ch = `price_index.${u}`;
          if (c.subs.has(ch)) this.send(ws, `{"channel_name":"${ch}","notification":${JSON.stringify(this.#venue.index(u))}}`);
        }
      });
      // uWS writes a cork's sends when the callback returns: the tickers are with the kernel now.
      if (sent > 0 && this.#opts.reaction !== undefined) this.#opts.reaction.published(c);
    }
  }

  /** Ends sessions whose socket went silent past their cancel-on-disconnect timeout. */
  sweepSilent(nowMs: number): void {
    for (const ws of [...this.conns]) {
      const c = ws.getUserData();
      if (c.closed || c.timeoutSecs <= 0) continue;
      if (nowMs - c.lastRxMs > c.timeoutSecs * 1000) ws.close(); // abrupt: the session is dead
    }
  }

  /**
   * `account.orders` is account-wide (spec: "all active order changes", whereas `session.orders`
   * has "only orders that were inserted in the current WebSocket session"): every connection
   * logged into `account` hears every session's order updates.
   */
  #notifyAccount(account: string, channel: string, notification: unknown): void {
    for (const ws of this.conns) {
      const c = ws.getUserData();
      if (!c.closed && c.session?.account === account) this.notify(ws, channel, notification);
    }
  }

  broadcastSystem(event: Record<string, unknown>): void {
    for (const ws of this.conns) this.notify(ws, 'system', event);
  }

  async #onMessage(ws: WebSocket<Conn>, conn: Conn, text: string, rxAt: number): Promise<void> {
    let req: { id?: unknown; method?: unknown; params?: unknown };
    try {
      req = JSON.parse(text) as typeof req;
    } catch {
      this.#reply(ws, null, undefined, { code: E.InvalidRequest, message: 'request is not valid JSON' });
      return;
    }
    if (req === null || typeof req !== 'object' || Array.isArray(req)) {
      this.#reply(ws, null, undefined, { code: E.InvalidRequest, message: 'request must be a JSON object' });
      return;
    }
    const id = typeof req.id === 'number' && Number.isInteger(req.id) ? req.id : null;
    const method = typeof req.method === 'string' ? req.method : '';
    const params = req.params === undefined || req.params === null ? {} : req.params;
    if (typeof params !== 'object' || Array.isArray(params)) {
      this.#reply(ws, id, method, { code: E.InvalidRequest, message: 'params must be an object' });
      return;
    }
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    if (method === 'private/mass_quote' && this.#opts.reaction !== undefined) this.#opts.reaction.quoted(conn, rxAt);
    if ((this.#opts.throttle && !this.#take(conn)) || this.faults.throttled(method)) {
      this.#reply(ws, id, method, { code: E.ThrottleExceeded, message: 'throttle exceeded' });
      return;
    }
    const closing = this.faults.closing(method);
    if (closing?.when === 'before') {
      this.#kill(ws, closing.code);
      return;
    }
    try {
      const result = await this.#dispatch(ws, conn, method, params as Record<string, unknown>);
      if (closing !== undefined) {
        this.#kill(ws, closing.code);
        return;
      }
      this.#reply(ws, id, method, undefined, result);
    } catch (e) {
      if (e instanceof VenueReject) this.#reply(ws, id, method, { code: e.venueCode, message: e.message });
      else this.#reply(ws, id, method, { code: E.InvalidRequest, message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Closes a connection as a fault: with a close frame and `code`, or abruptly. */
  #kill(ws: WebSocket<Conn>, code: number | undefined): void {
    if (ws.getUserData().closed) return;
    if (code === undefined) ws.close();
    else ws.end(code, 'simulator fault');
  }

  #reply(ws: WebSocket<Conn>, id: number | null, method: string | undefined, error?: { code: number; message: string }, result?: unknown): void {
    const f = this.faults.onReply(method ?? '');
    if (f === 'drop') return;
    const text = error !== undefined ? JSON.stringify({ id, error }) : JSON.stringify({ id, result: result === undefined ? null : result });
    if (typeof f === 'number') {
      setTimeout(() => this.send(ws, text), f);
      return;
    }
    this.send(ws, text);
  }

  #take(conn: Conn): boolean {
    const now = Date.now();
    const rate = this.#opts.messageRate;
    conn.tokens = Math.min(rate, conn.tokens + ((now - conn.tokensAt) * rate) / 1000);
    conn.tokensAt = now;
    if (conn.tokens < 1) return false;
    conn.tokens -= 1;
    return true;
  }

  #session(conn: Conn): SimSession {
    if (conn.session === undefined) throw new VenueReject(E.NotLoggedIn, 'not logged in');
    return conn.session;
  }

  async #dispatch(ws: WebSocket<Conn>, conn: Conn, method: string, p: Record<string, unknown>): Promise<unknown> {
    const v = this.#venue;
    switch (method) {
      case 'public/login': {
        if (this.faults.rejectLogins) throw new VenueReject(E.AuthenticationFailed, 'login rejected');
        const r = await this.#auth.verify(p['token'], Date.now() / 1000);
        if ('error' in r) throw new VenueReject(E.AuthenticationFailed, r.error);
        if (p['account'] !== undefined && p['account'] !== r.account) throw new VenueReject(E.AuthenticationFailed, 'no such account for this key');
        if (conn.closed) return null;
        if (conn.session === undefined) {
          const self = this;
          // A closed socket's session may still report (its quotes die with it): only to others.
          conn.session = new SimSession(this.#nextSession++, r.account, {
            orders: (u) => {
              if (!conn.closed) self.notify(ws, 'session.orders', u);
              self.#notifyAccount(r.account, 'account.orders', u);
            },
            trades: (t) => {
              if (!conn.closed) self.notify(ws, 'account.trade_history', t);
            },
            portfolio: (l) => {
              if (!conn.closed) self.notify(ws, 'account.portfolio', l);
            },
            protection: (l) => {
              if (!conn.closed) self.notify(ws, 'session.mm_protection', l);
            },
          });
          v.addSession(conn.session);
        }
        return { account_number: r.account };
      }
      case 'private/set_cancel_on_disconnect': {
        const s = this.#session(conn);
        const t = p['timeout_secs'];
        if (typeof t !== 'number' || !Number.isInteger(t) || t < 1) throw new VenueReject(E.InvalidRequest, 'timeout_secs must be a positive integer');
        s.cancelOnDisconnect = true;
        conn.timeoutSecs = t;
        return { message_rate: this.#opts.messageRate };
      }
      case 'private/cancel_session': {
        const s = this.#session(conn);
        if (!s.cancelOnDisconnect) throw new VenueReject(E.PersistentSession, 'only a cancel-on-disconnect session can be cancelled');
        v.endSession(s, true);
        return null;
      }
      case 'public/instruments':
        return [...v.instruments.values()].map(publicInstrument);
      case 'public/index': {
        const r = typeof p['underlying'] === 'string' ? v.index(p['underlying']) : undefined;
        if (r === undefined) throw new VenueReject(E.InvalidRequest, `unknown underlying ${JSON.stringify(p['underlying'])}`);
        return r;
      }
      case 'private/set_mm_protection': {
        const s = this.#session(conn);
        const product = p['product'];
        let trade = p['trade_amount'];
        let quote = p['quote_amount'];
        if (typeof p['amount'] === 'number') trade = quote = p['amount']; // deprecated form
        if (typeof product !== 'string' || typeof trade !== 'number' || typeof quote !== 'number') {
          throw new VenueReject(E.InvalidRequest, 'product, trade_amount and quote_amount are required');
        }
        v.setProtection(s, product, trade, quote);
        return null;
      }
      case 'private/mass_quote':
        return v.massQuote(this.#session(conn), p);
      case 'private/cancel_mass_quote': {
        const product = p['product'];
        if (product !== undefined && typeof product !== 'string') throw new VenueReject(E.InvalidRequest, 'product must be a string');
        v.cancelMassQuote(this.#session(conn), product);
        return null;
      }
      case 'public/subscribe':
      case 'private/subscribe':
        return this.#subscribe(ws, conn, method === 'private/subscribe', p['channels']);
      case 'unsubscribe':
      case 'public/unsubscribe':
      case 'private/unsubscribe': {
        if (!Array.isArray(p['channels'])) throw new VenueReject(E.InvalidRequest, 'channels must be an array of strings');
        return (p['channels'] as unknown[]).filter((c): c is string => typeof c === 'string' && conn.subs.delete(c));
      }
      default:
        throw new VenueReject(E.UnknownMethod, `unknown method ${JSON.stringify(method)}`);
    }
  }

  #subscribe(ws: WebSocket<Conn>, conn: Conn, priv: boolean, channels: unknown): string[] {
    if (!Array.isArray(channels)) throw new VenueReject(E.InvalidRequest, 'channels must be an array of strings');
    if (priv) this.#session(conn);
    const ok: string[] = [];
    const snapshots: Array<() => void> = [];
    for (const ch of channels) {
      if (typeof ch !== 'string') continue;
      if (priv ? !PRIVATE.has(ch) : !this.#validPublic(ch)) continue; // spec: invalid channels are left out
      conn.subs.add(ch);
      ok.push(ch);
      const s = conn.session;
      if (ch === 'session.orders' && s !== undefined) snapshots.push(() => this.notify(ws, ch, this.#venue.openOrders(s)));
      if (ch === 'account.orders' && s !== undefined) {
        snapshots.push(() => this.notify(ws, ch, this.#venue.sessions().filter((x) => x.account === s.account).flatMap((x) => this.#venue.openOrders(x))));
      }
      if (ch === 'account.portfolio' && s !== undefined) snapshots.push(() => this.notify(ws, ch, this.#venue.portfolio(s.account)));
      if (ch.startsWith('ticker.')) {
        const name = ch.slice(7, ch.lastIndexOf('.'));
        snapshots.push(() => this.notify(ws, ch, this.#venue.ticker(name)));
      }
      if (ch.startsWith('price_index.')) snapshots.push(() => this.notify(ws, ch, this.#venue.index(ch.slice(12))));
    }
    // Snapshots follow the reply (queued behind it on the same socket).
    setImmediate(() => {
      for (const f of snapshots) f();
    });
    return ok;
  }

  #validPublic(ch: string): boolean {
    if (ch === 'system') return true;
    if (ch.startsWith('price_index.')) return this.#venue.underlyings().has(ch.slice(12));
    if (ch.startsWith('ticker.')) {
      const last = ch.lastIndexOf('.');
      return DELAYS.includes(ch.slice(last + 1)) && this.#venue.instruments.has(ch.slice(7, last));
    }
    return false;
  }
}

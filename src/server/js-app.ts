import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket as WsSocket } from 'ws';
import { ResponseEndedError } from './errors.js';
import type { AppServer, HttpHandler, HttpRequest, HttpResponse, ServerInfo, TlsFiles, WebSocket, WsRoute } from './types.js';
import { DEFAULT_MAX_BACKPRESSURE } from './types.js';

const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;
/** A peer that does not answer our close frame is cut after this long (ws would wait 30 s). */
const CLOSE_GRACE_MS = 1000;

class Request implements HttpRequest {
  readonly #req: IncomingMessage;
  constructor(req: IncomingMessage) {
    this.#req = req;
  }
  getHeader(key: string): string {
    const v = this.#req.headers[key];
    return v === undefined ? '' : Array.isArray(v) ? (v[0] ?? '') : v;
  }
}

type Writer = (status: number, message: string, headers: Array<[string, string]>, body: string | Buffer, close: boolean) => void;

/** Collects status and headers as uWS does, then writes them with the body in one go. */
class Response implements HttpResponse {
  #status = '200 OK';
  readonly #headers: Array<[string, string]> = [];
  #done = false;
  #aborted = false;
  readonly #write: Writer;

  constructor(write: Writer) {
    this.#write = write;
  }

  get done(): boolean {
    return this.#done;
  }

  abort(): void {
    if (this.#done) return;
    this.#aborted = true;
    this.#done = true;
    this.#onAborted?.();
  }

  #onAborted: (() => void) | undefined;
  onAborted(cb: () => void): this {
    this.#onAborted = cb;
    return this;
  }

  cork(cb: () => void): this {
    cb();
    return this;
  }

  writeStatus(status: string): this {
    this.#status = status;
    return this;
  }

  writeHeader(key: string, value: string): this {
    this.#headers.push([key, value]);
    return this;
  }

  end(body: string | Buffer = '', closeConnection = false): this {
    if (this.#done) {
      // uWS throws on a finished or aborted response; so do we, to keep handlers honest on both.
      throw new ResponseEndedError(this.#aborted ? 'response used after its client went away' : 'response ended twice');
    }
    this.#done = true;
    const sp = this.#status.indexOf(' ');
    const code = Number(sp < 0 ? this.#status : this.#status.slice(0, sp));
    this.#write(code, sp < 0 ? '' : this.#status.slice(sp + 1), this.#headers, body, closeConnection);
    return this;
  }
}

/** One accepted socket; mirrors uWS: the close handler runs once, at once, whoever closes. */
class Socket<U> implements WebSocket<U> {
  readonly #ws: WsSocket;
  readonly #tcp: Duplex;
  readonly #data: U;
  readonly #maxBackpressure: number;
  readonly #onClose: ((ws: WebSocket<U>) => void) | undefined;
  readonly #onMessage: ((ws: WebSocket<U>, text: string) => void) | undefined;
  #closed = false;
  /** A message was handled in this tick: the next one waits for a new tick (see deliver). */
  #inTick = false;
  readonly #queue: string[] = [];

  constructor(ws: WsSocket, tcp: Duplex, data: U, route: WsRoute<U>) {
    this.#ws = ws;
    this.#tcp = tcp;
    this.#data = data;
    this.#maxBackpressure = route.maxBackpressure ?? DEFAULT_MAX_BACKPRESSURE;
    this.#onClose = route.close;
    this.#onMessage = route.message;
  }

  /**
   * uWS drains the microtask queue after each message it hands to JS, so a handler's awaits finish
   * before the next message of the same read is handled (the simulator's replies keep request
   * order); ws emits every message of a read in one go. The first message of a tick is handled at
   * once (the common case costs nothing); any more wait a macrotask each.
   */
  deliver(text: string): void {
    if (this.#inTick || this.#queue.length > 0) {
      if (this.#queue.push(text) === 1) setImmediate(this.#drain);
      return;
    }
    this.#inTick = true;
    process.nextTick(this.#endTick);
    this.#onMessage?.(this, text);
  }

  readonly #endTick = (): void => {
    this.#inTick = false;
  };

  readonly #drain = (): void => {
    const text = this.#queue.shift();
    if (text !== undefined && !this.#closed) this.#onMessage?.(this, text);
    if (this.#queue.length > 0) setImmediate(this.#drain);
  };

  getUserData(): U {
    return this.#data;
  }

  /** 1 sent, 2 dropped (backpressure past the limit), 0 closed: uWS's return codes. */
  send(message: string | Uint8Array, isBinary = false): number {
    if (this.#closed) return 0;
    if (this.#ws.bufferedAmount > this.#maxBackpressure) return 2;
    this.#ws.send(message, isBinary ? BINARY : TEXT);
    return 1;
  }

  cork(cb: () => void): this {
    this.#tcp.cork();
    try {
      cb();
    } finally {
      this.#tcp.uncork();
    }
    return this;
  }

  end(code?: number, shortMessage?: string): void {
    if (this.#closed) return;
    try {
      this.#ws.close(code, shortMessage);
      setTimeout(() => this.#ws.terminate(), CLOSE_GRACE_MS).unref();
    } catch {
      this.#ws.terminate(); // a code ws refuses to put on the wire (uWS sends any): no frame, as close()
    }
    this.closed();
  }

  close(): this {
    if (this.#closed) return this;
    this.#ws.terminate();
    this.closed();
    return this;
  }

  /** The socket is gone (either side): runs the close handler the first time. */
  closed(byPeer = false): void {
    if (this.#closed) return;
    // What the peer sent before closing is handled before its close, as uWS does; what is still
    // queued when we close is dropped, as uWS stops reading.
    if (byPeer) for (let t = this.#queue.shift(); t !== undefined; t = this.#queue.shift()) this.#onMessage?.(this, t);
    this.#queue.length = 0;
    this.#closed = true;
    this.#onClose?.(this);
  }
}

function writeRaw(tcp: Duplex, code: number, message: string, headers: Array<[string, string]>, body: string | Buffer): void {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  let head = `HTTP/1.1 ${code} ${message}\r\nConnection: close\r\nContent-Length: ${b.length}\r\n`;
  for (const [k, v] of headers) head += `${k}: ${v}\r\n`;
  tcp.end(Buffer.concat([Buffer.from(head + '\r\n'), b]));
}

function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

/**
 * AppServer on `ws` (WebSockets) over `node:http`/`node:https`, for where no native build loads.
 * Same behaviour as the native one at the interface, slower per message.
 */
export class JsApp implements AppServer {
  readonly info: ServerInfo = { kind: 'js', package: 'ws' };
  readonly #server: Server;
  readonly #routes = new Map<string, HttpHandler>();
  readonly #ws = new Map<string, { route: WsRoute<unknown>; wss: WebSocketServer }>();
  #notFound: HttpHandler = (res) => res.writeStatus('404 Not Found').end('not found', true);

  constructor(tls?: TlsFiles) {
    // noDelay: small frames go out at once, as uWS sends them.
    this.#server = tls ? createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile), noDelay: true }) : createHttpServer({ noDelay: true });
    this.#server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res));
    this.#server.on('upgrade', (req: IncomingMessage, tcp: Duplex, head: Buffer) => this.#onUpgrade(req, tcp, head));
  }

  get(path: string, handler: HttpHandler): this {
    this.#routes.set(`GET ${path}`, handler);
    return this;
  }

  post(path: string, handler: HttpHandler): this {
    this.#routes.set(`POST ${path}`, handler);
    return this;
  }

  notFound(handler: HttpHandler): this {
    this.#notFound = handler;
    return this;
  }

  ws<U>(path: string, route: WsRoute<U>): this {
    const wss = new WebSocketServer({ noServer: true, maxPayload: route.maxPayloadLength, perMessageDeflate: false, clientTracking: false });
    this.#ws.set(path, { route: route as WsRoute<unknown>, wss });
    return this;
  }

  listen(host: string, port: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const onError = (): void => resolve(undefined);
      this.#server.once('error', onError);
      this.#server.listen({ host, port }, () => {
        this.#server.off('error', onError);
        const a = this.#server.address();
        resolve(typeof a === 'object' && a !== null ? a.port : undefined);
      });
    });
  }

  close(): void {
    this.#server.close();
    this.#server.closeAllConnections(); // plain HTTP ones; upgraded sockets left the server at upgrade
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const response = new Response((code, message, headers, body, close) => {
      if (close) res.shouldKeepAlive = false;
      res.statusCode = code;
      res.statusMessage = message;
      for (const [k, v] of headers) res.setHeader(k, v);
      res.end(body);
    });
    res.on('close', () => {
      if (!res.writableFinished) response.abort();
    });
    const handler = this.#routes.get(`${req.method} ${pathOf(req.url)}`) ?? this.#notFound;
    handler(response, new Request(req));
  }

  #onUpgrade(req: IncomingMessage, tcp: Duplex, head: Buffer): void {
    tcp.on('error', () => tcp.destroy());
    const response = new Response((code, message, headers, body) => writeRaw(tcp, code, message, headers, body));
    const entry = this.#ws.get(pathOf(req.url));
    const request = new Request(req);
    if (entry === undefined) {
      this.#notFound(response, request);
      return;
    }
    const { route, wss } = entry;
    const data = route.upgrade(response, request);
    if (data === undefined) {
      if (!response.done) tcp.destroy(); // refused without an answer: do not leave the socket hanging
      return;
    }
    wss.handleUpgrade(req, tcp, head, (ws) => {
      const s = new Socket(ws, tcp, data, route);
      ws.on('error', () => undefined); // followed by 'close'
      ws.on('close', () => s.closed(true));
      if (route.message !== undefined) ws.on('message', (m: Buffer) => s.deliver(m.toString('utf8')));
      const ping = route.ping;
      if (ping !== undefined) ws.on('ping', () => ping(s));
      route.open?.(s);
    });
  }
}

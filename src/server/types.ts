/**
 * The little of a web server that the simulator and the monitor use, shaped like uWebSockets.js
 * (whose request, response and socket objects satisfy these interfaces as they are, so the native
 * backend adds no wrapper on the simulator's hot path) and implemented a second time on `ws` with
 * `node:http` for the Node lines no native build loads on.
 */

/** Which implementation serves: a native uWebSockets.js build (and which package), or ws + node:http. */
export interface ServerInfo {
  readonly kind: 'native' | 'js';
  /** The npm package that serves: e.g. `@trufflesuite/uws-js-unofficial`, `ws`. */
  readonly package: string;
}

/** `auto` (default): the fastest that loads here; `native`: refuse to run without uWebSockets.js; `js`: ws + node:http. */
export type ServerChoice = 'auto' | 'native' | 'js';

export interface HttpRequest {
  /** A request header by its lower-case name; '' when absent. */
  getHeader(lowerCaseKey: string): string;
}

export interface HttpResponse {
  /** Runs `cb` with writes batched into one send. */
  cork(cb: () => void): unknown;
  /** e.g. '200 OK'; before any header. */
  writeStatus(status: string): HttpResponse;
  writeHeader(key: string, value: string): HttpResponse;
  /** Ends the response; `closeConnection` closes the connection after it. */
  end(body?: string | Buffer, closeConnection?: boolean): unknown;
  /** Must be registered before answering after an await: the response is unusable once the client has gone. */
  onAborted(cb: () => void): unknown;
}

export interface WebSocket<U> {
  getUserData(): U;
  /**
   * Sends a text (default) or binary message. Dropped, not queued, while more than the route's
   * `maxBackpressure` bytes wait to be written (uWebSockets.js semantics: a slow reader is skipped).
   */
  send(message: string | Uint8Array, isBinary?: boolean): unknown;
  /** Runs `cb` with its sends batched into one write. */
  cork(cb: () => void): unknown;
  /** Close frame with `code`; the close handler runs at once. */
  end(code?: number, shortMessage?: string): void;
  /** Abrupt close (no close frame); the close handler runs at once. */
  close(): unknown;
}

export interface WsRoute<U> {
  maxPayloadLength: number;
  /** Bytes queued per socket past which sends are dropped. Default 64 KiB (as uWebSockets.js). */
  maxBackpressure?: number;
  /** Returns the new socket's user data to accept it, or undefined after answering `res` to refuse it. */
  upgrade(res: HttpResponse, req: HttpRequest): U | undefined;
  open?(ws: WebSocket<U>): void;
  /** A whole message, decoded as UTF-8. */
  message?(ws: WebSocket<U>, text: string): void;
  ping?(ws: WebSocket<U>): void;
  /** Once per socket, whoever closed it. */
  close?(ws: WebSocket<U>): void;
}

export type HttpHandler = (res: HttpResponse, req: HttpRequest) => void;

/** No keep-alive pings and no idle timeout on either backend: the simulator's cancel-on-disconnect owns silence. */
export interface AppServer {
  readonly info: ServerInfo;
  get(path: string, handler: HttpHandler): this;
  post(path: string, handler: HttpHandler): this;
  /** Every request no other route took. */
  notFound(handler: HttpHandler): this;
  ws<U>(path: string, route: WsRoute<U>): this;
  /** The port listened on (the OS's pick for 0), or undefined when the address cannot be had. */
  listen(host: string, port: number): Promise<number | undefined>;
  /** Stops listening; open WebSockets stay until their owner ends them. */
  close(): void;
}

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export const DEFAULT_MAX_BACKPRESSURE = 64 * 1024;

import type { TemplatedApp, us_listen_socket } from '@btc-vision/uwebsockets.js';
import type { AppServer, HttpHandler, ServerInfo, TlsFiles, WsRoute } from './types.js';
import { DEFAULT_MAX_BACKPRESSURE } from './types.js';

/** The loaded native module: any uWebSockets.js build (official or a registry mirror) has this shape. */
export type Uws = typeof import('@btc-vision/uwebsockets.js');

/**
 * AppServer on a native uWebSockets.js build. Requests, responses and sockets are uWS's own
 * objects, passed through: nothing is wrapped per message.
 */
export class UwsApp implements AppServer {
  readonly info: ServerInfo;
  readonly #uws: Uws;
  readonly #app: TemplatedApp;
  #listen: us_listen_socket | undefined;

  constructor(uws: Uws, pkg: string, tls?: TlsFiles) {
    this.#uws = uws;
    this.info = { kind: 'native', package: pkg };
    this.#app = tls ? uws.SSLApp({ cert_file_name: tls.certFile, key_file_name: tls.keyFile }) : uws.App();
  }

  get(path: string, handler: HttpHandler): this {
    this.#app.get(path, handler);
    return this;
  }

  post(path: string, handler: HttpHandler): this {
    this.#app.post(path, handler);
    return this;
  }

  notFound(handler: HttpHandler): this {
    this.#app.any('/*', handler);
    return this;
  }

  ws<U>(path: string, route: WsRoute<U>): this {
    const message = route.message;
    this.#app.ws<U>(path, {
      maxPayloadLength: route.maxPayloadLength,
      maxBackpressure: route.maxBackpressure ?? DEFAULT_MAX_BACKPRESSURE,
      idleTimeout: 0,
      sendPingsAutomatically: false,
      upgrade: (res, req, ctx) => {
        const data = route.upgrade(res, req);
        if (data === undefined) return;
        res.upgrade(data, req.getHeader('sec-websocket-key'), req.getHeader('sec-websocket-protocol'), req.getHeader('sec-websocket-extensions'), ctx);
      },
      // The ArrayBuffer is only valid during the call: decode it now.
      ...(message ? { message: (ws, m) => message(ws, Buffer.from(m).toString('utf8')) } : {}),
      ...(route.open ? { open: route.open } : {}),
      ...(route.ping ? { ping: route.ping } : {}),
      ...(route.close ? { close: route.close } : {}),
    });
    return this;
  }

  listen(host: string, port: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      this.#app.listen(host, port, (s) => {
        if (!s) {
          resolve(undefined);
          return;
        }
        this.#listen = s;
        // The typings declare us_socket_local_port for us_socket only; the C function takes a
        // listen socket too (that is how uWS reports the port the OS picked for port 0).
        resolve(this.#uws.us_socket_local_port(s as never));
      });
    });
  }

  close(): void {
    if (this.#listen !== undefined) this.#uws.us_listen_socket_close(this.#listen);
    this.#listen = undefined;
  }
}

import { ServerChoiceError } from './errors.js';
import { JsApp } from './js-app.js';
import { findNative, howToGetNative, requireNative } from './select.js';
import type { AppServer, ServerChoice, ServerInfo, TlsFiles } from './types.js';
import { UwsApp } from './uws-app.js';

export type { AppServer, HttpRequest, HttpResponse, ServerChoice, ServerInfo, TlsFiles, WebSocket, WsRoute } from './types.js';
export { NativeServerError, ServerChoiceError } from './errors.js';

/** Set to `native` or `js` to override `auto` for every server in the process (bench, CLI, CI). */
export const SERVER_ENV = 'THALEX_QUOTER_SERVER';

let warned = false;

/** For people: 'native uWebSockets.js (@btc-vision/uwebsockets.js)' or 'JS server (ws + node:http)'. */
export function serverLabel(info: ServerInfo): string {
  return info.kind === 'native' ? `native uWebSockets.js (${info.package})` : 'JS server (ws + node:http)';
}

/**
 * A server on the fastest implementation that loads here (see select.ts), or the one asked for.
 * Falling back to the JS server prints one warning per process naming the native build that
 * would be faster and how to get it.
 */
export function createAppServer(options: { server?: ServerChoice | undefined; tls?: TlsFiles | undefined } = {}): AppServer {
  const choice = resolveChoice(options.server);
  if (choice === 'js') return new JsApp(options.tls);
  if (choice === 'native') {
    const b = requireNative();
    return new UwsApp(b.uws, b.package, options.tls);
  }
  const b = findNative().build;
  if (b !== undefined) return new UwsApp(b.uws, b.package, options.tls);
  if (!warned) {
    warned = true;
    // One line on stderr (process.emitWarning would add a second, about --trace-warnings).
    process.stderr.write(`thalex-quoter: THALEX_QUOTER_JS_SERVER: simulator and monitor run on the JavaScript server (ws + node:http), slower than native uWebSockets.js: ${howToGetNative()}.\n`);
  }
  return new JsApp(options.tls);
}

function resolveChoice(option: ServerChoice | undefined): ServerChoice {
  const env = process.env[SERVER_ENV];
  const v = option ?? (env === undefined || env === '' ? 'auto' : env);
  if (v !== 'auto' && v !== 'native' && v !== 'js') throw new ServerChoiceError(v);
  return v;
}

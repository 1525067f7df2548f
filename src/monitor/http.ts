import type { HttpResponse } from '../server/index.js';

/** Headers on every monitor response: no caching, no sniffing, never framed (the kill form). */
const COMMON: ReadonlyArray<[string, string]> = [
  ['Cache-Control', 'no-store'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

/**
 * Writes a whole response and closes the connection. The monitor serves a handful of requests
 * per page load and one scrape per Prometheus interval, so keep-alive buys nothing, and closing
 * leaves no idle socket behind to hold the process open after `close()`.
 */
export function reply(
  res: HttpResponse,
  status: string,
  contentType: string,
  body: string | Buffer,
  headers: ReadonlyArray<[string, string]> = [],
): void {
  res.cork(() => {
    res.writeStatus(status).writeHeader('Content-Type', contentType);
    for (const [k, v] of COMMON) res.writeHeader(k, v);
    for (const [k, v] of headers) res.writeHeader(k, v);
    res.end(body, true);
  });
}

export function replyJson(res: HttpResponse, status: string, body: unknown, headers?: ReadonlyArray<[string, string]>): void {
  reply(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

/**
 * For handlers that answer after an await: the server (uWebSockets.js, and the JS one alike) frees the response when the client
 * goes away, and touching it after that crashes the process, so every late reply checks first.
 */
export function deferred(res: HttpResponse): { readonly aborted: boolean } {
  const state = { aborted: false };
  res.onAborted(() => {
    state.aborted = true;
  });
  return state;
}

import { QuoterError } from '../errors.js';
import { createAppServer, type HttpRequest, type HttpResponse, type ServerChoice, type ServerInfo, type WebSocket } from '../server/index.js';
import { loadUplotAssets } from './assets.js';
import { MonitorConfigError, MonitorListenError } from './errors.js';
import { EventCounts } from './event-counts.js';
import { hostAllowed, isLoopback, originAllowed } from './host-check.js';
import { deferred, reply, replyJson } from './http.js';
import { PAGE_HTML, PAGE_JS } from './page/page.js';
import { MonitorMetrics } from './prometheus.js';
import type { PushMessage } from './sample.js';
import { Sampler } from './sampler.js';
import type { MonitorSource } from './source.js';
import { bearerMatches, digest, generateToken, validateToken } from './token.js';

export interface MonitorOptions {
  /** Listen address. Default 127.0.0.1: the kill switch and positions stay on this machine. */
  host?: string;
  /** 0 (default) lets the OS pick a free port; the handle reports it. */
  port?: number;
  /** Kill-switch bearer token; generated (32 random bytes) when absent. */
  token?: string;
  /** How often the engine is read and the page updated. Default 1000 ms. */
  intervalMs?: number;
  /** Samples kept for a page that opens late. Default 300 (5 minutes at 1/s). */
  historySize?: number;
  /** `auto` (default): native uWebSockets.js where a build loads, else the JS server; see SimulatorOptions.server. */
  server?: ServerChoice;
}

export interface MonitorHandle {
  /** e.g. http://127.0.0.1:40123/ */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Which server serves the page: native uWebSockets.js or the JS one. */
  readonly server: ServerInfo;
  /**
   * The kill-switch token, for the caller to show once. Non-enumerable, so logging or
   * JSON-serialising the handle does not print it.
   */
  readonly token: string;
  /** Stops the timer, detaches from the engine, closes every connection and the listen socket. */
  close(): Promise<void>;
}

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
const JS = 'text/javascript; charset=utf-8';

/**
 * Starts the live monitor: the page (/), its assets, the pushed samples (/ws), Prometheus
 * (/metrics) and the kill switch (POST /kill, POST /resume, bearer token).
 *
 * It never runs on the engine's hot path: one timer reads `source.metrics()` and the other
 * getters once per interval for the page, the event listeners only count, and a Prometheus
 * scrape reads the engine when it comes (scrapes arriving together share one reading).
 */
export async function startMonitor(source: MonitorSource, options: MonitorOptions = {}): Promise<MonitorHandle> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  const intervalMs = options.intervalMs ?? 1000;
  const historySize = options.historySize ?? 300;
  if (typeof host !== 'string' || host === '') throw new MonitorConfigError('monitor host must be a non-empty string');
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) throw new MonitorConfigError(`monitor port must be an integer 0-65535, got ${requestedPort}`);
  if (!Number.isInteger(intervalMs) || intervalMs < 100) throw new MonitorConfigError(`monitor intervalMs must be an integer >= 100, got ${intervalMs}`);
  if (!Number.isInteger(historySize) || historySize < 1) throw new MonitorConfigError(`monitor historySize must be a positive integer, got ${historySize}`);
  const token = options.token === undefined ? generateToken() : validateToken(options.token);
  const tokenDigest = digest(token);
  const uplot = loadUplotAssets();

  const counts = new EventCounts(source);
  const sampler = new Sampler(source, counts, historySize);
  const metrics = new MonitorMetrics(source, counts);
  const sockets = new Set<WebSocket<unknown>>();
  const loopbackOnly = isLoopback(host);
  let port = requestedPort;
  let closed = false;

  const sample = (): boolean => {
    try {
      sampler.take();
      return true;
    } catch (e) {
      // A failing getter must not kill the monitor (nor the engine's process); it shows up as a
      // counter and as a stale sample timestamp.
      metrics.sampleFailed(e instanceof QuoterError ? e.code : 'unknown');
      return false;
    }
  };
  sample(); // so the first scrape and the first page already have data

  // Each scrape reads the engine (prom-client collect()). Rendering (~0.1-1 ms) runs on the
  // engine's thread, so scrapes arriving while one is rendered share it.
  let rendering: Promise<string> | undefined;
  const exposition = (): Promise<string> => {
    if (rendering === undefined) {
      const p = metrics.render();
      rendering = p;
      const done = () => {
        if (rendering === p) rendering = undefined;
      };
      p.then(done, done);
    }
    return rendering;
  };

  const app = createAppServer({ server: options.server });
  /** Answers 403 and returns false when the Host header is not ours (see hostAllowed). */
  const guard = (res: HttpResponse, req: HttpRequest): boolean => {
    if (hostAllowed(loopbackOnly, port, req.getHeader('host'))) return true;
    reply(res, '403 Forbidden', 'text/plain; charset=utf-8', 'forbidden host\n');
    return false;
  };
  const control = (res: HttpResponse, req: HttpRequest, action: () => Promise<void> | void): void => {
    if (!guard(res, req)) return;
    if (!bearerMatches(req.getHeader('authorization'), tokenDigest)) {
      replyJson(res, '401 Unauthorized', { error: 'unauthorized' }, [['WWW-Authenticate', 'Bearer realm="thalex-quoter monitor"']]);
      return;
    }
    const d = deferred(res);
    Promise.resolve()
      .then(action)
      .then(
        () => {
          if (!d.aborted) replyJson(res, '200 OK', { ok: true, state: source.state });
        },
        (e: unknown) => {
          const code = e instanceof QuoterError ? e.code : 'MONITOR_ERR_ACTION';
          if (!d.aborted) replyJson(res, '500 Internal Server Error', { error: code, message: e instanceof Error ? e.message : String(e) });
        },
      );
  };

  app
    .get('/', (res, req) => {
      if (guard(res, req)) reply(res, '200 OK', 'text/html; charset=utf-8', PAGE_HTML, [['Content-Security-Policy', CSP]]);
    })
    .get('/page.js', (res, req) => {
      if (guard(res, req)) reply(res, '200 OK', JS, PAGE_JS);
    })
    .get('/uplot.js', (res, req) => {
      if (guard(res, req)) reply(res, '200 OK', JS, uplot.js);
    })
    .get('/uplot.css', (res, req) => {
      if (guard(res, req)) reply(res, '200 OK', 'text/css; charset=utf-8', uplot.css);
    })
    .get('/metrics', (res, req) => {
      if (!guard(res, req)) return;
      const d = deferred(res);
      exposition().then(
        (text) => {
          if (!d.aborted) reply(res, '200 OK', metrics.registry.contentType, text);
        },
        () => {
          if (!d.aborted) reply(res, '500 Internal Server Error', 'text/plain; charset=utf-8', 'metrics unavailable\n');
        },
      );
    })
    .post('/kill', (res, req) => control(res, req, () => source.kill()))
    .post('/resume', (res, req) => control(res, req, () => source.resume()))
    .ws('/ws', {
      maxPayloadLength: 1024, // the page sends nothing
      // The history message on open is ~1.5 KB per sample (with the distribution); a slow tab is skipped, not buffered forever.
      maxBackpressure: 8 * 1024 * 1024,
      upgrade: (res, req) => {
        const hostHeader = req.getHeader('host');
        if (!hostAllowed(loopbackOnly, port, hostHeader) || !originAllowed(req.getHeader('origin'), hostHeader)) {
          reply(res, '403 Forbidden', 'text/plain; charset=utf-8', 'forbidden origin\n');
          return undefined;
        }
        return {};
      },
      open: (ws) => {
        sockets.add(ws);
        ws.send(JSON.stringify({ type: 'history', samples: sampler.history } satisfies PushMessage));
      },
      close: (ws) => {
        sockets.delete(ws);
      },
    })
    .notFound((res) => reply(res, '404 Not Found', 'text/plain; charset=utf-8', 'not found\n'));

  const listened = await app.listen(host, requestedPort);
  if (listened === undefined) {
    counts.detach();
    throw new MonitorListenError(host, requestedPort);
  }
  port = listened;

  const timer = setInterval(() => {
    const last = sample() ? sampler.last : undefined;
    if (last !== undefined && sockets.size > 0) {
      // A tab past maxBackpressure is skipped by send(), as a publish would skip it.
      const text = JSON.stringify({ type: 'sample', sample: last } satisfies PushMessage);
      for (const ws of sockets) ws.send(text);
    }
  }, intervalMs);
  timer.unref(); // the listen socket keeps the process alive while open; the timer must not after close

  const handle = {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    host,
    port,
    server: app.info,
    close: async (): Promise<void> => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      counts.detach();
      for (const ws of [...sockets]) ws.end(1001, 'monitor closing');
      sockets.clear();
      app.close();
    },
  } as MonitorHandle;
  Object.defineProperty(handle, 'token', { value: token, enumerable: false });
  return handle;
}

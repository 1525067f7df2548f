import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAppServer, type AppServer, type WebSocket as ServerSocket } from '../../src/server/index.js';
import { SERVERS } from '../helpers/servers.js';
import { until } from '../helpers/venue.js';

/**
 * The contract the simulator and the monitor rely on, held by both servers over real sockets:
 * the JS one must behave as uWebSockets.js does where it matters to them.
 */
const apps: AppServer[] = [];
const clients: WebSocket[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.terminate();
  for (const a of apps.splice(0)) a.close();
});

interface Data {
  n: number;
}

async function serve(server: 'native' | 'js', build: (app: AppServer) => void): Promise<string> {
  const app = createAppServer({ server });
  apps.push(app);
  build(app);
  const port = await app.listen('127.0.0.1', 0);
  expect(port).toBeGreaterThan(0);
  return `127.0.0.1:${port}`;
}

function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers });
  clients.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

for (const server of SERVERS) {
  describe(`AppServer contract (${server})`, () => {
    it('says which server it is', () => {
      const app = createAppServer({ server });
      expect(app.info.kind).toBe(server);
      expect(app.info.package).toMatch(server === 'js' ? /^ws$/ : /uwebsockets|uws/i);
    });

    it('routes GET and POST, reads headers, answers late through onAborted, and the rest to notFound', async () => {
      const host = await serve(server, (app) =>
        app
          .get('/a', (res, req) => {
            res.cork(() => res.writeStatus('200 OK').writeHeader('Content-Type', 'text/plain').writeHeader('X-Seen', req.getHeader('x-probe')).end('got a', true));
          })
          .post('/late', (res) => {
            let aborted = false;
            res.onAborted(() => (aborted = true));
            setTimeout(() => {
              if (!aborted) res.writeStatus('202 Accepted').end('later', true);
            }, 20);
          })
          .notFound((res) => res.writeStatus('404 Not Found').end('nope', true)),
      );
      const a = await fetch(`http://${host}/a?x=1`, { headers: { 'x-probe': 'p1' } });
      expect([a.status, a.headers.get('x-seen'), a.headers.get('content-type'), await a.text()]).toEqual([200, 'p1', 'text/plain', 'got a']);
      const late = await fetch(`http://${host}/late`, { method: 'POST', body: 'x' });
      expect([late.status, await late.text()]).toEqual([202, 'later']);
      const miss = await fetch(`http://${host}/a`, { method: 'POST' });
      expect([miss.status, await miss.text()]).toEqual([404, 'nope']);
    });

    it('upgrades with user data, or refuses with the answer given; one close handler call per socket', async () => {
      const opened: Data[] = [];
      const closes: number[] = [];
      const host = await serve(server, (app) =>
        app.ws<Data>('/ws', {
          maxPayloadLength: 1024,
          upgrade: (res, req) => {
            if (req.getHeader('x-let-in') !== 'yes') {
              res.writeStatus('403 Forbidden').end('no', true);
              return undefined;
            }
            return { n: 7 };
          },
          open: (ws) => opened.push(ws.getUserData()),
          close: (ws) => closes.push(ws.getUserData().n),
        }),
      );
      const refused = new WebSocket(`ws://${host}/ws`);
      refused.on('error', () => undefined); // the refusal, expected
      clients.push(refused);
      const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
      expect(status).toBe(403);
      const ws = await connect(`ws://${host}/ws`, { 'x-let-in': 'yes' });
      await until(() => opened.length === 1, 'open');
      expect(opened).toEqual([{ n: 7 }]);
      ws.close(1000);
      await until(() => closes.length === 1, 'close handler');
      expect(closes).toEqual([7]);
    });

    it('hands each message over as text, and a handler\'s awaits finish before the next message of the same read', async () => {
      const host = await serve(server, (app) =>
        app.ws<Data>('/ws', {
          maxPayloadLength: 1024,
          upgrade: () => ({ n: 0 }),
          message: (ws, text) => {
            void (async () => {
              if (text.startsWith('slow')) await Promise.resolve().then(() => undefined);
              ws.send(`re:${text}`);
            })();
          },
        }),
      );
      const ws = await connect(`ws://${host}/ws`);
      const got: string[] = [];
      ws.on('message', (d) => got.push(d.toString()));
      // Sent in one write: both servers read them together.
      const sock = (ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
      sock.cork();
      ws.send('slow-1');
      ws.send('fast-2');
      ws.send('héllo ✓');
      sock.uncork();
      await until(() => got.length === 3, 'three replies');
      expect(got).toEqual(['re:slow-1', 're:fast-2', 're:héllo ✓']);
    });

    it('end(code) sends a close frame and calls the close handler at once; close() cuts without one; ping reaches the handler', async () => {
      const sockets: Array<ServerSocket<Data>> = [];
      const closes: number[] = [];
      let pings = 0;
      const host = await serve(server, (app) =>
        app.ws<Data>('/ws', {
          maxPayloadLength: 1024,
          upgrade: () => ({ n: sockets.length }),
          open: (ws) => sockets.push(ws),
          ping: () => pings++,
          close: (ws) => closes.push(ws.getUserData().n),
        }),
      );
      const a = await connect(`ws://${host}/ws`);
      const b = await connect(`ws://${host}/ws`);
      await until(() => sockets.length === 2, 'two sockets');
      a.ping();
      await until(() => pings === 1, 'ping');
      const aClosed = closed(a);
      const bClosed = closed(b);
      sockets[0]!.end(4001, 'bye');
      expect(closes).toEqual([0]);
      sockets[1]!.close();
      expect(closes).toEqual([0, 1]);
      expect(await aClosed).toEqual({ code: 4001, reason: 'bye' });
      expect((await bClosed).code).toBe(1006);
      expect(closes).toEqual([0, 1]);
    });

    it('drops sends, not queues them, past maxBackpressure while the peer does not read', async () => {
      let sock: ServerSocket<Data> | undefined;
      const host = await serve(server, (app) =>
        app.ws<Data>('/ws', { maxPayloadLength: 1024, maxBackpressure: 64 * 1024, upgrade: () => ({ n: 0 }), open: (ws) => (sock = ws) }),
      );
      const ws = await connect(`ws://${host}/ws`);
      await until(() => sock !== undefined, 'open');
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const big = 'x'.repeat(256 * 1024);
      const results: unknown[] = [];
      // Kernel buffers on loopback hold a few MB; 256 sends of 256 KiB is past them.
      for (let i = 0; i < 256 && !results.includes(2); i++) results.push(sock!.send(big));
      expect(results).toContain(2);
    });

    it('says when the address cannot be had', async () => {
      const taken = createServer();
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
      const port = (taken.address() as { port: number }).port;
      const app = createAppServer({ server });
      apps.push(app);
      expect(await app.listen('127.0.0.1', port)).toBeUndefined();
      taken.close();
    });
  });
}

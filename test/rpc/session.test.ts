import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { RpcSession } from '../../src/rpc/session.js';
import { WsClient } from '../../src/ws/client.js';
import type { WsHandler } from '../../src/ws/types.js';
import { until } from '../helpers/venue.js';

// A tiny JSON-RPC peer over a real socket: `echo` answers, `fail` answers an error, `never`
// never answers, `kick` drops the connection; it also pushes notifications on request.
let wss: WebSocketServer;
let url = '';
beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (s) =>
    s.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { id: number; method: string; params: Record<string, unknown> };
      if (m.method === 'echo') s.send(JSON.stringify({ id: m.id, result: m.params }));
      else if (m.method === 'fail') s.send(JSON.stringify({ id: m.id, error: { code: 4, message: 'throttle exceeded' } }));
      else if (m.method === 'kick') s.terminate();
      else if (m.method === 'notify') {
        s.send(JSON.stringify({ channel_name: 'ticker.BTC-PERPETUAL.raw', notification: { mark_price: 1 } }));
        s.send(JSON.stringify({ channel_name: 'session.orders', notification: [{ order_id: 'x' }] }));
        s.send(JSON.stringify({ channel_name: 'nobody.listens', notification: 1 }));
        s.send(' {"result": 1, "id": 999}');
        s.send(JSON.stringify({ id: m.id, result: null }));
      }
    }),
  );
  await new Promise((r) => wss.once('listening', r));
  url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/`;
});
afterAll(() => wss.close());

async function connect(rpc: RpcSession): Promise<WsClient> {
  const handler: WsHandler = { onOpen() {}, onMessage: (d, s, e) => rpc.handleMessage(d, s, e), onClose: (c, r) => rpc.detach(`closed ${c} ${r}`) };
  const ws = new WsClient({ url, pingIntervalMs: 0 }, handler);
  await ws.connect();
  rpc.attach(ws);
  return ws;
}

describe('RpcSession over a real socket', () => {
  it('resolves results, rejects venue errors with their code, ids are monotonic', async () => {
    const rpc = new RpcSession();
    await connect(rpc);
    await expect(rpc.call('echo', { a: 1 })).resolves.toEqual({ a: 1 });
    await expect(rpc.call('fail', {})).rejects.toMatchObject({ code: 'PROTO_ERR_VENUE', venueCode: 4, method: 'fail' });
    const a = rpc.nextId();
    expect(rpc.nextId()).toBe(a + 1);
    rpc.dispose();
  });

  it('times out a request that is never answered, and fails everything in flight when the connection drops', async () => {
    const rpc = new RpcSession({ timeoutMs: 100, sweepIntervalMs: 10 });
    await connect(rpc);
    await expect(rpc.call('never', {})).rejects.toMatchObject({ code: 'RPC_ERR_TIMEOUT', method: 'never' });
    const pending = rpc.call('never', {}, 10_000);
    const lost: number[] = [];
    rpc.setHotHandler({ onHotReply() {}, onHotLost: (id) => lost.push(id) });
    const hotId = rpc.nextId();
    expect(rpc.trackHot(hotId, 1, 0)).toBe(true);
    void rpc.call('kick', {}).catch(() => {});
    await expect(pending).rejects.toMatchObject({ code: 'RPC_ERR_DISCONNECTED' });
    expect(lost).toEqual([hotId]);
    expect(rpc.inFlight).toBe(0);
    await expect(rpc.call('echo', {})).rejects.toMatchObject({ code: 'RPC_ERR_NOT_CONNECTED' });
    rpc.dispose();
  });

  it('routes notifications by channel (raw and parsed), and reports what nobody wanted', async () => {
    const unrouted: string[] = [];
    const stray: unknown[] = [];
    const rpc = new RpcSession({ diagnostics: { onUnroutedNotification: (c) => unrouted.push(c), onStrayReply: (id) => stray.push(id) } });
    const raw: string[] = [];
    const parsed: unknown[] = [];
    rpc.channels.addRaw('ticker.', { onRawNotification: (d, s, e, cs, ce) => raw.push(`${d.toString('utf8', cs, ce)} ${d.toString('utf8', s, e).length}`) });
    rpc.channels.addParsed('session.orders', (_c, n) => parsed.push(n));
    await connect(rpc);
    await rpc.call('notify', {});
    await until(() => stray.length === 1, 'the stray reply');
    expect(raw).toEqual([`ticker.BTC-PERPETUAL.raw ${JSON.stringify({ channel_name: 'ticker.BTC-PERPETUAL.raw', notification: { mark_price: 1 } }).length}`]);
    expect(parsed).toEqual([[{ order_id: 'x' }]]);
    expect(unrouted).toEqual(['nobody.listens']);
    expect(stray).toEqual([999]); // a reply in another key order still reaches the slow path
    rpc.dispose();
  });
});

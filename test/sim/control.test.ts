import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeLoginToken, parsePrivateKey } from '../../src/protocol/login-token.js';
import { RpcSession } from '../../src/rpc/session.js';
import type { SimulatorHandle, SimulatorOptions } from '../../src/sim/index.js';
import { WsClient } from '../../src/ws/client.js';
import type { WsError } from '../../src/ws/errors.js';
import { validateNotificationFrame } from '../helpers/spec.js';
import { TEST_KEY_ID, TEST_PRIVATE_PEM, simulator, until } from '../helpers/venue.js';

interface Conn {
  frames: string[];
  rpc: RpcSession;
  ws: WsClient;
  closes: Array<{ code: number; error: WsError | undefined }>;
}

async function connect(url: string, ca?: Buffer): Promise<Conn> {
  const c = { frames: [] as string[], rpc: new RpcSession({ timeoutMs: 5000 }), closes: [] as Conn['closes'] } as Conn;
  c.ws = new WsClient({ url, pingIntervalMs: 0, ...(ca !== undefined ? { ca } : {}) }, {
    onOpen() {},
    onMessage: (d, s, e) => {
      c.frames.push(d.toString('utf8', s, e));
      c.rpc.handleMessage(d, s, e);
    },
    onClose: (code, _r, error) => {
      c.closes.push({ code, error });
      c.rpc.detach('closed');
    },
  });
  c.rpc.channels.addParsed('', () => {});
  await c.ws.connect();
  c.rpc.attach(c.ws);
  return c;
}

const login = async (c: Conn) => c.rpc.call('public/login', { token: await makeLoginToken(parsePrivateKey(TEST_PRIVATE_PEM, 't'), TEST_KEY_ID) });

async function withSim<T>(opts: SimulatorOptions, f: (sim: SimulatorHandle) => Promise<T>): Promise<T> {
  const sim = await simulator({ stepsPerSecond: 0, ...opts });
  try {
    return await f(sim);
  } finally {
    await sim.stop();
  }
}

describe('simulator control', () => {
  it('price_index notifications, spec-valid', async () => {
    await withSim({}, async (sim) => {
      const c = await connect(sim.url);
      expect(await c.rpc.call('public/subscribe', { channels: ['price_index.BTCUSD', 'price_index.NOPE'] })).toEqual(['price_index.BTCUSD']);
      sim.step();
      await until(() => c.frames.filter((f) => f.includes('"price_index.BTCUSD"')).length >= 2, 'snapshot and update');
      for (const f of c.frames.filter((x) => x.startsWith('{"channel_name"'))) expect(validateNotificationFrame(JSON.parse(f))).toEqual([]);
      c.ws.destroy();
    });
  });

  it('a malformed frame (text that is not UTF-8) makes our client close with 1007', async () => {
    await withSim({}, async (sim) => {
      const c = await connect(sim.url);
      sim.sendInvalidFrame();
      await until(() => c.closes.length === 1, 'close');
      expect(c.closes[0]!.code).toBe(1007);
      expect(c.closes[0]!.error?.code).toBe('WS_ERR_INVALID_UTF8');
    });
  });

  it('serves wss:// with a given certificate; our client verifies it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    await withSim({ tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } }, async (sim) => {
      expect(sim.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ws\/api\/v2$/);
      const { readFileSync } = await import('node:fs');
      const c = await connect(sim.url, readFileSync(join(dir, 'cert.pem')));
      expect(await login(c)).toEqual({ account_number: 'A000000001' });
      c.ws.destroy();
    });
  });

  it('is deterministic: same seed and same requests give byte-identical frames', async () => {
    const script = async (sim: SimulatorHandle): Promise<string[]> => {
      const c = await connect(sim.url);
      await login(c);
      await c.rpc.call('private/subscribe', { channels: ['session.orders', 'account.portfolio', 'account.trade_history', 'session.mm_protection'] });
      await c.rpc.call('public/subscribe', { channels: ['ticker.BTC-PERPETUAL.raw', 'price_index.BTCUSD'] });
      await c.rpc.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
      for (let k = 0; k < 20; k++) {
        const m = sim.venue.market('BTC-PERPETUAL')!;
        await c.rpc.call('private/mass_quote', { quotes: [{ i: 'BTC-PERPETUAL', b: [[Math.round(m.ref) - 3, 0.01]], a: [[Math.round(m.ref) + 3, 0.01]] }] });
        sim.step();
        await new Promise((r) => setTimeout(r, 5));
      }
      await c.rpc.call('public/instruments');
      c.ws.destroy();
      return c.frames;
    };
    const a = await withSim({ seed: 42, clock: 'simulated', takerProbability: 0.5 }, script);
    const b = await withSim({ seed: 42, clock: 'simulated', takerProbability: 0.5 }, script);
    expect(a.length).toBeGreaterThan(40);
    expect(a.some((f) => f.includes('"trade_id"'))).toBe(true); // the taker flow did trade
    expect(b).toEqual(a);
    const c = await withSim({ seed: 43, clock: 'simulated', takerProbability: 0.5 }, script);
    expect(c).not.toEqual(a);
  });
});

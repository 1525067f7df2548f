import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEngineConfig } from '../../src/engine/config.js';
import { ConfigError } from '../../src/engine/errors.js';
import { Engine } from '../../src/engine/engine.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { validateRequest } from '../helpers/spec.js';
import { engineConfig, simulator, until } from '../helpers/venue.js';

/**
 * A TCP relay that also reads what the client sends: client frames are masked (RFC 6455 5.3),
 * so each is unmasked here and its text kept, to see the bytes the engine put on the wire.
 */
async function tapRelay(targetPort: number): Promise<{ url(target: string): string; sent: string[]; close(): Promise<void> }> {
  const sent: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    let upgraded = false;
    client.on('data', (d: Buffer) => {
      upstream.write(d);
      pending = Buffer.concat([pending, d]);
      if (!upgraded) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        pending = pending.subarray(end + 4);
        upgraded = true;
      }
      for (;;) {
        if (pending.length < 2) return;
        let len = pending[1]! & 0x7f;
        let at = 2;
        if (len === 126) {
          if (pending.length < 4) return;
          len = pending.readUInt16BE(2);
          at = 4;
        } else if (len === 127) {
          if (pending.length < 10) return;
          len = Number(pending.readBigUInt64BE(2));
          at = 10;
        }
        if (pending.length < at + 4 + len) return;
        const mask = pending.subarray(at, at + 4);
        const payload = Buffer.from(pending.subarray(at + 4, at + 4 + len));
        for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
        if ((pending[0]! & 0x0f) === 1) sent.push(payload.toString('utf8'));
        pending = pending.subarray(at + 4 + len);
      }
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: (target) => target.replace(/:\d+\//, `:${port}/`),
    sent,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

describe('self-trade prevention (quoting.stpLevel / stpAction)', () => {
  it('reaches the wire: every mass_quote carries the configured stp_level and stp_action, valid per the spec, and the simulator accepts them', async () => {
    const sim: SimulatorHandle = await simulator({ stepsPerSecond: 0 });
    open.push(() => sim.stop());
    const relay = await tapRelay(sim.port);
    open.push(() => relay.close());
    const cfg = engineConfig(sim, { instruments: ['BTC-PERPETUAL'], pricing: { mode: 'inline' }, quoting: { stpLevel: 'account', stpAction: 'cancel_aggressive_no_fill' } });
    const engine = new Engine({ ...cfg, url: relay.url(sim.url) });
    engine.on('engineError', () => {});
    open.push(async () => void (await engine.stop()));
    await engine.start();
    sim.step();
    await until(() => sim.venue.liveQuotes().length === 2, 'two-sided quotes at the venue');
    const quotes = relay.sent.map((t) => JSON.parse(t) as { method?: string; params?: Record<string, unknown> }).filter((m) => m.method === 'private/mass_quote');
    expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes) {
      expect(q.params).toMatchObject({ stp_level: 'account', stp_action: 'cancel_aggressive_no_fill' });
      expect(validateRequest('private/mass_quote', q.params)).toEqual([]);
    }
  });

  it('unset: neither is sent (the venue defaults apply); a value outside the spec enums is a config error naming the field', async () => {
    const sim: SimulatorHandle = await simulator({ stepsPerSecond: 0 });
    open.push(() => sim.stop());
    const relay = await tapRelay(sim.port);
    open.push(() => relay.close());
    const cfg = engineConfig(sim, { instruments: ['BTC-PERPETUAL'], pricing: { mode: 'inline' } });
    const engine = new Engine({ ...cfg, url: relay.url(sim.url) });
    engine.on('engineError', () => {});
    open.push(async () => void (await engine.stop()));
    await engine.start();
    sim.step();
    await until(() => sim.venue.liveQuotes().length === 2, 'two-sided quotes at the venue');
    const quotes = relay.sent.filter((t) => t.includes('"private/mass_quote"'));
    expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes) expect(q).not.toMatch(/stp_/);

    const base = { url: sim.url, credentials: { keyId: 'k', privateKeyPath: '/k.pem' }, instruments: ['X'] };
    for (const [quoting, path] of [
      [{ stpLevel: 'subaccount' }, 'quoting.stpLevel'],
      [{ stpAction: 'cancel_passive' }, 'quoting.stpAction'],
    ] as const) {
      let err: unknown;
      try {
        parseEngineConfig({ ...base, quoting });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).issues[0]!.path).toBe(path);
      // The spec's values, no others: what the venue's private/mass_quote takes.
      expect(validateRequest('private/mass_quote', { quotes: [], stp_level: (quoting as { stpLevel?: string }).stpLevel ?? 'customer', stp_action: (quoting as { stpAction?: string }).stpAction ?? 'cancel_aggressive_no_fill' }).length).toBeGreaterThan(0);
    }
    for (const stpLevel of ['customer', 'account', 'disabled'] as const) {
      expect(parseEngineConfig({ ...base, quoting: { stpLevel, stpAction: 'cancel_aggressive_partial_fill' } }).quoting.stpLevel).toBe(stpLevel);
      expect(validateRequest('private/mass_quote', { quotes: [], stp_level: stpLevel, stp_action: 'cancel_aggressive_partial_fill' })).toEqual([]);
    }
  });
});

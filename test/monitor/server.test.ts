import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DISTRIBUTION_PERCENTILES, MonitorConfigError, MonitorListenError, startMonitor } from '../../src/monitor/index.js';
import type { MonitorHandle, PushMessage } from '../../src/monitor/index.js';
import { FakeSource, withoutBook } from './fake-source.js';
import { listenAddresses, rawRequest } from './net.js';
import { until } from '../helpers/venue.js';

const open: MonitorHandle[] = [];
afterEach(async () => {
  for (const m of open.splice(0)) await m.close();
});

async function start(source = new FakeSource(), options: Parameters<typeof startMonitor>[1] = {}) {
  const m = await startMonitor(source, { intervalMs: 100, ...options });
  open.push(m);
  return { m, source };
}

/** Messages from /ws until `count` have arrived (bounded wait). */
async function receive(url: string, count: number, headers: Record<string, string> = {}): Promise<PushMessage[]> {
  const ws = new WebSocket(url.replace('http', 'ws') + 'ws', { headers });
  const got: PushMessage[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`only ${got.length} of ${count} messages in 10 s`)), 10_000);
      ws.on('message', (d) => {
        got.push(JSON.parse(String(d)) as PushMessage);
        if (got.length >= count) {
          clearTimeout(t);
          resolve();
        }
      });
      ws.on('error', reject);
    });
  } finally {
    ws.close();
  }
  return got;
}

describe('monitor server', () => {
  it('binds 127.0.0.1 by default, as the kernel reports it', async () => {
    const { m } = await start();
    expect(m.host).toBe('127.0.0.1');
    expect(m.url).toBe(`http://127.0.0.1:${m.port}/`);
    expect(m.port).toBeGreaterThan(0);
    expect(listenAddresses(m.port)).toEqual(['127.0.0.1']);
  });

  it('binds another address only when told (the assertion above can tell them apart)', async () => {
    const { m } = await start(undefined, { host: '0.0.0.0' });
    expect(listenAddresses(m.port)).toEqual(['0.0.0.0']);
  });

  it('serves the page, its script and uPlot from the installed package', async () => {
    const { m } = await start();
    const page = await fetch(m.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/uplot.js">');
    const js = await fetch(m.url + 'uplot.js');
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('uPlot');
    expect((await fetch(m.url + 'uplot.css')).status).toBe(200);
    expect(await (await fetch(m.url + 'page.js')).text()).toContain("new WebSocket(");
    expect((await fetch(m.url + 'nope')).status).toBe(404);
  });

  it('pushes the history on open, then one changing sample per interval', async () => {
    const { m } = await start();
    const [first, a, b] = await receive(m.url, 3);
    expect(first!.type).toBe('history');
    if (first!.type !== 'history' || a!.type !== 'sample' || b!.type !== 'sample') throw new Error('unexpected message types');
    expect(first.samples.length).toBeGreaterThanOrEqual(1);
    expect(b.sample.t).toBeGreaterThan(a.sample.t);
    expect(b.sample.quotesSent).toBeGreaterThan(a.sample.quotesSent);
    expect(b.sample.quotesPerSec).toBeGreaterThan(0);
    expect(b.sample.book).toHaveLength(2);
    expect(b.sample.positions).toHaveProperty('BTC-PERPETUAL');
    // the HDR distribution, read once per sample at the fixed percentiles
    expect(b.sample.distribution?.percentiles).toEqual([...DISTRIBUTION_PERCENTILES]);
    expect(b.sample.distribution?.quoteRtt).toHaveLength(DISTRIBUTION_PERCENTILES.length);
    expect(b.sample.distribution?.tickToWire).toHaveLength(DISTRIBUTION_PERCENTILES.length);
  });

  it('works with a source that has no book() nor latencyDistribution()', async () => {
    const fake = new FakeSource();
    const { m } = await start(withoutBook(fake) as FakeSource);
    const [, s] = await receive(m.url, 2);
    if (s!.type !== 'sample') throw new Error('expected a sample');
    expect(s!.sample.book).toBeNull();
    expect(s!.sample.distribution).toBeNull();
  });

  it('counts fills and protection trips from engine events, and detaches on close', async () => {
    const { m, source } = await start();
    source.emit('fill', { instrument: 'BTC-PERPETUAL', direction: 'buy', price: 1, amount: 1, tradeId: 't', orderId: 'o', time: 0, position: 1 });
    source.emit('protection', { product: 'BTC', state: 'cooling', reason: 'cooling: executions', remainingAmount: 0 });
    source.emit('protection', { product: 'BTC', state: 'armed', reason: 'armed: refill', remainingAmount: 1 });
    const [, s] = await receive(m.url, 2);
    if (s!.type !== 'sample') throw new Error('expected a sample');
    expect(s!.sample.fills).toBe(1);
    expect(s!.sample.protectionTrips).toBe(1);
    expect(source.listenerCount('fill')).toBe(1);
    await m.close();
    expect(source.listenerCount('fill')).toBe(0);
    expect(source.listenerCount('protection')).toBe(0);
  });

  it('close() releases the port and is idempotent', async () => {
    const { m } = await start();
    await m.close();
    await m.close();
    expect(listenAddresses(m.port)).toEqual([]);
  });

  it('keeps running when a source getter throws', async () => {
    const { m, source } = await start();
    // scraped once before the failures, so a cached exposition must not hide them
    expect(await (await fetch(m.url + 'metrics')).text()).not.toContain('sample_errors_total{');
    source.failMetrics = true;
    // Two sampler passes refused (the first may be the scrape's own), whatever the machine's load.
    await until(() => source.failedMetricsCalls >= 2, 'two failed samples');
    source.failMetrics = false;
    const text = await (await fetch(m.url + 'metrics')).text();
    expect(text).toMatch(/thalex_quoter_monitor_sample_errors_total\{code="unknown"\} [1-9]/);
    const [, s] = await receive(m.url, 2);
    expect(s!.type).toBe('sample');
  });
});

describe('monitor kill switch', () => {
  it('generates a 256-bit token, kept out of JSON and inspection', async () => {
    const { m } = await start();
    expect(Buffer.from(m.token, 'base64url')).toHaveLength(32);
    expect(JSON.stringify(m)).not.toContain(m.token);
    const { inspect } = await import('node:util');
    expect(inspect(m)).not.toContain(m.token);
    const { m: other } = await start();
    expect(other.token).not.toBe(m.token);
  });

  it.each([
    ['no header', undefined],
    ['wrong token', () => 'Bearer wrong-token-of-some-length'],
    ['right token, wrong scheme', (t: string) => `Basic ${t}`],
    ['right token with a suffix', (t: string) => `Bearer ${t}x`],
    ['a prefix of the token', (t: string) => `Bearer ${t.slice(0, 10)}`],
    ['an empty bearer', () => 'Bearer '],
  ])('refuses %s with 401 and does not call kill() or resume()', async (_name, auth) => {
    const { m, source } = await start();
    const headers: Record<string, string> = auth === undefined ? {} : { Authorization: auth(m.token) };
    const r = await fetch(m.url + 'kill', { method: 'POST', headers });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await r.text()).not.toContain(m.token);
    expect((await fetch(m.url + 'resume', { method: 'POST', headers })).status).toBe(401);
    expect(source.killCalls).toBe(0);
    expect(source.resumeCalls).toBe(0);
  });

  it('kills and resumes with the token', async () => {
    const { m, source } = await start();
    const auth = { Authorization: `Bearer ${m.token}` };
    const k = await fetch(m.url + 'kill', { method: 'POST', headers: auth });
    expect(k.status).toBe(200);
    expect(await k.json()).toEqual({ ok: true, state: 'halted' });
    expect(source.killCalls).toBe(1);
    const r = await fetch(m.url + 'resume', { method: 'POST', headers: auth });
    expect(await r.json()).toEqual({ ok: true, state: 'quoting' });
    expect(source.resumeCalls).toBe(1);
  });

  it('uses a configured token, and refuses a short one', async () => {
    const token = 'a-configured-token-0123456789';
    const { m, source } = await start(undefined, { token });
    expect(m.token).toBe(token);
    expect((await fetch(m.url + 'kill', { method: 'POST', headers: { Authorization: `bearer ${token}` } })).status).toBe(200);
    expect(source.killCalls).toBe(1);
    await expect(startMonitor(new FakeSource(), { token: 'short' })).rejects.toBeInstanceOf(MonitorConfigError);
  });

  it('answers 500 with the error code when kill() fails', async () => {
    const source = new FakeSource();
    source.kill = async () => {
      const { QuoterError } = await import('../../src/errors.js');
      throw new QuoterError('RPC_ERR_TIMEOUT', 'cancel not confirmed');
    };
    const { m } = await start(source);
    const r = await fetch(m.url + 'kill', { method: 'POST', headers: { Authorization: `Bearer ${m.token}` } });
    expect(r.status).toBe(500);
    expect(await r.json()).toMatchObject({ error: 'RPC_ERR_TIMEOUT' });
  });
});

describe('monitor hardening', () => {
  it('refuses a foreign Host on a loopback bind (DNS rebinding)', async () => {
    const { m } = await start();
    const bad = await rawRequest(m.port, `GET / HTTP/1.1\r\nHost: evil.example:${m.port}\r\n\r\n`);
    expect(bad).toMatch(/^HTTP\/1\.1 403/);
    const good = await rawRequest(m.port, `GET / HTTP/1.1\r\nHost: localhost:${m.port}\r\n\r\n`);
    expect(good).toMatch(/^HTTP\/1\.1 200/);
  });

  it('refuses a WebSocket from another origin, accepts our own', async () => {
    const { m } = await start();
    await expect(receive(m.url, 1, { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    const [h] = await receive(m.url, 1, { Origin: `http://127.0.0.1:${m.port}` });
    expect(h!.type).toBe('history');
  });

  it('reports a port in use with a coded error', async () => {
    const { m } = await start();
    const err = await startMonitor(new FakeSource(), { port: m.port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MonitorListenError);
    expect((err as MonitorListenError).code).toBe('MONITOR_ERR_LISTEN');
  });

  it.each([{ port: -1 }, { port: 70000 }, { intervalMs: 5 }, { host: '' }])('refuses options %o', async (o) => {
    const err = await startMonitor(new FakeSource(), o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MonitorConfigError);
    expect((err as MonitorConfigError).code).toBe('MONITOR_ERR_CONFIG');
  });
});

/**
 * Secrets never reach the output: the CLI runs a whole life at debug log level (login,
 * quoting, drops, a refused login, malformed venue input, kill and resume, shutdown) and every
 * byte it writes is searched for the private key, any JWT, and the monitor token (printed once,
 * on purpose, at start). Errors thrown for bad keys are searched the same way.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { loadPrivateKey, makeLoginToken, parsePrivateKey } from '../../src/protocol/login-token.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { engineConfig, simulator, until } from '../helpers/venue.js';

const MAIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await simulator({ stepsPerSecond: 20 });
});
afterAll(async () => {
  await sim.stop();
});

/** Every line of the PEM body (base64 of the key), and the PEM markers. */
function keyFragments(pem: string): string[] {
  return pem
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => (l.startsWith('-----') ? 'PRIVATE KEY-----' : l));
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

describe('secrets stay out of the output', () => {
  it('a CLI life at debug level with drops, a refused login and bad venue input prints no key, no login token, and the monitor token only once', async () => {
    expect(spawnSync(process.execPath, [MAIN, 'keygen', join(dir, 'api')], { encoding: 'utf8' }).status).toBe(0);
    const pem = readFileSync(join(dir, 'api.pem'), 'utf8');
    sim.addKey({ keyId: 'sec-key', publicKeyPem: readFileSync(join(dir, 'api.pub.pem'), 'utf8') });
    const child = spawn(process.execPath, [MAIN, 'run', '--url', sim.url, '--key-id', 'sec-key', '--pem', join(dir, 'api.pem'), '--instruments', 'BTC-PERPETUAL', '--log-level', 'trace', '--monitor-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await until(() => sim.venue.liveQuotes().length === 2, 'quotes', 15_000);
    const logins = sim.calls('public/login');
    sim.faults.rejectLogins = true;
    sim.dropConnections();
    await until(() => sim.calls('public/login') >= logins + 2, 'refused logins', 10_000);
    sim.faults.rejectLogins = false;
    await until(() => sim.venue.liveQuotes().length === 2, 'quoting again', 15_000);
    sim.sendMalformed();
    sim.sendRaw('{"id":"x","error":{"code":1,"message":"eyJhbGciOiJSUzUxMiJ9 is not a token"}}');
    sim.dropConnections(1011);
    await until(() => sim.venue.liveQuotes().length === 2, 'quoting after 1011', 15_000);
    child.kill('SIGUSR1');
    await until(() => sim.venue.liveQuotes().length === 0, 'kill switch', 10_000);
    child.kill('SIGUSR2');
    await until(() => sim.venue.liveQuotes().length === 2, 'resumed', 10_000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);

    expect(out.length).toBeGreaterThan(1000); // trace level really wrote a lot
    for (const f of keyFragments(pem)) expect(out, 'private key material').not.toContain(f);
    expect(out).not.toMatch(JWT);
    const token = /token printed once: (\S+)\)/.exec(out)?.[1];
    expect(token).toBeDefined();
    expect(out.split(token!).length - 1).toBe(1);
  }, 90_000);

  it('errors about keys name the file or the problem, never the key', async () => {
    const pem = readFileSync(join(dir, 'api.pem'), 'utf8');
    const broken = pem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    const seen: unknown[] = [];
    for (const attempt of [
      () => parsePrivateKey(broken, 'config credentials.privateKeyPem'),
      () => parsePrivateKey(pem.replace('PRIVATE KEY', 'PUBLIC KEY'), 'x'),
      () => parsePrivateKey(pem.slice(0, pem.length / 2), 'x'),
      () => makeLoginToken(parsePrivateKey(pem, 'x'), ''),
      () => loadPrivateKey(join(dir, 'missing.pem')),
    ]) {
      try {
        await attempt();
        expect.unreachable('should have thrown');
      } catch (e) {
        seen.push(e);
      }
    }
    const engine = new Engine(engineConfig(sim, { credentials: { keyId: 'sec-key', privateKeyPem: broken } }));
    await engine.start().catch((e: unknown) => seen.push(e));
    expect(seen).toHaveLength(6);
    for (const e of seen) {
      expect((e as { code?: string }).code).toMatch(/^[A-Z]+_ERR_[A-Z_]+$/);
      const text = `${inspect(e, { depth: 10 })}\n${JSON.stringify(e)}\n${(e as Error).stack}`;
      for (const f of keyFragments(pem).slice(1, -1)) expect(text).not.toContain(f);
    }
  });
});

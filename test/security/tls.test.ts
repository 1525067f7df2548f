import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { QuoterError } from '../../src/errors.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { engineConfig, simulator, until } from '../helpers/venue.js';

/** TLS verification is on unless the config turns it off by name; a self-signed venue is refused. */
describe('TLS verification', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-'));
  let sim: SimulatorHandle;
  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    sim = await simulator({ tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('an engine with default config refuses a venue whose certificate it cannot verify: coded error, no login sent', async () => {
    const engine = new Engine(engineConfig(sim));
    expect(engine.config.tls.rejectUnauthorized).toBe(true);
    const errors: QuoterError[] = [];
    engine.on('engineError', (e) => errors.push(e));
    void engine.start().catch(() => {});
    await until(() => errors.length >= 2, 'two refused connection attempts');
    await engine.stop();
    expect(errors[0]!.code).toBe('WS_ERR_HANDSHAKE');
    expect(errors[0]!.message + String((errors[0] as Error & { cause?: unknown }).cause)).toMatch(/self[- ]signed|certificate/i);
    expect(sim.calls('public/login')).toBe(0);
  });

  it('the same venue is accepted once its CA is given explicitly', async () => {
    const engine = new Engine(engineConfig(sim, { tls: { ca: readFileSync(join(dir, 'cert.pem'), 'utf8') } }));
    await engine.start();
    expect(engine.state).toBe('quoting');
    await engine.stop();
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { generateKeyFiles } from '../../src/cli/keygen.js';
import { createLogger, scrubSecrets } from '../../src/cli/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { lines, stream };
}

const pem = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
const jwt = 'eyJhbGciOiJSUzUxMiIsImtpZCI6ImsxIn0.eyJpYXQiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlc2lnbmF0dXJl';
const pemBody = pem.split('\n')[1]!;

describe('logger', () => {
  it('never writes tokens or private keys, whether as fields or inside message text', () => {
    const { lines, stream } = capture();
    const log = createLogger({ destination: stream, level: 'debug' });
    log.info({ token: jwt, params: { token: jwt }, cfg: { credentials: { privateKeyPem: pem } } }, 'login');
    log.info(`sending token ${jwt}`);
    log.warn({ privateKey: pem }, `key was ${pem}`);
    log.error({ err: new Error(`bad key ${pem} and token ${jwt}`) }, 'failed');
    log.debug({ monitor: { killToken: 'kill-secret-123' } }, 'monitor');
    const out = lines.join('');
    expect(lines.length).toBe(5);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain(pemBody);
    expect(out).not.toContain('kill-secret-123');
    expect(out).toContain('[Redacted]');
    expect(out).toContain('[Redacted JWT]');
    expect(out).toContain('[Redacted PEM]');
  });

  it('scrubSecrets leaves ordinary text alone', () => {
    expect(scrubSecrets('quote BTC-PERPETUAL 95000 x 0.1')).toBe('quote BTC-PERPETUAL 95000 x 0.1');
  });
});

describe('keygen', () => {
  it('writes a 0600 PKCS#8 private key and a public key, and never overwrites', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keygen-'));
    const { privateKeyPath, publicKeyPath } = generateKeyFiles(join(dir, 'api'), 2048);
    expect(readFileSync(privateKeyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readFileSync(publicKeyPath, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(statSync(privateKeyPath).mode & 0o077).toBe(0);
    const before = readFileSync(privateKeyPath, 'utf8');
    expect(() => generateKeyFiles(join(dir, 'api'))).toThrow(expect.objectContaining({ code: 'CLI_ERR_KEY_EXISTS' }));
    expect(readFileSync(privateKeyPath, 'utf8')).toBe(before);
    // Only the public half left over: still refused, and no private key is written beside it.
    writeFileSync(join(dir, 'lone.pub.pem'), 'x');
    expect(() => generateKeyFiles(join(dir, 'lone'))).toThrow(expect.objectContaining({ code: 'CLI_ERR_KEY_EXISTS' }));
    expect(existsSync(join(dir, 'lone.pem'))).toBe(false);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/protocol/errors.js';
import { loadPrivateKey, makeLoginToken, parsePrivateKey } from '../../src/protocol/login-token.js';
import { QuoterError } from '../../src/errors.js';

// Keys are generated here, never read from the repository.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const pkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const smallRsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const encrypted = rsa.privateKey
  .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
  .toString();
const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'proto-key-'));
  await writeFile(file('pkcs1.pem'), pkcs1);
  await writeFile(file('pkcs8.pem'), pkcs8);
  await writeFile(file('ec.pem'), ec);
  await writeFile(file('small.pem'), smallRsa);
  await writeFile(file('encrypted.pem'), encrypted);
  await writeFile(file('public.pem'), publicPem);
  await writeFile(file('garbage.txt'), 'not a key at all\n');
  // Looks like PEM, body is junk: the parser fails on it.
  await writeFile(file('broken.pem'), pkcs1.replace(/^(-----BEGIN RSA PRIVATE KEY-----\n)(.{20})/, '$1' + 'A'.repeat(20)).slice(0, 200) + '\n-----END RSA PRIVATE KEY-----\n');
  await writeFile(file('unreadable.pem'), pkcs1);
  await chmod(file('unreadable.pem'), 0o000);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function b64urlJson(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

describe('login token', () => {
  it.each(['pkcs1.pem', 'pkcs8.pem'])('%s: RS512 JWT that verifies with the public key; exact header and payload', async (name) => {
    const key = await loadPrivateKey(file(name));
    const token = await makeLoginToken(key, 'K123', 1_700_000_000);
    const [h, p, s] = token.split('.');
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
    // Exact bytes of header and payload: nothing more than the SDKs send.
    expect(b64urlJson(h!)).toEqual({ alg: 'RS512', typ: 'JWT', kid: 'K123' });
    expect(Object.keys(b64urlJson(h!) as object)).toEqual(['alg', 'typ', 'kid']);
    expect(b64urlJson(p!)).toEqual({ iat: 1_700_000_000 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS512', typ: 'JWT', kid: 'K123' });
    await compactVerify(token, rsa.publicKey, { algorithms: ['RS512'] });
    const { payload } = await jwtVerify(token, rsa.publicKey, { algorithms: ['RS512'], currentDate: new Date(1_700_000_000_000) });
    expect(payload).toEqual({ iat: 1_700_000_000 });
  });

  it('iat is integer seconds: fractions dropped, default is now', async () => {
    const key = parsePrivateKey(pkcs8, 'inline');
    const t1 = await makeLoginToken(key, 'K', 1_700_000_000.987);
    expect(b64urlJson(t1.split('.')[1]!)).toEqual({ iat: 1_700_000_000 });
    const before = Math.floor(Date.now() / 1000);
    const t2 = await makeLoginToken(key, 'K');
    const iat = (b64urlJson(t2.split('.')[1]!) as { iat: number }).iat;
    expect(Number.isInteger(iat)).toBe(true);
    expect(iat).toBeGreaterThanOrEqual(before);
    expect(iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('a signature from another key does not verify', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await makeLoginToken(other.privateKey, 'K', 1);
    await expect(compactVerify(token, rsa.publicKey)).rejects.toThrow();
  });

  it('bad kid or timestamp', async () => {
    const key = parsePrivateKey(pkcs1, 'inline');
    for (const [kid, now] of [
      ['', 1],
      [5 as unknown as string, 1],
      ['K', NaN],
      ['K', -1],
      ['K', Infinity],
    ] as const) {
      const err = await makeLoginToken(key, kid, now).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).code).toBe('PROTO_ERR_BAD_LOGIN');
    }
  });
});

describe('key loading errors: typed, name the file, never quote the key', () => {
  const pemLines = [...new Set([pkcs1, pkcs8, ec, smallRsa, encrypted, publicPem].flatMap((p) => p.split('\n')))]
    .filter((l) => l.length > 0 && !l.startsWith('-----'));

  async function failure(name: string): Promise<ProtocolError> {
    const err = await loadPrivateKey(file(name)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err).toBeInstanceOf(QuoterError);
    const e = err as ProtocolError;
    expect(e.message).toContain(file(name));
    const text = `${e.message}\n${e.stack ?? ''}\n${String(e.cause ?? '')}`;
    for (const line of pemLines) expect(text.includes(line)).toBe(false);
    expect(e.cause).toBeUndefined();
    return e;
  }

  it('missing file', async () => {
    const e = await failure('nope.pem');
    expect(e.code).toBe('PROTO_ERR_KEY_UNREADABLE');
    expect(e.message).toMatch(/does not exist/);
  });

  it('unreadable file', async () => {
    if (process.getuid?.() !== 0) {
      const e = await failure('unreadable.pem');
      expect(e.code).toBe('PROTO_ERR_KEY_UNREADABLE');
      expect(e.message).toMatch(/permission denied/);
      return;
    }
    // Root reads any file: load it from a child process running as `nobody` instead.
    const { spawnSync } = await import('node:child_process');
    const mod = new URL('../../dist/protocol/login-token.js', import.meta.url).href;
    const script = `import(${JSON.stringify(mod)}).then((m) => m.loadPrivateKey(${JSON.stringify(file('unreadable.pem'))})).then(() => console.log('LOADED'), (e) => console.log(e.code + ' ' + e.message))`;
    await chmod(dir, 0o755);
    const r = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: '/' });
    expect(r.stdout).toMatch(/^PROTO_ERR_KEY_UNREADABLE .*unreadable\.pem is not readable \(permission denied\)/);
    expect(r.stdout).not.toContain('PRIVATE KEY');
  });

  it('a directory', async () => {
    const err = await loadPrivateKey(dir).catch((e: unknown) => e);
    expect((err as ProtocolError).code).toBe('PROTO_ERR_KEY_UNREADABLE');
    expect((err as ProtocolError).message).toContain(dir);
  });

  it('not PEM', async () => {
    const e = await failure('garbage.txt');
    expect(e.code).toBe('PROTO_ERR_BAD_KEY');
    expect(e.message).toMatch(/not a PEM file/);
  });

  it('PEM with a corrupt body', async () => {
    const e = await failure('broken.pem');
    expect(e.code).toBe('PROTO_ERR_BAD_KEY');
  });

  it('EC key', async () => {
    const e = await failure('ec.pem');
    expect(e.code).toBe('PROTO_ERR_BAD_KEY');
    expect(e.message).toMatch(/ec key; RS512 needs an RSA key/);
  });

  it('RSA key below 2048 bits', async () => {
    const e = await failure('small.pem');
    expect(e.code).toBe('PROTO_ERR_BAD_KEY');
    expect(e.message).toMatch(/1024-bit/);
  });

  it('encrypted key or public key', async () => {
    expect((await failure('encrypted.pem')).code).toBe('PROTO_ERR_BAD_KEY');
    expect((await failure('public.pem')).code).toBe('PROTO_ERR_BAD_KEY');
  });
});

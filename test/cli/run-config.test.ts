import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/errors.js';
import { resolveRunConfig, type RunFlags } from '../../src/cli/run-config.js';

const dir = mkdtempSync(join(tmpdir(), 'runcfg-'));
const pem = join(dir, 'k.pem');
// A real key: the CLI parses the PEM before anything else happens.
const keyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
writeFileSync(pem, keyPem, { mode: 0o600 });

function code(flags: RunFlags, env: NodeJS.ProcessEnv = {}): string {
  try {
    resolveRunConfig(flags, env);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as Error).message).not.toContain('\n');
    return `${(e as CliError).code}: ${(e as Error).message}`;
  }
  return 'ok';
}

describe('run config', () => {
  it('merges flags over env over file', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ network: 'testnet', instruments: ['BTC-PERPETUAL'], credentials: { keyId: 'file', privateKeyPath: pem }, quoting: { label: 'from-file' } }));
    const r = resolveRunConfig({ config: file, keyId: 'flag' }, { THALEX_KEY_ID: 'env', THALEX_ACCOUNT: 'A1' });
    expect(r.network).toBe('testnet');
    expect(r.config.url).toBe('wss://testnet.thalex.com/ws/api/v2');
    expect(r.config.credentials.keyId).toBe('flag');
    expect(r.config.credentials.account).toBe('A1');
    expect(r.config.quoting.label).toBe('from-file');
    const r2 = resolveRunConfig({ config: file }, { THALEX_KEY_ID: 'env' });
    expect(r2.config.credentials.keyId).toBe('env');
  });

  it('any ws:// or wss:// URL is accepted with --url', () => {
    const r = resolveRunConfig({ url: 'ws://10.0.0.1:9/ws/api/v2', keyId: 'k', pem, instruments: 'A,B' }, {});
    expect(r.config.url).toBe('ws://10.0.0.1:9/ws/api/v2');
    expect(r.config.instruments).toEqual(['A', 'B']);
  });

  it('every error path is one line with a stable code', () => {
    expect(code({ network: 'mainnet' })).toMatch(/^CLI_ERR_USAGE: --network must be/);
    expect(code({})).toMatch(/^CLI_ERR_USAGE: no venue/);
    expect(code({ network: 'production', keyId: 'k', pem, instruments: 'X' })).toMatch(/^CLI_ERR_PRODUCTION_NOT_CONFIRMED/);
    expect(code({ network: 'testnet', instruments: 'X' })).toMatch(/^CLI_ERR_CREDENTIALS: testnet needs credentials/);
    expect(code({ network: 'testnet', keyId: 'k', pem: join(dir, 'missing.pem'), instruments: 'X' })).toMatch(/^CLI_ERR_KEY_FILE: cannot read private key .*missing\.pem: ENOENT/);
    expect(code({ config: join(dir, 'nope.json') })).toMatch(/^CLI_ERR_CONFIG_FILE: cannot read config file/);
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, '-----BEGIN PRIVATE KEY-----\nSECRETSECRET\n-----END PRIVATE KEY-----\n', { mode: 0o600 });
    const junkErr = code({ network: 'testnet', keyId: 'k', pem: junk, instruments: 'X' });
    expect(junkErr).toMatch(/^CLI_ERR_KEY_FILE: private key .*junk\.pem is not a readable PEM private key/);
    expect(junkErr).not.toContain('SECRETSECRET');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    expect(code({ config: bad })).toMatch(/^CLI_ERR_CONFIG_FILE: .* is not valid JSON/);
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ instruments: ['X'], quoting: { maxInFlihgt: 3 } }));
    expect(code({ config: unknown, keyId: 'k', pem, network: 'testnet' })).toBe('CLI_ERR_CONFIG: config quoting: unknown key maxInFlihgt — did you mean maxInFlight?');
    const range = join(dir, 'range.json');
    writeFileSync(range, JSON.stringify({ instruments: ['X'], risk: { priceBand: 5 } }));
    expect(code({ config: range, keyId: 'k', pem, network: 'testnet' })).toMatch(/^CLI_ERR_CONFIG: config risk\.priceBand: /);
  });

  it('warns about a key file others can read, never prints the key', () => {
    const loose = join(dir, 'loose.pem');
    writeFileSync(loose, keyPem);
    chmodSync(loose, 0o644);
    const r = resolveRunConfig({ network: 'testnet', keyId: 'k', pem: loose, instruments: 'X' }, {});
    expect(r.warnings.join()).toMatch(/readable by group or others/);
    expect(r.warnings.join()).not.toContain(keyPem.split('\n')[1]!);
  });

  it('the simulator needs no credentials from the user', () => {
    const r = resolveRunConfig({ network: 'sim', instruments: 'BTC-PERPETUAL' }, {}, { url: 'ws://127.0.0.1:5/ws/api/v2', keyId: 'sim-key', pemPath: pem });
    expect(r.network).toBe('sim');
    expect(r.config.url).toBe('ws://127.0.0.1:5/ws/api/v2');
    expect(r.config.credentials).toEqual({ keyId: 'sim-key', privateKeyPath: pem });
  });

  it('the embedded simulator ignores credentials exported (or filed) for testnet; command-line ones count', () => {
    const simInfo = { url: 'ws://127.0.0.1:5/ws/api/v2', keyId: 'sim-key', pemPath: pem };
    const env = { THALEX_KEY_ID: 'testnet-key', THALEX_PEM_PATH: join(dir, 'testnet-missing.pem'), THALEX_ACCOUNT: 'A9' };
    const file = join(dir, 'shared.json');
    writeFileSync(file, JSON.stringify({ instruments: ['BTC-PERPETUAL'], credentials: { keyId: 'file-key', privateKeyPath: join(dir, 'file-missing.pem') } }));
    const r = resolveRunConfig({ network: 'sim', config: file }, env, simInfo);
    expect(r.config.credentials).toEqual({ keyId: 'sim-key', privateKeyPath: pem });
    const own = resolveRunConfig({ network: 'sim', instruments: 'X', keyId: 'mine', pem }, env, simInfo);
    expect(own.config.credentials).toEqual({ keyId: 'mine', privateKeyPath: pem });
    let err: unknown;
    try {
      resolveRunConfig({ network: 'sim', instruments: 'X', keyId: 'mine' }, env, simInfo);
    } catch (e) {
      err = e;
    }
    expect((err as CliError).code).toBe('CLI_ERR_CREDENTIALS');
    // A simulator elsewhere (--url) is a venue like any other: the environment's key is used.
    const remote = resolveRunConfig({ url: 'ws://127.0.0.1:6/ws/api/v2', instruments: 'X' }, { THALEX_KEY_ID: 'env-key', THALEX_PEM_PATH: pem });
    expect(remote.config.credentials.keyId).toBe('env-key');
  });

  it('the shipped sample config (examples/quoter.json) is valid as it is, every key in it documented in the README', () => {
    const sample = new URL('../../examples/quoter.json', import.meta.url).pathname;
    const r = resolveRunConfig({ config: sample, keyId: 'k', pem }, {});
    expect(r.network).toBe('testnet');
    expect(r.config.instruments).toEqual(['BTC-PERPETUAL', 'ETH-PERPETUAL']);
    expect(r.config.protection.default.tradeAmount).toBeLessThanOrEqual(r.config.protection.default.quoteAmount);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const json = JSON.parse(readFileSync(sample, 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(json)) {
      if (key === 'network') continue; // a CLI key, documented with the flags
      expect(readme, key).toContain(`\`${key}`);
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && key !== 'pricing') {
        for (const sub of Object.keys(value)) expect(readme, `${key}.${sub}`).toMatch(new RegExp(`\`(${key})?\\.${sub}\``));
      }
    }
  });
});

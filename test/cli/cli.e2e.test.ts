import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { simulator, until } from '../helpers/venue.js';

// The CLI as a user runs it: the compiled entry point (npm test builds first), a real process.
const MAIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cli-e2e-'));
let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await simulator({ stepsPerSecond: 20 });
});
afterAll(async () => {
  await sim.stop();
});

/** For commands that never reach the simulator (spawnSync blocks this process, and the simulator lives in it). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
}

function cliAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (status) => {
      clearTimeout(t);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('thalex-quoter CLI', () => {
  it('keygen writes a key pair that run logs in with; SIGUSR1 kills, SIGUSR2 resumes, SIGINT cancels everything and exits 0', async () => {
    const k = cli(['keygen', join(dir, 'api')]);
    expect(k.status).toBe(0);
    const pub = readFileSync(join(dir, 'api.pub.pem'), 'utf8');
    sim.addKey({ keyId: 'cli-key', publicKeyPem: pub });
    const child = spawn(process.execPath, [MAIN, 'run', '--url', sim.url, '--key-id', 'cli-key', '--pem', join(dir, 'api.pem'), '--instruments', 'BTC-PERPETUAL', '--log-level', 'warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await until(() => out.includes('quoting BTC-PERPETUAL'), 'the CLI to start quoting', 15_000);
    await until(() => sim.venue.liveQuotes().length === 2, 'its quotes on the venue', 10_000);
    child.kill('SIGUSR1'); // kill switch
    await until(() => sim.venue.liveQuotes().length === 0, 'no quote after SIGUSR1', 10_000);
    const sent = sim.calls('private/mass_quote');
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.calls('private/mass_quote')).toBe(sent); // halted: nothing sent while the market moves
    child.kill('SIGUSR2'); // resume
    await until(() => sim.venue.liveQuotes().length === 2, 'quoting again after SIGUSR2', 10_000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(sim.venue.liveQuotes()).toEqual([]);
    expect(out).not.toContain('BEGIN PRIVATE KEY');
    // Shutdown says what it did: the cancel, its confirmation with the time it took, the positions.
    expect(out).toMatch(/cancel_mass_quote sent; venue confirmed in \d+(\.\d+)? ms/);
    expect(out).toMatch(/final positions: BTC-PERPETUAL [+-]?\d/);
  });

  it('Ctrl+C while the venue is unreachable (retrying) exits 0: stopped; nothing was quoted', async () => {
    // A port nobody listens on: bound, noted and closed again.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    expect(cli(['keygen', join(dir, 'unreachable')]).status).toBe(0);
    const child = spawn(process.execPath, [MAIN, 'run', '--url', `ws://127.0.0.1:${port}/ws/api/v2`, '--key-id', 'k', '--pem', join(dir, 'unreachable.pem'), '--instruments', 'BTC-PERPETUAL', '--log-level', 'info'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // The status line (once a second) is written at once; the JSON log is buffered until exit.
    await until(() => (out.match(/^reconnecting /gm) ?? []).length >= 2, 'two status lines while retrying', 15_000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('stopped; nothing was quoted');
    expect(out).not.toContain('ENGINE_ERR_STATE');
    // Retrying quietly: one line per attempt, the cause once, no stack at info level.
    const attempts = out.match(/"msg":"engine reconnecting: connect failed: WS_ERR_HANDSHAKE; attempt \d+/g) ?? [];
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(out.match(/cannot reach the venue/g)).toHaveLength(1);
    expect(out).toContain('ECONNREFUSED');
    expect(out).not.toContain('"stack"');
    const lines = out.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeLessThanOrEqual(attempts.length + 6); // start, cause, attempts, shutdown, stopping, stopped
  });

  it('start (npm start): embedded simulator and monitor, quotes, prints the dashboard URL, Ctrl+C exits 0', async () => {
    const child = spawn(process.execPath, [MAIN, 'start'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await until(() => /quoting\s+\d+ q\/s/.test(out), 'a status line in state quoting', 20_000);
    expect(out).toContain('quoting BTC-PERPETUAL, ETH-PERPETUAL on sim');
    expect(out).toMatch(/monitor: http:\/\/127\.0\.0\.1:\d+\//);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('run --network sim with testnet credentials exported and a configured monitor token: quotes with the simulator\'s own key; the kill switch takes the token, never echoed', async () => {
    const token = 'configured-token-0123456789abcdef';
    // Credentials of a key the embedded simulator has never seen (as if exported for testnet).
    const child = spawn(process.execPath, [MAIN, 'run', '--network', 'sim', '--monitor-port', '0', '--log-level', 'trace'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, THALEX_MONITOR_TOKEN: token, THALEX_KEY_ID: 'testnet-key-id', THALEX_PEM_PATH: join(dir, 'api.pem') },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await until(() => /monitor: http:\/\/127\.0\.0\.1:\d+\//.test(out), 'the monitor URL', 20_000);
    expect(out).toContain('quoting BTC-PERPETUAL, ETH-PERPETUAL on sim');
    expect(out).not.toContain('unknown key id');
    const url = /monitor: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!;
    expect((await fetch(`${url}kill`, { method: 'POST', headers: { authorization: 'Bearer not-the-configured-token' } })).status).toBe(401);
    expect((await fetch(`${url}kill`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('token the configured --monitor-token');
    expect(out).not.toContain(token);
  });

  it('keygen twice: refused with a coded error, exit 2, the first key intact; a key inside a git work tree gets a note; the key is 0600', () => {
    const repo = join(dir, 'a-repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    const first = cli(['keygen', join(repo, 'keys', 'k')]);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`inside the git work tree ${repo}`);
    const key = readFileSync(join(repo, 'keys', 'k.pem'), 'utf8');
    expect(statSync(join(repo, 'keys', 'k.pem')).mode & 0o777).toBe(0o600);
    const again = cli(['keygen', join(repo, 'keys', 'k')]);
    expect(again.status).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/CLI_ERR_KEY_EXISTS: .*k\.pem exists; keygen never overwrites/);
    expect(readFileSync(join(repo, 'keys', 'k.pem'), 'utf8')).toBe(key);
    const outside = cli(['keygen', join(dir, 'outside', 'k')]);
    expect(outside.status).toBe(0);
    expect(outside.stdout).not.toContain('git work tree');
    // .gitignore of this project ignores private keys, should one land here anyway.
    expect(readFileSync(new URL('../../.gitignore', import.meta.url), 'utf8').split('\n')).toContain('*.pem');
  });

  it('first steps: the sample config quotes on the embedded simulator (with a key given on the command line); instruments --network sim and --url list the venue\'s instruments', async () => {
    const sample = new URL('../../examples/quoter.json', import.meta.url).pathname;
    // With a key of the user's own on the command line: the embedded simulator registers it.
    expect(cli(['keygen', join(dir, 'own')]).status).toBe(0);
    const child = spawn(process.execPath, [MAIN, 'run', '--network', 'sim', '--config', sample, '--key-id', 'my-own-key', '--pem', join(dir, 'own.pem'), '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await until(() => /^quoting\s+\d+ q\/s/m.test(out), 'a status line in state quoting', 20_000);
    expect(out).toContain('quoting BTC-PERPETUAL, ETH-PERPETUAL on sim');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toMatch(/venue confirmed in/);

    const embedded = await cliAsync(['instruments', '--network', 'sim']);
    expect(embedded.status).toBe(0);
    expect(embedded.stdout).toMatch(/^instrument\s+type\s+product/);
    for (const name of JSON.parse(readFileSync(sample, 'utf8')).instruments as string[]) expect(embedded.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
    const remote = await cliAsync(['instruments', '--url', sim.url, '--json']);
    expect(remote.status).toBe(0);
    const listed = JSON.parse(remote.stdout) as Array<{ instrument_name: string; tick_size: number }>;
    expect(listed.map((i) => i.instrument_name)).toContain('BTC-PERPETUAL');
    expect(listed.find((i) => i.instrument_name === 'ETH-PERPETUAL')?.tick_size).toBe(0.1);
    const refused = await cliAsync(['instruments']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/CLI_ERR_USAGE: instruments needs --network/);
  });

  it('every configuration error is one line with exit code 2, and nothing is sent', () => {
    const logins = sim.calls('public/login');
    const cases: Array<[string[], RegExp]> = [
      [['run'], /CLI_ERR_USAGE: no venue/],
      [['run', '--network', 'mainnet'], /CLI_ERR_USAGE: --network must be/],
      [['run', '--network', 'testnet', '--instruments', 'X'], /CLI_ERR_CREDENTIALS/],
      [['run', '--network', 'production', '--key-id', 'k', '--pem', join(dir, 'api.pem'), '--instruments', 'X'], /CLI_ERR_PRODUCTION_NOT_CONFIRMED/],
      [['run', '--url', sim.url, '--key-id', 'k', '--pem', join(dir, 'missing.pem'), '--instruments', 'X'], /CLI_ERR_KEY_FILE: cannot read private key .*missing\.pem/],
      [['run', '--url', 'http://x', '--key-id', 'k', '--pem', join(dir, 'api.pem'), '--instruments', 'X'], /CLI_ERR_CONFIG: config url: must be a ws/],
      [['bogus'], /CLI_ERR_USAGE: unknown command/],
    ];
    const junkPem = join(dir, 'junk.pem');
    writeFileSync(junkPem, 'not a key at all\n', { mode: 0o600 });
    const pubAsPrivate = join(dir, 'api.pub.pem'); // written by the keygen test above
    const inlineJunk = join(dir, 'inline-junk.json');
    writeFileSync(inlineJunk, JSON.stringify({ instruments: ['X'], credentials: { keyId: 'k', privateKeyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' } }));
    const key = ['--url', sim.url, '--key-id', 'k', '--pem', join(dir, 'api.pem'), '--instruments', 'X'];
    cases.push(
      [['run', '--url', sim.url, '--key-id', 'k', '--pem', junkPem, '--instruments', 'X'], /CLI_ERR_KEY_FILE: private key .*junk\.pem is not a PEM file/],
      [['run', '--url', sim.url, '--key-id', 'k', '--pem', pubAsPrivate, '--instruments', 'X'], /CLI_ERR_KEY_FILE: .*does not hold an unencrypted private key/],
      [['run', '--config', inlineJunk, '--url', sim.url], /CLI_ERR_KEY_FILE: config credentials\.privateKeyPem is not a readable PEM private key/],
      [['run', ...key, '--frobnicate'], /CLI_ERR_USAGE: Unknown option '--frobnicate'/],
      [['run', ...key, '--log-level', 'loud'], /CLI_ERR_USAGE: --log-level must be one of/],
      [['run', ...key, '--monitor-port', 'abc'], /CLI_ERR_USAGE: --monitor-port must be an integer 0-65535/],
      [['run', ...key, '--monitor-port', '70000'], /CLI_ERR_USAGE: --monitor-port must be an integer 0-65535/],
      [['run', ...key, '--monitor-token', 'short'], /CLI_ERR_USAGE: --monitor-token .*at least 16 characters/],
      [['keygen', join(dir, 'k2'), '--bitz', '4096'], /CLI_ERR_USAGE: Unknown option '--bitz'/],
    );
    const badJson = join(dir, 'bad.json');
    writeFileSync(badJson, '{"instruments": ["X"], "risk": {"maxPositon": 1}}');
    cases.push([['run', '--config', badJson, '--url', sim.url, '--key-id', 'k', '--pem', join(dir, 'api.pem')], /CLI_ERR_CONFIG: config risk: unknown key maxPositon — did you mean maxPosition\?/]);
    const typo = join(dir, 'typo.json');
    writeFileSync(typo, '{"instrumnts": ["BTC-PERPETUAL"]}');
    cases.push([['run', '--config', typo, '--url', sim.url, '--key-id', 'k', '--pem', join(dir, 'api.pem')], /CLI_ERR_CONFIG: config: unknown key instrumnts — did you mean instruments\? \(and 1 more\)$/m]);
    for (const [args, want] of cases) {
      const r = cli(args, { THALEX_KEY_ID: '', THALEX_PEM_PATH: '' });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(want);
    }
    expect(sim.calls('public/login')).toBe(logins);
  }, 90_000); // 17 processes one after the other: ~1 s each on a loaded 2-core machine

  it('a login the venue refuses exits non-zero with a coded error, key never printed', async () => {
    const r = await cliAsync(['run', '--url', sim.url, '--key-id', 'not-registered', '--pem', join(dir, 'api.pem'), '--instruments', 'BTC-PERPETUAL']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ENGINE_ERR_BOOTSTRAP: bootstrap step login failed/);
    expect(r.stderr + r.stdout).not.toContain('PRIVATE KEY');
  });
});

/**
 * The standalone simulator as a user runs it (`thalex-quoter sim`, the compiled entry point: run
 * `npm run build` first), its fault flags seen from our own client over a real socket.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimClient, code } from '../helpers/sim-client.js';
import { TEST_KEY_ID, TEST_PUBLIC_PEM, until } from '../helpers/venue.js';

const MAIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
const PUB = join(dir, 'test.pub.pem');
writeFileSync(PUB, TEST_PUBLIC_PEM);

const children: ChildProcess[] = [];
const clients: SimClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const ch of children.splice(0)) if (ch.exitCode === null) ch.kill('SIGKILL');
});

/** Starts `thalex-quoter sim --port 0 …`; resolves with its URL once it listens. */
async function startSim(args: string[]): Promise<{ url: string; exited: Promise<number | null>; child: ChildProcess; out(): string }> {
  const child = spawn(process.execPath, [MAIN, 'sim', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  await until(() => /listening on ws:\/\/\S+/.test(out) || child.exitCode !== null, 'the simulator to listen', 20_000);
  const m = /listening on (ws:\/\/\S+)/.exec(out);
  if (m === null) throw new Error(`the simulator did not start: ${out}`);
  return { url: m[1]!, exited, child, out: () => out };
}

async function client(url: string): Promise<SimClient> {
  const c = await new SimClient().open(url);
  clients.push(c);
  await c.login();
  await c.call('private/set_mm_protection', { product: 'FBTCUSD', trade_amount: 1, quote_amount: 1 });
  return c;
}

const isJson = (t: string) => {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};

describe('thalex-quoter sim fault flags', () => {
  it('--close-on private/mass_quote:1011 closes the first quoting connection with 1011; --malformed-json 20:once sends one broken frame', async () => {
    const sim = await startSim(['--key', PUB, '--key-id', TEST_KEY_ID, '--rate', '0', '--close-on', 'private/mass_quote:1011', '--malformed-json', '20:once']);
    const c = await client(sim.url);
    await until(() => c.frames.some((f) => !isJson(f)), 'the malformed frame');
    expect(c.frames.filter((f) => !isJson(f))).toEqual(['{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"mark_price":']);
    const quote = { quotes: [{ i: 'BTC-PERPETUAL', b: [[50_000, 0.01]] }] };
    expect(await code(c.call('private/mass_quote', quote))).toBe(-1); // no reply: the connection closed under it
    await until(() => c.closes.length === 1, 'the close');
    expect(c.closes).toEqual([1011]);
    // --close-count defaults to 1: the next connection quotes; :once already fired, so every frame it gets is valid.
    const d = await client(sim.url);
    expect(await d.call('private/mass_quote', quote)).toEqual({ n_success: 1, n_fail: 0, errors: [] });
    d.assertAllValid();
    expect(d.closes).toEqual([]);
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
  });

  it('without --key it says no login can succeed and how to add a key; public methods work (thalex-quoter instruments --url lists its instruments)', async () => {
    const child = spawn(process.execPath, [MAIN, 'sim', '--port', '0', '--rate', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    await until(() => out.includes('(or: thalex-quoter start'), 'the no-key notice', 20_000);
    expect(out).toMatch(/no API key registered \(--key\): public methods work, but no login can succeed/);
    expect(out).toContain('thalex-quoter sim --key ~/.thalex/sim-key.pub.pem --key-id sim-key');
    const url = /listening on (ws:\/\/\S+)/.exec(out)![1]!;
    // spawn, not spawnSync: the simulator is another process, but keep this one's loop free anyway.
    const listed = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const c = spawn(process.execPath, [MAIN, 'instruments', '--url', url], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      c.on('exit', (status) => resolve({ status, stdout }));
    });
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^BTC-PERPETUAL\s+perpetual\s+FBTCUSD\s+BTCUSD\s+1\s+0\.001/m);
    expect(listed.stdout).toMatch(/^\d+ instruments$/m);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const keyed = await startSim(['--key', PUB, '--key-id', TEST_KEY_ID, '--rate', '0']);
    keyed.child.kill('SIGTERM');
    expect(await keyed.exited).toBe(0);
    expect(keyed.out()).not.toContain('no API key registered');
  });

  it('--help lists every fault flag; a malformed fault flag exits 2 before listening', () => {
    const help = spawnSync(process.execPath, [MAIN, 'sim', '--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(help.status).toBe(0);
    for (const f of ['--reject-logins', '--drop-replies', '--delay-replies', '--close-on <m>[:<code>]', '--close-count <n|all>', '--close-before', '--malformed-json <ms>[:once]', '--malformed-frame <ms>[:once]', '--pause-feed <at>[:<for>]']) {
      expect(help.stdout).toContain(f);
    }
    const bad: Array<[string[], RegExp]> = [
      [['--close-on', 'private/mass_quote:1006'], /--close-on: "1006" is not a close code/],
      [['--close-on', 'private/mass_quote:x'], /--close-on: "x"/],
      [['--close-count', 'all'], /need --close-on/],
      [['--malformed-json', '0'], /--malformed-json: "0" is not a whole number ≥ 1/],
      [['--malformed-frame', '10:twice'], /--malformed-frame: "10:twice" is not <ms>\[:once\]/],
      [['--pause-feed', 'soon'], /--pause-feed: "soon"/],
    ];
    for (const [args, msg] of bad) {
      const r = spawnSync(process.execPath, [MAIN, 'sim', '--port', '0', ...args], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).not.toContain('listening');
    }
    // Seven CLI processes one after another: 30 s is not enough on 2 loaded cores.
  }, 120_000);
});

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { ServerInfo } from '../../src/server/index.js';
import { startChild, stopChild } from '../lib/child.js';

export interface SimProcess {
  url: string;
  keyId: string;
  privateKeyPem: string;
  /** Which server the simulator process serves on: a latency figure means little on the JS one. */
  server: ServerInfo;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The simulator in its own process on 127.0.0.1 (as the venue would be), with a fresh key. */
export async function startSimProcess(opts: { rate: number; instruments: number; seed?: number }): Promise<SimProcess> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-sim-'));
  const pub = join(dir, 'bench.pub.pem');
  writeFileSync(pub, publicKey);
  const script = new URL('../../src/sim/main.js', import.meta.url);
  const { child, hello } = await startChild<{ url: string; server: ServerInfo }>(script, [
    '--port', '0', '--key', pub, '--key-id', 'bench', '--no-throttle', '--seed', String(opts.seed ?? 1),
    '--rate', String(opts.rate), '--instruments', String(opts.instruments),
  ]);
  return { url: hello.url, keyId: 'bench', privateKeyPem: privateKey, server: hello.server, child, stop: () => stopChild(child) };
}

/** Starts a simulator process as the suites will (same Node, same environment) and reports its server. */
export async function probeSimServer(): Promise<ServerInfo> {
  const sim = await startSimProcess({ rate: 1, instruments: 1 });
  await sim.stop();
  return sim.server;
}

/** Names of the first `n` simulator instruments (syntheticInstruments). */
export function instrumentNames(n: number): string[] {
  const out = ['BTC-PERPETUAL', 'ETH-PERPETUAL'].slice(0, Math.min(n, 2));
  for (let k = out.length; k < n; k++) out.push(`S${k}-PERPETUAL`);
  return out;
}

import { generateKeyPairSync } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { ServerInfo } from '../../src/server/index.js';
import { startChild, stopChild } from '../lib/child.js';
import type { SimChildOptions, SimChildReply } from './sim-child.js';
import type { summarize } from './tcp-floor.js';

export interface SimProcess {
  url: string;
  keyId: string;
  privateKeyPem: string;
  /** Which server the simulator process serves on: a latency figure means little on the JS one. */
  server: ServerInfo;
  child: ChildProcess;
  /** Restarts the reaction histogram and the CPU clock (end of a warm-up). */
  reset(): Promise<void>;
  /** Reaction since the last reset (undefined unless measured), and the simulator's CPU time over it. */
  read(): Promise<{ reaction: ReturnType<typeof summarize> | undefined; cpuUs: number; wallMs: number }>;
  stop(): Promise<void>;
}

export interface SimProcessOptions {
  /** Market steps per second per instrument. */
  rate: number;
  instruments: number;
  seed?: number;
  /** message_rate granted (default 1000); enforced unless `throttle` is false. */
  messageRate?: number;
  throttle?: boolean;
  measureReaction?: boolean;
  /** The BTC option chain (sim `optionChain`) instead of `instruments` synthetic perpetuals. */
  optionChain?: boolean;
}

/** The simulator in its own process on 127.0.0.1 (as the venue would be), with a fresh key. */
export async function startSimProcess(opts: SimProcessOptions): Promise<SimProcess> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const o: SimChildOptions = {
    rate: opts.rate,
    instruments: opts.instruments,
    seed: opts.seed ?? 1,
    messageRate: opts.messageRate ?? 1000,
    throttle: opts.throttle ?? false,
    measureReaction: opts.measureReaction ?? false,
    optionChain: opts.optionChain ?? false,
    keyId: 'bench',
    publicKeyPem: publicKey,
  };
  const { child, hello } = await startChild<{ url: string; server: ServerInfo }>(new URL('./sim-child.js', import.meta.url), [JSON.stringify(o)]);
  const ask = <T extends SimChildReply['t']>(t: T): Promise<Extract<SimChildReply, { t: T }>> =>
    new Promise((resolve) => {
      const on = (m: SimChildReply): void => {
        if (m.t !== t) return;
        child.off('message', on);
        resolve(m as Extract<SimChildReply, { t: T }>);
      };
      child.on('message', on);
      child.send({ t });
    });
  return {
    url: hello.url,
    server: hello.server,
    keyId: 'bench',
    privateKeyPem: privateKey,
    child,
    reset: async () => {
      await ask('reset');
    },
    read: async () => {
      const r = await ask('read');
      return { reaction: r.reaction, cpuUs: r.cpuUs, wallMs: r.wallMs };
    },
    stop: () => stopChild(child),
  };
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

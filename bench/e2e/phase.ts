import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { QUOTER_NODE_FLAGS } from '../../src/cli/node-flags.js';
import { forkPinned, pinNote } from '../lib/cpu-pin.js';
import { BenchError } from '../lib/errors.js';
import { startSimProcess } from './sim-process.js';
import type { ClientKind, ClientMessage, ClientResult, ParentMessage, Summary } from './client-protocol.js';

/**
 * Node/V8 flags every e2e and chain client process starts with, the same for every client: those
 * npm start uses, unless the bench's --node-defaults emptied the list. The simulator's process
 * gets none.
 */
export const clientNodeFlags: string[] = [...QUOTER_NODE_FLAGS];

/** The sentences a suite's description carries about clientNodeFlags and CPU pinning. */
export function clientFlagsNote(): string {
  const flags = clientNodeFlags.length > 0 ? `Every client process runs with node ${clientNodeFlags.join(' ')} (as npm start).` : "Every client process runs with node's default flags (--node-defaults).";
  return `${flags} ${pinNote()}`;
}

export interface PhaseConfig {
  /** Ticker messages per second, all instruments together. */
  rate: number;
  instruments: string[];
  warmupSec: number;
  durationSec: number;
  cancels: number;
  /** message_rate the simulator grants and enforces, for every client alike. */
  messageRate: number;
  /** The option chain (`instruments` then holds only as many names as the chain case quotes, for the rate). */
  chain?: boolean;
  /** Pricing workers of engine-workers. */
  workers?: number;
  /** Engine clients: the heavy pricer's µs per call (see heavy-pricer.ts). */
  pricerUs?: number;
  /** Node/V8 flags of this phase's client process (default: clientNodeFlags). */
  nodeFlags?: readonly string[];
}

export interface PhaseResult {
  kind: ClientKind;
  client: ClientResult;
  /** Ticker handed to the kernel → next mass_quote received, measured by the simulator. */
  reaction: Summary | undefined;
  /** The simulator's CPU time over the window per quote the client sent. */
  simCpuUsPerQuote: number;
  /** 1-minute load average at the end of the window. */
  load1: number;
}

/**
 * One phase: a fresh simulator process and a fresh client process, so no phase inherits another's
 * heap, JIT state or venue state; the client brackets its measured window and the simulator's
 * reaction histogram and CPU clock are reset and read at the same moments.
 */
export async function runPhase(kind: ClientKind, c: PhaseConfig): Promise<PhaseResult> {
  const sim = await startSimProcess({ rate: Math.max(1, Math.round(c.rate / c.instruments.length)), instruments: c.instruments.length, messageRate: c.messageRate, throttle: true, measureReaction: true, optionChain: c.chain === true });
  try {
    const child = fork(new URL('./client-main.js', import.meta.url), [JSON.stringify({ kind, url: sim.url, keyId: sim.keyId, privateKeyPem: sim.privateKeyPem, instruments: c.instruments, warmupSec: c.warmupSec, durationSec: c.durationSec, cancels: c.cancels, ...(c.pricerUs !== undefined ? { pricerUs: c.pricerUs } : {}), chain: c.chain === true, workers: c.workers ?? 1 })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...forkPinned('client', [...process.execArgv, ...(c.nodeFlags ?? clientNodeFlags)]) });
    const limitMs = (c.warmupSec + c.durationSec) * 1000 + c.cancels * 200 + 30_000;
    let simSide: Awaited<ReturnType<typeof sim.read>> | undefined;
    let load1 = Number.NaN;
    const client = await new Promise<ClientResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new BenchError('BENCH_ERR_CHILD', `${kind} client did not finish within ${limitMs} ms`));
      }, limitMs);
      const go = (): void => {
        child.send({ t: 'go' } satisfies ParentMessage);
      };
      child.on('message', (m: ClientMessage) => {
        if (m.t === 'measure') void sim.reset().then(go);
        else if (m.t === 'measured') {
          load1 = loadavg()[0]!;
          void sim.read().then((r) => {
            simSide = r;
            go();
          });
        } else if (m.t === 'result') {
          clearTimeout(timer);
          resolve(m.result);
        } else {
          clearTimeout(timer);
          reject(new BenchError('BENCH_ERR_CHILD', `${kind} client failed: ${m.message}`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new BenchError('BENCH_ERR_CHILD', `${kind} client exited with ${code} before its result`));
      });
    });
    return {
      kind,
      client,
      reaction: simSide?.reaction?.summary,
      simCpuUsPerQuote: simSide !== undefined && client.quotes > 0 ? simSide.cpuUs / client.quotes : Number.NaN,
      load1,
    };
  } finally {
    await sim.stop();
  }
}

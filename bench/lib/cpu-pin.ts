import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { BenchError } from './errors.js';

/**
 * `--pin`: every client process on one CPU and every simulator (and floor server) process on
 * another, with taskset, alike for every client. Unpinned, the kernel often wakes the simulator
 * on the CPU of the client whose write woke it (a loopback socket's wake-up is a "sync" one) and
 * the simulator then preempts the client mid-write while the other CPU idles: measured by hand,
 * the engine's 6 KB, 100-instrument mass quote spent 1.1 ms p50 in socket.write unpinned and
 * 51 µs pinned. Pinned, every wake-up crosses CPUs instead, which on this VM costs every client
 * ~100 µs at p50 and worse tails (bench/RESULTS.md); so the default stays unpinned, the machine
 * as it is, and a pinned run is a second view, not a better one.
 */
export const CPU_PIN = { client: 0, sim: 1 } as const;

let pinning = false;

export function enablePinning(): void {
  if (availableParallelism() < 2) throw new BenchError('BENCH_ERR_USAGE', '--pin needs at least 2 CPUs');
  try {
    execFileSync('taskset', ['-c', String(CPU_PIN.sim), 'true'], { stdio: 'ignore' });
  } catch (cause) {
    throw new BenchError('BENCH_ERR_SETUP', `--pin needs a working taskset (util-linux): ${(cause as Error).message}`);
  }
  pinning = true;
}

export function isPinning(): boolean {
  return pinning;
}

/** fork() options that start a Node process on `role`'s CPU when pinning, else Node as usual. */
export function forkPinned(role: 'client' | 'sim', execArgv: readonly string[]): { execPath?: string; execArgv: string[] } {
  if (!pinning) return { execArgv: [...execArgv] };
  // fork() runs execPath with execArgv before the script: taskset -c N node <flags> script …;
  // the IPC channel's descriptor survives taskset's exec.
  return { execPath: 'taskset', execArgv: ['-c', String(role === 'client' ? CPU_PIN.client : CPU_PIN.sim), process.execPath, ...execArgv] };
}

/** The sentence a suite's description carries about pinning. */
export function pinNote(): string {
  return pinning
    ? `Pinned (--pin): every client process on CPU ${CPU_PIN.client}, every simulator process on CPU ${CPU_PIN.sim} (taskset).`
    : 'Unpinned: the kernel places client and simulator processes on the 2 CPUs as it likes.';
}

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Cases per property: `ci` in the normal suite, or FUZZ_RUNS for a long run, e.g.
 *   FUZZ_RUNS=5000000 npx vitest run test/fuzz
 * Seeds are random; fast-check prints the seed and the shrunk counterexample on failure
 * (replay with `fc.assert(…, { seed, path })`).
 */
export function runs(ci: number): number {
  const v = Number(process.env['FUZZ_RUNS']);
  return Number.isFinite(v) && v > 0 ? v : ci;
}

/** A per-test timeout that grows with FUZZ_RUNS. */
export function timeoutFor(ci: number, msPerCase: number): number {
  return Math.max(60_000, runs(ci) * msPerCase * 4);
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection. */
export function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

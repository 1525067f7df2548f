import { QuoterError } from '../../src/errors.js';

/** A benchmark could not be set up or run as asked. */
export class BenchError extends QuoterError {
  constructor(code: 'BENCH_ERR_SETUP' | 'BENCH_ERR_USAGE' | 'BENCH_ERR_CHILD', message: string) {
    super(code, message);
  }
}

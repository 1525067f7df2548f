import { QuoterError } from '../errors.js';

/** Histogram bounds that HdrHistogram cannot represent (lowest < 1, highest < 2 × lowest, …). */
export class HistogramConfigError extends QuoterError {
  constructor(message: string) {
    super('METRICS_ERR_CONFIG', message);
  }
}

import { QuoterError } from '../errors.js';

/** The pricer module could not be loaded or has no usable default export. */
export class PricerLoadError extends QuoterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PRICING_ERR_LOAD', message, options);
  }
}

/** A pricing worker crashed, exited or stopped beating; its instruments were pulled. */
export class PricingWorkerError extends QuoterError {
  readonly worker: number;
  readonly reason: 'crash' | 'exit' | 'hung' | 'start';

  constructor(worker: number, reason: 'crash' | 'exit' | 'hung' | 'start', message: string, options?: { cause?: unknown }) {
    super('PRICING_ERR_WORKER', message, options);
    this.worker = worker;
    this.reason = reason;
  }
}

/** The pool was used with bad arguments or after `close()`. */
export class PricingConfigError extends QuoterError {
  constructor(message: string) {
    super('PRICING_ERR_CONFIG', message);
  }
}

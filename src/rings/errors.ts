import { QuoterError } from '../errors.js';

/** A SharedArrayBuffer handed to a ring, quote slot or control block does not fit its layout. */
export class RingLayoutError extends QuoterError {
  constructor(message: string) {
    super('RING_ERR_LAYOUT', message);
  }
}

import { QuoterError } from '../errors.js';

export class SimError extends QuoterError {
  constructor(code: 'SIM_ERR_LISTEN' | 'SIM_ERR_CONFIG', message: string) {
    super(code, message);
  }
}

/**
 * A request-level refusal by the simulated venue, answered as `{"id":…,"error":{code,message}}`
 * with `venueCode` (a Thalex error number) as the code on the wire.
 */
export class VenueReject extends QuoterError {
  readonly venueCode: number;

  constructor(venueCode: number, message: string) {
    super('SIM_ERR_VENUE_REJECT', message);
    this.venueCode = venueCode;
  }
}

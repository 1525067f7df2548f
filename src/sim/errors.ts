import { QuoterError } from '../errors.js';

export class SimError extends QuoterError {
  constructor(code: 'SIM_ERR_LISTEN' | 'SIM_ERR_CONFIG', message: string) {
    super(code, message);
  }
}

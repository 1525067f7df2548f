import { QuoterError } from '../errors.js';

/** A command-line or configuration problem: printed as one line, exit code 2, nothing sent. */
export class CliError extends QuoterError {
  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export type CliErrorCode =
  | 'CLI_ERR_USAGE'
  | 'CLI_ERR_CONFIG_FILE'
  | 'CLI_ERR_CONFIG'
  | 'CLI_ERR_CREDENTIALS'
  | 'CLI_ERR_KEY_FILE'
  | 'CLI_ERR_KEY_EXISTS'
  | 'CLI_ERR_PRODUCTION_NOT_CONFIRMED';

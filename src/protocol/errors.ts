import { QuoterError } from '../errors.js';
import { errorCodeName } from './error-codes.js';

/** Why a message was refused before it was sent. Stable: callers branch on it. */
export type ProtocolErrorCode =
  /** Product group missing, empty or not a string. */
  | 'PROTO_ERR_BAD_PRODUCT'
  /** Protection `trade_amount`/`quote_amount` not finite and ≥ 0, or trade_amount > quote_amount. */
  | 'PROTO_ERR_BAD_PROTECTION_AMOUNT'
  /** `timeout_secs` not a positive integer. */
  | 'PROTO_ERR_BAD_TIMEOUT'
  /** A channel name or one of its parts (delay, instrument) is invalid. */
  | 'PROTO_ERR_BAD_CHANNEL'
  /** A login argument (kid, account, timestamp, token) is invalid. */
  | 'PROTO_ERR_BAD_LOGIN'
  /** The private key file is missing or unreadable. */
  | 'PROTO_ERR_KEY_UNREADABLE'
  /** The private key file is not a PEM RSA private key. */
  | 'PROTO_ERR_BAD_KEY';

/**
 * A message we refuse to build: raised BEFORE anything is sent. `path` names the offending field
 * in wire terms (e.g. `trade_amount`, `channels[1]`).
 */
export class ProtocolError extends QuoterError {
  declare readonly code: ProtocolErrorCode;
  readonly path: string | undefined;

  constructor(code: ProtocolErrorCode, message: string, path?: string, options?: { cause?: unknown }) {
    super(code, path === undefined ? message : `${path}: ${message}`, options);
    this.path = path;
  }
}

/**
 * An error reply from Thalex, `{"id":…,"error":{"code":…,"message":…}}` (spec RpcErrorResponse).
 * `venueCode` is the venue's number (see error-codes.ts), `venueName` its symbolic name.
 */
export class VenueError extends QuoterError {
  readonly venueCode: number;
  readonly venueName: string;
  readonly venueMessage: string;
  readonly method: string;

  constructor(method: string, venueCode: number, venueMessage: string) {
    const name = errorCodeName(venueCode);
    super('PROTO_ERR_VENUE', `${method} failed: venue error ${venueCode} ${name}: ${venueMessage}`);
    this.venueCode = venueCode;
    this.venueName = name;
    this.venueMessage = venueMessage;
    this.method = method;
  }

  /** From the `error` member of a reply. */
  static fromReply(method: string, error: { code: number; message: string }): VenueError {
    return new VenueError(method, error.code, error.message);
  }
}

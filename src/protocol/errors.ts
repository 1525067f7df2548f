import { QuoterError } from '../errors.js';
import { errorCodeName } from './error-codes.js';

/** Why a message was refused before it was sent. Stable: callers branch on it. */
export type ProtocolErrorCode =
  /** A price is NaN or ±Infinity (or not a number at all). */
  | 'PROTO_ERR_NON_FINITE_PRICE'
  /** An amount is NaN or ±Infinity (or not a number at all). */
  | 'PROTO_ERR_NON_FINITE_AMOUNT'
  /** An amount is below zero (zero is allowed: it deletes the quote, spec SingleSidedSingleLevelQuote). */
  | 'PROTO_ERR_NEGATIVE_AMOUNT'
  /** Two levels of one side share a price ("must be distinct", spec SingleSidedMultiLevelQuote). */
  | 'PROTO_ERR_DUPLICATE_PRICE_LEVEL'
  /** More than 10 levels on one side (spec mass_quote). */
  | 'PROTO_ERR_TOO_MANY_LEVELS'
  /** More than 100 quotes in one `private/mass_quote` (spec mass_quote). */
  | 'PROTO_ERR_TOO_MANY_QUOTES'
  /** A structure is malformed: quotes not an array, a side neither {p, a} nor [[p, a], ...], a bad side name. */
  | 'PROTO_ERR_BAD_SHAPE'
  /** Instrument name missing, empty or not a string. */
  | 'PROTO_ERR_BAD_INSTRUMENT'
  /** Product group missing, empty or not a string. */
  | 'PROTO_ERR_BAD_PRODUCT'
  /** `reject_post_only` set without `post_only` (spec: "only effective in combination with post_only"). */
  | 'PROTO_ERR_REJECT_POST_ONLY_WITHOUT_POST_ONLY'
  /** `stp_level` not one of the spec's values. */
  | 'PROTO_ERR_BAD_STP_LEVEL'
  /** `stp_action` not one of the spec's values. */
  | 'PROTO_ERR_BAD_STP_ACTION'
  /** `label` is not a string. */
  | 'PROTO_ERR_BAD_LABEL'
  /** A boolean option is not a boolean. */
  | 'PROTO_ERR_BAD_FLAG'
  /** Protection `trade_amount`/`quote_amount` not finite and ≥ 0, or trade_amount > quote_amount. */
  | 'PROTO_ERR_BAD_PROTECTION_AMOUNT'
  /** `timeout_secs` not a positive integer. */
  | 'PROTO_ERR_BAD_TIMEOUT'
  /** A channel name or one of its parts (delay, underlying) is invalid. */
  | 'PROTO_ERR_BAD_CHANNEL'
  /** A login argument (kid, account, timestamp) is invalid. */
  | 'PROTO_ERR_BAD_LOGIN'
  /** The private key file is missing or unreadable. */
  | 'PROTO_ERR_KEY_UNREADABLE'
  /** The private key file is not a PEM RSA private key. */
  | 'PROTO_ERR_BAD_KEY';

/**
 * A message we refuse to build: raised BEFORE anything is sent. `path` names the offending field
 * in wire terms (e.g. `quotes[3].b[1].price`).
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

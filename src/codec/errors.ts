import { QuoterError } from '../errors.js';

/** Why the codec refused to write a request. Stable: callers branch on it, never on the message. */
export type CodecErrorCode =
  /** A price is NaN or ±Infinity. */
  | 'CODEC_ERR_NON_FINITE_PRICE'
  /** An amount is NaN or ±Infinity. */
  | 'CODEC_ERR_NON_FINITE_AMOUNT'
  /** An amount is below zero (zero is allowed: it deletes the quote). */
  | 'CODEC_ERR_NEGATIVE_AMOUNT'
  /** More than 10 levels on one side, or more than 100 quotes in one request (spec mass_quote). */
  | 'CODEC_ERR_TOO_MANY_LEVELS'
  | 'CODEC_ERR_TOO_MANY_QUOTES'
  /** A batch entry names an instrument index the encoder does not know. */
  | 'CODEC_ERR_UNKNOWN_INSTRUMENT'
  /** The request id is not an integer in [0, 2^53). */
  | 'CODEC_ERR_BAD_ID'
  /** The frame buffer cannot hold the request at that offset. */
  | 'CODEC_ERR_BUFFER_TOO_SMALL'
  /** Bad registration data: tick size, lot size or name. */
  | 'CODEC_ERR_BAD_INSTRUMENT'
  /** Bad mass-quote options (STP values, reject_post_only without post_only, a non-string label). */
  | 'CODEC_ERR_BAD_OPTIONS'
  /** A decoder was bound to an output it cannot fill (not a Float64Array, or too short). */
  | 'CODEC_ERR_BAD_ARGUMENT'
  /** The native addon loads but lacks a function this version needs (a stale build: run npm install). Caught: the JS decoder is used. */
  | 'CODEC_ERR_NATIVE_STALE';

export class CodecError extends QuoterError {
  declare readonly code: CodecErrorCode;

  constructor(code: CodecErrorCode, message: string) {
    super(code, message);
  }
}

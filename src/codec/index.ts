export { CodecError, type CodecErrorCode } from './errors.js';
export {
  EncodedMassQuoteOptions,
  instrumentCodecInfo,
  QuoteEncoder,
  type InstrumentCodecInfo,
  type InstrumentSpec,
  type MassQuoteOptionsInput,
  type QuoteFrameSink,
} from './mass-quote-encoder.js';
export { ASK, BID, LEVELS_PER_SIDE, QUOTES_PER_BATCH, QuoteBatch, SIDE_LEVELS, SIDE_OMIT, SIDE_SINGLE } from './quote-batch.js';
export { createTickDecoder, RingTickDecoder, type TickDecoder } from './tick-decoder.js';
export {
  bindReply,
  R_ERRORS,
  R_ID,
  R_N_FAIL,
  R_N_SUCCESS,
  REPLY_ERROR,
  REPLY_FIELDS,
  REPLY_MASS_QUOTE,
  REPLY_RESULT,
  type ReplyDecoder,
} from './reply-decoder.js';
export { decimalsOf, writeFixed, writeFixedAt } from './json-number.js';
export { writeJsonString } from './json-string.js';

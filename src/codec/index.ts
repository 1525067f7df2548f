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
export { decimalsOf, writeFixed, writeFixedAt } from './json-number.js';
export { writeJsonString } from './json-string.js';

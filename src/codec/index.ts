export { QuoteEncoder, type QuoteFrameSink } from './mass-quote-encoder.js';
export { QuoteBatch, SIDE_LEVELS, SIDE_OMIT } from './quote-batch.js';
export { createTickDecoder, RingTickDecoder, type TickDecoder } from './tick-decoder.js';
export { writeFixed, decimalsOf } from './json-number.js';

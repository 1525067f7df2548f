import type { InstrumentInfo } from '../engine/bootstrap.js';
import type { EngineConfig } from '../engine/config.js';
import { decimalsOf, writeFixed } from './json-number.js';
import { MAX_LEVELS } from '../engine/live-quotes.js';
import { type QuoteBatch, SIDE_LEVELS } from './quote-batch.js';

/** Where the encoder writes: the connection's preallocated frame buffer and its sender. */
export interface QuoteFrameSink {
  /** Payload goes at FRAME_HEADER_ROOM; read the getter again for every frame. */
  readonly frame: Buffer;
  /** 0 written, 1 buffered (backpressure), 2 not open. */
  sendFrame(payloadLength: number, binary?: boolean): number;
}

const enc = (s: string) => Buffer.from(s, 'utf8');

/**
 * Writes `private/mass_quote` and `private/cancel_mass_quote` requests as JSON straight into the
 * frame buffer. Every constant fragment (method, keys, each instrument's `{"i":"NAME"`, the
 * label and flags) is encoded once here; per frame only digits are written. Shape as in the
 * spec's DoubleSidedQuote: sides as `[[price, amount], …]`, `[]` to remove a side, an omitted
 * side kept at the venue.
 */
export class QuoteEncoder {
  readonly #head = enc('{"id":');
  readonly #quoteMethod = enc(',"method":"private/mass_quote","params":{"quotes":[');
  readonly #cancelTail = enc(',"method":"private/cancel_mass_quote","params":{}}');
  readonly #tail: Buffer;
  readonly #names: Buffer[];
  readonly #bidKey = enc(',"b":[');
  readonly #askKey = enc(',"a":[');
  readonly #priceDecimals: Int32Array;
  readonly #amountDecimals: Int32Array;

  constructor(instruments: readonly InstrumentInfo[], quoting: EngineConfig['quoting']) {
    this.#names = instruments.map((i) => enc(`{"i":${JSON.stringify(i.name)}`));
    this.#priceDecimals = Int32Array.from(instruments.map((i) => decimalsOf(i.tickSize)));
    this.#amountDecimals = Int32Array.from(instruments.map((i) => decimalsOf(i.volumeTickSize)));
    let tail = ']';
    if (quoting.label.length > 0) tail += `,"label":${JSON.stringify(quoting.label)}`;
    if (quoting.postOnly) tail += ',"post_only":true';
    if (quoting.rejectPostOnly) tail += ',"reject_post_only":true';
    this.#tail = enc(`${tail}}}`);
  }

  /** Writes the request at `offset`; returns its length in bytes. */
  encode(buf: Buffer, offset: number, id: number, batch: QuoteBatch): number {
    let p = offset;
    p += this.#head.copy(buf, p);
    p = writeFixed(buf, p, id, 0);
    p += this.#quoteMethod.copy(buf, p);
    for (let e = 0; e < batch.count; e++) {
      const i = batch.instrument[e]!;
      if (e > 0) buf[p++] = 0x2c; // ,
      p += this.#names[i]!.copy(buf, p);
      for (let side = 0; side < 2; side++) {
        const k = e * 2 + side;
        if (batch.mode[k] !== SIDE_LEVELS) continue;
        p += (side === 0 ? this.#bidKey : this.#askKey).copy(buf, p);
        const n = batch.levels[k]!;
        const base = k * MAX_LEVELS;
        for (let l = 0; l < n; l++) {
          if (l > 0) buf[p++] = 0x2c;
          buf[p++] = 0x5b; // [
          p = writeFixed(buf, p, batch.price[base + l]!, this.#priceDecimals[i]!);
          buf[p++] = 0x2c;
          p = writeFixed(buf, p, batch.amount[base + l]!, this.#amountDecimals[i]!);
          buf[p++] = 0x5d; // ]
        }
        buf[p++] = 0x5d;
      }
      buf[p++] = 0x7d; // }
    }
    p += this.#tail.copy(buf, p);
    return p - offset;
  }

  encodeCancel(buf: Buffer, offset: number, id: number): number {
    let p = offset;
    p += this.#head.copy(buf, p);
    p = writeFixed(buf, p, id, 0);
    p += this.#cancelTail.copy(buf, p);
    return p - offset;
  }
}

import { STP_ACTIONS, STP_LEVELS, type StpAction, type StpLevel } from '../protocol/enums.js';
import { CodecError } from './errors.js';
import { decimalsOf, FAST_NUMBER_MAX_BYTES, MAX_EXACT, MAX_FAST, POW10, writeFixed, writeFixedAt } from './json-number.js';
import { encodeWithString, jsonStringMaxBytes, writeJsonString } from './json-string.js';
import { LEVELS_PER_SIDE, type QuoteBatch, SIDE_OMIT, SIDE_SINGLE } from './quote-batch.js';

/** Where the encoder writes: the connection's preallocated frame buffer and its sender. */
export interface QuoteFrameSink {
  /** Payload goes at FRAME_HEADER_ROOM; read the getter again for every frame. */
  readonly frame: Buffer;
  /** 0 written, 1 buffered (backpressure), 2 not open. */
  sendFrame(payloadLength: number, binary?: boolean): number;
  /** Bytes accepted but not yet handed to the kernel (> 0: the socket is backpressured). */
  readonly bufferedAmount: number;
}

/** What the encoder needs of an instrument (structurally the engine's InstrumentInfo). */
export interface InstrumentSpec {
  readonly name: string;
  /** Price grid step: prices are written with its number of decimals. */
  readonly tickSize: number;
  /** Amount grid step: amounts are written with its number of decimals. */
  readonly volumeTickSize: number;
}

/** An instrument as the encoder holds it: everything per instrument is prepared once. */
export interface InstrumentCodecInfo {
  readonly name: string;
  /** `{"i":"<escaped name>"` as UTF-8. */
  readonly head: Buffer;
  readonly priceDecimals: number;
  readonly amountDecimals: number;
}

/** mass_quote options, as protocol/builders' massQuoteParams takes them. */
export interface MassQuoteOptionsInput {
  label?: string | undefined;
  postOnly?: boolean | undefined;
  rejectPostOnly?: boolean | undefined;
  stpLevel?: StpLevel | undefined;
  stpAction?: StpAction | undefined;
}

/**
 * Options pre-encoded once as the request's tail: `]` closing `quotes`, then `"label"`,
 * `"post_only"`, `"reject_post_only"`, `"stp_level"`, `"stp_action"` as given (an option left
 * undefined is not sent, as massQuoteParams does), then `}}`.
 */
export class EncodedMassQuoteOptions {
  readonly tail: Buffer;

  constructor(o: MassQuoteOptionsInput = {}) {
    let tail = Buffer.from(']', 'latin1');
    const add = (b: Buffer) => {
      tail = Buffer.concat([tail, b]);
    };
    if (o.label !== undefined) {
      if (typeof o.label !== 'string') throw new CodecError('CODEC_ERR_BAD_OPTIONS', 'label must be a string');
      add(encodeWithString(',"label":', o.label));
    }
    if (o.postOnly !== undefined) add(Buffer.from(`,"post_only":${o.postOnly === true}`, 'latin1'));
    if (o.rejectPostOnly !== undefined) {
      if (o.rejectPostOnly && o.postOnly !== true) {
        throw new CodecError('CODEC_ERR_BAD_OPTIONS', 'reject_post_only requires post_only: true');
      }
      add(Buffer.from(`,"reject_post_only":${o.rejectPostOnly === true}`, 'latin1'));
    }
    if (o.stpLevel !== undefined) {
      if (!(STP_LEVELS as readonly unknown[]).includes(o.stpLevel)) throw new CodecError('CODEC_ERR_BAD_OPTIONS', `bad stp_level ${String(o.stpLevel)}`);
      add(Buffer.from(`,"stp_level":"${o.stpLevel}"`, 'latin1'));
    }
    if (o.stpAction !== undefined) {
      if (!(STP_ACTIONS as readonly unknown[]).includes(o.stpAction)) throw new CodecError('CODEC_ERR_BAD_OPTIONS', `bad stp_action ${String(o.stpAction)}`);
      add(Buffer.from(`,"stp_action":"${o.stpAction}"`, 'latin1'));
    }
    add(Buffer.from('}}', 'latin1'));
    this.tail = tail;
  }
}

const lat = (s: string) => Buffer.from(s, 'latin1');
const HEAD = lat('{"method":"private/mass_quote","id":');
const QUOTES_OPEN = lat(',"params":{"quotes":[');
const CANCEL_HEAD = lat('{"method":"private/cancel_mass_quote","id":');
const CANCEL_ALL = lat(',"params":{}}');
/** Per side: array form `,"b":[` and object form `,"b":{"p":`. */
const SIDE_ARRAY = [lat(',"b":['), lat(',"a":[')] as const;
const SIDE_OBJECT = [lat(',"b":{"p":'), lat(',"a":{"p":')] as const;
/** Fixed bytes around one level: `[`, `,`, `]` and a separating `,`; or `,"a":` and `}`. */
const LEVEL_OVERHEAD = 8;
const ID_MAX_BYTES = 16;

/**
 * Small fragments by a plain loop: for the 5–30 bytes copied here it beats Buffer#copy and
 * TypedArray#set, whose per-call cost dominates at that size.
 */
function put(buf: Uint8Array, p: number, frag: Uint8Array): number {
  const n = frag.length;
  for (let k = 0; k < n; k++) buf[p + k] = frag[k]!;
  return p + n;
}

/** The per-instrument data the encoder keeps (cold: registration). */
export function instrumentCodecInfo(name: string, tickSize: number, volumeTickSize: number): InstrumentCodecInfo {
  if (typeof name !== 'string' || name.length === 0) throw new CodecError('CODEC_ERR_BAD_INSTRUMENT', 'instrument name must be a non-empty string');
  for (const [v, what] of [[tickSize, 'tick size'], [volumeTickSize, 'volume tick size']] as const) {
    if (!(v > 0 && Number.isFinite(v))) throw new CodecError('CODEC_ERR_BAD_INSTRUMENT', `${name}: ${what} must be > 0, got ${v}`);
  }
  return { name, head: encodeWithString('{"i":', name), priceDecimals: decimalsOf(tickSize), amountDecimals: decimalsOf(volumeTickSize) };
}

/**
 * Writes `private/mass_quote` and `private/cancel_mass_quote` requests as JSON text straight into
 * the frame buffer: `{"method":"private/mass_quote","id":N,"params":{"quotes":[…],…}}`. Every
 * constant fragment is encoded once; per request only digits are written. Prices and amounts use
 * the instrument's tick and lot decimals, exactly, never in exponent notation. NaN, ±Infinity
 * and negative amounts throw a CodecError before anything is written.
 */
export class QuoteEncoder {
  readonly #heads: Buffer[] = [];
  readonly #priceDecimals = new Int32Array(1024);
  readonly #amountDecimals = new Int32Array(1024);
  #count = 0;
  readonly #options: EncodedMassQuoteOptions;

  /** `instruments` are registered in order (batch instrument index = position); `options` is the default tail. */
  constructor(instruments: readonly InstrumentSpec[] = [], options: MassQuoteOptionsInput | EncodedMassQuoteOptions = {}) {
    for (const i of instruments) this.register(instrumentCodecInfo(i.name, i.tickSize, i.volumeTickSize));
    this.#options = options instanceof EncodedMassQuoteOptions ? options : new EncodedMassQuoteOptions(options);
  }

  /** Registers an instrument; returns its index for QuoteBatch.add. */
  register(info: InstrumentCodecInfo): number {
    if (this.#count >= this.#priceDecimals.length) throw new CodecError('CODEC_ERR_BAD_INSTRUMENT', 'too many instruments');
    const i = this.#count++;
    this.#heads.push(info.head);
    this.#priceDecimals[i] = info.priceDecimals;
    this.#amountDecimals[i] = info.amountDecimals;
    return i;
  }

  get instrumentCount(): number {
    return this.#count;
  }

  /**
   * Writes the request at `offset`; returns its length in bytes. `options` overrides the
   * constructor's (pre-encode it once with `new EncodedMassQuoteOptions`).
   */
  encode(buf: Uint8Array, offset: number, id: number, batch: QuoteBatch, options: EncodedMassQuoteOptions = this.#options): number {
    const tail = options.tail;
    const need = this.#check(id, batch) + tail.length;
    if (offset < 0 || offset + need > buf.length) {
      throw new CodecError('CODEC_ERR_BUFFER_TOO_SMALL', `need up to ${need} bytes at ${offset}, buffer has ${buf.length}`);
    }
    const inst = batch.instrument;
    const mode = batch.mode;
    const levels = batch.levels;
    const price = batch.price;
    const amount = batch.amount;
    const heads = this.#heads;
    let p = put(buf, offset, HEAD);
    p = writeFixed(buf, p, id, 0);
    p = put(buf, p, QUOTES_OPEN);
    const count = batch.count;
    for (let e = 0; e < count; e++) {
      const i = inst[e]!;
      const pd = this.#priceDecimals[i]!;
      const ad = this.#amountDecimals[i]!;
      if (e > 0) buf[p++] = 0x2c; // ,
      p = put(buf, p, heads[i]!);
      for (let side = 0; side < 2; side++) {
        const k = e * 2 + side;
        const m = mode[k]!;
        if (m === SIDE_OMIT) continue;
        const base = k * LEVELS_PER_SIDE;
        if (m === SIDE_SINGLE) {
          p = put(buf, p, SIDE_OBJECT[side]!);
          p = writeFixedAt(buf, p, price, base, pd);
          buf[p++] = 0x2c; // ,"a":
          buf[p++] = 0x22;
          buf[p++] = 0x61;
          buf[p++] = 0x22;
          buf[p++] = 0x3a;
          p = writeFixedAt(buf, p, amount, base, ad);
          buf[p++] = 0x7d; // }
          continue;
        }
        p = put(buf, p, SIDE_ARRAY[side]!);
        const n = levels[k]!;
        for (let l = 0; l < n; l++) {
          if (l > 0) buf[p++] = 0x2c;
          buf[p++] = 0x5b; // [
          p = writeFixedAt(buf, p, price, base + l, pd);
          buf[p++] = 0x2c;
          p = writeFixedAt(buf, p, amount, base + l, ad);
          buf[p++] = 0x5d; // ]
        }
        buf[p++] = 0x5d;
      }
      buf[p++] = 0x7d; // }
    }
    p = put(buf, p, tail);
    return p - offset;
  }

  /**
   * Validates the batch and the id (throws CodecError) and returns an upper bound of the bytes
   * the request needs without the tail. Runs before anything is written.
   */
  #check(id: number, batch: QuoteBatch): number {
    if (!(id >= 0 && id < MAX_EXACT && Math.floor(id) === id)) throw new CodecError('CODEC_ERR_BAD_ID', `request id must be an integer in [0, 2^53), got ${id}`);
    let bytes = HEAD.length + ID_MAX_BYTES + QUOTES_OPEN.length;
    const price = batch.price;
    const amount = batch.amount;
    const count = batch.count;
    for (let e = 0; e < count; e++) {
      const i = batch.instrument[e]!;
      if (!(i >= 0 && i < this.#count)) throw new CodecError('CODEC_ERR_UNKNOWN_INSTRUMENT', `instrument index ${i} is not registered`);
      const pp = POW10[this.#priceDecimals[i]!]!;
      const ap = POW10[this.#amountDecimals[i]!]!;
      bytes += this.#heads[i]!.length + 2;
      for (let side = 0; side < 2; side++) {
        const k = e * 2 + side;
        if (batch.mode[k] === SIDE_OMIT) continue;
        bytes += 12;
        const n = batch.levels[k]!;
        const base = k * LEVELS_PER_SIDE;
        for (let l = 0; l < n; l++) {
          const px = price[base + l]!;
          const am = amount[base + l]!;
          // x - x is 0 for finite x, NaN for NaN and ±Infinity. The throw lives in a cold function
          // taking indices only: an inline `throw` with the values in its message made V8 box
          // px/am on every call (measured: ~25 B and +40 % time per request).
          if (px - px !== 0 || am - am !== 0 || am < 0) levelError(price, amount, base + l, this.#heads[i]!);
          const big = px * pp >= MAX_FAST || px * pp <= -MAX_FAST || am * ap >= MAX_FAST;
          bytes += big ? 700 : 2 * FAST_NUMBER_MAX_BYTES + LEVEL_OVERHEAD;
        }
      }
    }
    return bytes;
  }

  /**
   * `private/cancel_mass_quote` with `params: {}` (every product) or `{"product": …}`; returns
   * its length. Writes the product name directly, escaped, without allocating.
   */
  encodeCancel(buf: Uint8Array, offset: number, id: number, product: string | null = null): number {
    if (!(id >= 0 && id < MAX_EXACT && Math.floor(id) === id)) throw new CodecError('CODEC_ERR_BAD_ID', `request id must be an integer in [0, 2^53), got ${id}`);
    const need = CANCEL_HEAD.length + ID_MAX_BYTES + 24 + (product === null ? 0 : jsonStringMaxBytes(product));
    if (offset < 0 || offset + need > buf.length) throw new CodecError('CODEC_ERR_BUFFER_TOO_SMALL', `need up to ${need} bytes at ${offset}`);
    let p = put(buf, offset, CANCEL_HEAD);
    p = writeFixed(buf, p, id, 0);
    if (product === null) return put(buf, p, CANCEL_ALL) - offset;
    p = put(buf, p, PRODUCT_OPEN);
    p = writeJsonString(buf, p, product);
    buf[p++] = 0x7d;
    buf[p++] = 0x7d;
    return p - offset;
  }
}

const PRODUCT_OPEN = lat(',"params":{"product":');

/** Cold: throws the CodecError for the bad level at `at`. */
function levelError(price: Float64Array, amount: Float64Array, at: number, head: Buffer): never {
  const px = price[at]!;
  const am = amount[at]!;
  const where = `(instrument ${head.toString('utf8', 5)}, level ${at % LEVELS_PER_SIDE})`;
  if (px - px !== 0) throw new CodecError('CODEC_ERR_NON_FINITE_PRICE', `price must be finite, got ${px} ${where}`);
  if (am - am !== 0) throw new CodecError('CODEC_ERR_NON_FINITE_AMOUNT', `amount must be finite, got ${am} ${where}`);
  throw new CodecError('CODEC_ERR_NEGATIVE_AMOUNT', `amount must be ≥ 0, got ${am} ${where}`);
}

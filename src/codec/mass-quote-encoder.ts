import { STP_ACTIONS, STP_LEVELS, type StpAction, type StpLevel } from '../protocol/enums.js';
import { Method } from '../protocol/methods.js';
import { CodecError } from './errors.js';
import {
  decimalsOf,
  FAST_NUMBER_MAX_BYTES,
  MAX_EXACT,
  MAX_FAST,
  POW10,
  writeFixed,
  writeIntView,
  writeNumberView,
} from './json-number.js';
import { encodeWithString, jsonStringMaxBytes, writeJsonString } from './json-string.js';
import { LEVELS_PER_SIDE, type QuoteBatch, SIDE_LEVELS, SIDE_OMIT, SIDE_SINGLE } from './quote-batch.js';

/** Where the encoder writes: the connection's preallocated frame buffer and its sender. */
export interface QuoteFrameSink {
  /** Payload goes at FRAME_HEADER_ROOM; read the getter again for every frame. */
  readonly frame: Buffer;
  /** 0 written, 1 buffered (backpressure), 2 not open. */
  sendFrame(payloadLength: number, binary?: boolean): number;
  /** Bytes accepted but not yet handed to the kernel (> 0: the socket is backpressured). */
  readonly bufferedAmount: number;
  /** performance.now() when the socket read being handled began (the arrival time of what it holds). */
  readonly rxAt: number;
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

/** mass_quote options in the engine's vocabulary (`post_only` is `postOnly`, …). */
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
 * undefined is not sent), then `}}`.
 */
export class EncodedMassQuoteOptions {
  readonly tail: Buffer;
  /** `tail` prepared for word stores. */
  readonly tailFragment: Fragment;

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
    this.tailFragment = new Fragment(tail);
  }
}

/**
 * Constant bytes prepared for DataView stores: little-endian int32 words at offsets 0, 4, 8, …
 * and a last word ending exactly at the fragment's end (overlapping the one before when the
 * length is not a multiple of 4), so nothing past the fragment is written. A 4-byte DataView
 * store costs about what one Uint8Array byte store does (measured, 13–36 bytes: 2–2.5× faster
 * than a byte loop; below ~20 bytes also 2× faster than TypedArray#set, whose per-call cost
 * dominates there).
 */
export class Fragment {
  readonly bytes: Buffer;
  readonly length: number;
  readonly words: Int32Array;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
    this.length = bytes.length;
    const n = bytes.length;
    const m = n < 4 ? 0 : (n + 3) >> 2;
    this.words = new Int32Array(m);
    for (let k = 0; k < m - 1; k++) this.words[k] = bytes.readInt32LE(4 * k);
    if (m > 0) this.words[m - 1] = bytes.readInt32LE(n - 4);
  }
}

function putFragment(v: DataView, buf: Uint8Array, p: number, f: Fragment): number {
  const n = f.length;
  if (n < 4) {
    const b = f.bytes;
    for (let k = 0; k < n; k++) buf[p + k] = b[k]!;
    return p + n;
  }
  const w = f.words;
  const last = w.length - 1;
  for (let k = 0; k < last; k++) v.setInt32(p + (k << 2), w[k]!, true);
  v.setInt32(p + n - 4, w[last]!, true);
  return p + n;
}

// Imported constants and functions used per level, as module-private consts: V8 folds those into
// the code, but reloads an imported binding (and checks it for TDZ) on every use.
const LEVELS = LEVELS_PER_SIDE;
const MULTI = SIDE_LEVELS;
const SINGLE = SIDE_SINGLE;
const OMIT = SIDE_OMIT;
const SCALE = POW10;
const LIMIT = MAX_FAST;
const writeNumber = writeNumberView;

const lat = (s: string) => Buffer.from(s, 'latin1');
const HEAD = lat(`{"method":"${Method.MassQuote}","id":`);
const QUOTES_OPEN = lat(',"params":{"quotes":[');
const CANCEL_HEAD = lat(`{"method":"${Method.CancelMassQuote}","id":`);
const CANCEL_ALL = lat(',"params":{}}');
const HEAD_F = new Fragment(HEAD);
const QUOTES_OPEN_F = new Fragment(QUOTES_OPEN);
/**
 * Side openings, [side][form]: omitted (nothing), levels with at least one level (`,"b":[[`,
 * opening the first level too), no levels (`,"b":[]`), single (`,"b":{"p":`).
 */
const SIDE_OPEN = ['b', 'a'].map((s) => [lat(''), lat(`,"${s}":[[`), lat(`,"${s}":[]`), lat(`,"${s}":{"p":`)]);
const FORM_OMIT = 0;
const FORM_LEVELS = 1;
const FORM_EMPTY = 2;
const FORM_SINGLE = 3;
const ASK_OPEN_F = SIDE_OPEN[1]!.map((b) => new Fragment(b));
/** Little-endian words: `],[` between levels (its 4th byte is scratch), `]]` after the last, `,"a":`. */
const NEXT_LEVEL = 0x5b2c5d; // ] , [
const LAST_LEVEL = 0x5d5d; // ] ]
const SINGLE_AMOUNT = 0x2261222c; // , " a "  (then `:` as a byte)
/** Fixed bytes around one level: `[`, `,`, `]` and a separating `,`; or `,"a":` and `}`. */
const LEVEL_OVERHEAD = 8;
const ID_MAX_BYTES = 16;

/**
 * Small fragments by a plain loop, for the cold paths (cancel): they write bytes only, no
 * DataView needed.
 */
function put(buf: Uint8Array, p: number, frag: Uint8Array): number {
  const n = frag.length;
  for (let k = 0; k < n; k++) buf[p + k] = frag[k]!;
  return p + n;
}

/**
 * The `quotes` array's elements. A function of its own so that V8's inlining budget (~920
 * bytecodes per optimized function) goes to the two writeNumberView calls: inlined, a number
 * costs about half what a call does.
 */
function writeQuotes(v: DataView, buf: Uint8Array, p: number, batch: QuoteBatch, entryOpen: readonly Fragment[], priceDecimals: Int32Array, amountDecimals: Int32Array): number {
  const inst = batch.instrument;
  const mode = batch.mode;
  const levels = batch.levels;
  const price = batch.price;
  const amount = batch.amount;
  const askOpen = ASK_OPEN_F;
  const count = batch.count;
  for (let e = 0; e < count; e++) {
    const i = inst[e]!;
    const pd = priceDecimals[i]!;
    const ad = amountDecimals[i]!;
    if (e > 0) buf[p++] = 0x2c; // ,
    for (let side = 0; side < 2; side++) {
      const k = e * 2 + side;
      const m = mode[k]!;
      const n = levels[k]!;
      const form = m === MULTI ? (n > 0 ? FORM_LEVELS : FORM_EMPTY) : m === SINGLE ? FORM_SINGLE : FORM_OMIT;
      if (side === 0 || form !== FORM_OMIT) {
        // putFragment, inline (a call costs more than these few stores); all are ≥ 4 bytes.
        const f = side === 0 ? entryOpen[i * 4 + form]! : askOpen[form]!;
        const w = f.words;
        const last = w.length - 1;
        for (let q = 0; q < last; q++) v.setInt32(p + (q << 2), w[q]!, true);
        p += f.length;
        v.setInt32(p - 4, w[last]!, true);
      }
      if (form === FORM_OMIT || form === FORM_EMPTY) continue;
      const single = form === FORM_SINGLE;
      const base = k * LEVELS;
      const end = single ? base + 1 : base + n;
      for (let at = base; at < end; at++) {
        p = writeNumber(v, buf, p, price, at, pd);
        if (single) {
          v.setInt32(p, SINGLE_AMOUNT, true); // ,"a"
          buf[p + 4] = 0x3a; // :
          p += 5;
        } else buf[p++] = 0x2c; // ,
        p = writeNumber(v, buf, p, amount, at, ad);
        if (single) {
          buf[p++] = 0x7d; // }
        } else if (at + 1 < end) {
          v.setInt32(p, NEXT_LEVEL, true); // ],[
          p += 3;
        } else {
          v.setInt16(p, LAST_LEVEL, true); // ]]
          p += 2;
        }
      }
    }
    buf[p++] = 0x7d; // }
  }
  return p;
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
  /**
   * Per instrument × side form (FORM_*): `{"i":"<name>"` followed by the bid side's opening, so
   * that an entry starts with one fragment.
   */
  readonly #entryOpen: Fragment[] = [];
  readonly #priceDecimals = new Int32Array(1024);
  readonly #amountDecimals = new Int32Array(1024);
  #count = 0;
  readonly #options: EncodedMassQuoteOptions;
  /** DataView over the last output buffer, and over every buffer seen (made once per buffer). */
  #out: Uint8Array | null = null;
  #view: DataView = new DataView(new ArrayBuffer(0));
  readonly #views = new WeakMap<Uint8Array, DataView>();

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
    for (const open of SIDE_OPEN[0]!) this.#entryOpen.push(new Fragment(Buffer.concat([info.head, open])));
    this.#priceDecimals[i] = info.priceDecimals;
    this.#amountDecimals[i] = info.amountDecimals;
    return i;
  }

  get instrumentCount(): number {
    return this.#count;
  }

  /**
   * The output buffer changed: the WebSocket client rotates frame buffers under backpressure, so
   * the views are kept per buffer (weakly) and nothing is allocated once each has been seen.
   */
  #bind(buf: Uint8Array): DataView {
    let v = this.#views.get(buf);
    if (v === undefined) {
      v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.#views.set(buf, v);
    }
    this.#out = buf;
    this.#view = v;
    return v;
  }

  /**
   * Writes the request at `offset`; returns its length in bytes. `options` overrides the
   * constructor's (pre-encode it once with `new EncodedMassQuoteOptions`). Bytes past the
   * request are never written.
   */
  encode(buf: Uint8Array, offset: number, id: number, batch: QuoteBatch, options: EncodedMassQuoteOptions = this.#options): number {
    const tail = options.tailFragment;
    const need = this.#check(id, batch) + tail.length;
    if (offset < 0 || offset + need > buf.length) {
      throw new CodecError('CODEC_ERR_BUFFER_TOO_SMALL', `need up to ${need} bytes at ${offset}, buffer has ${buf.length}`);
    }
    const v = buf === this.#out ? this.#view : this.#bind(buf);
    // Numbers and `],[` are written as whole words and may leave up to 3 scratch bytes past the
    // cursor; every later write starts at the cursor, and the tail (≥ 3 bytes, written exactly)
    // comes last, so all of them are overwritten and nothing past the request is touched.
    let p = putFragment(v, buf, offset, HEAD_F);
    p = id < 0x8000_0000 ? writeIntView(v, p, id | 0) : writeFixed(buf, p, id, 0) | 0;
    p = putFragment(v, buf, p, QUOTES_OPEN_F);
    p = writeQuotes(v, buf, p, batch, this.#entryOpen, this.#priceDecimals, this.#amountDecimals);
    return putFragment(v, buf, p, tail) - offset;
  }

  /**
   * Validates the batch and the id (throws CodecError) and returns an upper bound of the bytes
   * the request needs without the tail. Runs before anything is written.
   */
  #check(id: number, batch: QuoteBatch): number {
    if (!(id >= 0 && id < MAX_EXACT && Math.floor(id) === id)) throw new CodecError('CODEC_ERR_BAD_ID', `request id must be an integer in [0, 2^53), got ${id}`);
    const inst = batch.instrument;
    const mode = batch.mode;
    const levels = batch.levels;
    const price = batch.price;
    const amount = batch.amount;
    const heads = this.#heads;
    const priceDecimals = this.#priceDecimals;
    const amountDecimals = this.#amountDecimals;
    const registered = this.#count;
    const pow10 = SCALE;
    const limit = LIMIT;
    let bytes = HEAD.length + ID_MAX_BYTES + QUOTES_OPEN.length;
    let numbers = 0;
    const count = batch.count;
    for (let e = 0; e < count; e++) {
      const i = inst[e]!;
      if (!(i >= 0 && i < registered)) throw new CodecError('CODEC_ERR_UNKNOWN_INSTRUMENT', `instrument index ${i} is not registered`);
      const pp = pow10[priceDecimals[i]!]!;
      const ap = pow10[amountDecimals[i]!]!;
      bytes += heads[i]!.length + 2;
      for (let side = 0; side < 2; side++) {
        const k = e * 2 + side;
        if (mode[k] === OMIT) continue;
        bytes += 12;
        const n = levels[k]!;
        const base = k * LEVELS;
        numbers += n;
        for (let at = base; at < base + n; at++) {
          const sp = price[at]! * pp;
          const sa = amount[at]! * ap;
          // One range test per number, false for NaN, ±Infinity, a negative amount and a scaled
          // value past the fast path; levelSlow sorts them out. It takes indices only: a double
          // passed to a call V8 does not inline is boxed (an allocation).
          if (!(sp < limit && sp > -limit && sa >= 0 && sa < limit)) bytes += levelSlow(price, amount, at, heads[i]!);
        }
      }
    }
    return bytes + numbers * (2 * FAST_NUMBER_MAX_BYTES + LEVEL_OVERHEAD);
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

/**
 * Cold: throws the CodecError for the bad level at `at`, or (a finite level past the fast path)
 * returns the extra bytes it may need.
 */
function levelSlow(price: Float64Array, amount: Float64Array, at: number, head: Buffer): number {
  const px = price[at]!;
  const am = amount[at]!;
  if (px - px !== 0) throw new CodecError('CODEC_ERR_NON_FINITE_PRICE', `price must be finite, got ${px} ${where(head, at)}`);
  if (am - am !== 0) throw new CodecError('CODEC_ERR_NON_FINITE_AMOUNT', `amount must be finite, got ${am} ${where(head, at)}`);
  if (am < 0) throw new CodecError('CODEC_ERR_NEGATIVE_AMOUNT', `amount must be ≥ 0, got ${am} ${where(head, at)}`);
  return 700; // writeSlow: two numbers of at most 340 bytes each
}

function where(head: Buffer, at: number): string {
  return `(instrument ${head.toString('utf8', 5)}, level ${at % LEVELS_PER_SIDE})`;
}

import {
  F_BEST_ASK_AMOUNT,
  F_BEST_ASK_PRICE,
  F_BEST_BID_AMOUNT,
  F_BEST_BID_PRICE,
  F_COLLAR_HIGH,
  F_COLLAR_LOW,
  F_DELTA,
  F_FORWARD,
  F_INDEX,
  F_IV,
  F_MARK_PRICE,
  F_MARK_TIMESTAMP,
  F_RECV_NS,
  TICK_FIELDS,
} from '../rings/layout.js';
import type { TickerRing } from '../rings/ticker-ring.js';
import { indexOf, skipWs, startsWith } from './byte-scan.js';
import { NameIndex } from './name-index.js';
import { loadNativeCodec, type NativeCodec, type StageDecoder } from './native.js';
import { bindReply, R_ERRORS, R_N_FAIL, REPLY_ERROR, REPLY_FIELDS, REPLY_MASS_QUOTE, type ReplyDecoder } from './reply-decoder.js';

/**
 * Turns ticker notification bytes into a tick in the instrument's ring, and answers the two
 * questions the quote loop asks of a reply, without JSON.parse and without allocating.
 */
export interface TickDecoder {
  /**
   * Decodes one `{"channel_name":"ticker.<name>.<delay>","notification":{…}}` frame and publishes
   * it into the ring of <name>. Returns the instrument index, or -1 (unknown instrument,
   * malformed frame). `chStart`/`chEnd` locate the channel name (-1 when unknown).
   */
  decode(data: Uint8Array, start: number, end: number, chStart: number, chEnd: number, recvNs: number): number;
  /**
   * Decodes the RPC reply in `data[start, end)`: its kind (REPLY_MASS_QUOTE, REPLY_RESULT,
   * REPLY_ERROR from ./reply-decoder.js) or a negative error, with the id, n_success, n_fail and
   * the errors length in `out` (R_ID… slots, a Float64Array of ≥ REPLY_FIELDS). The same on both
   * parsers; allocates nothing (pass the same `out` each time: the addon binds it once).
   */
  decodeReply(data: Uint8Array, start: number, end: number, out: Float64Array): number;
  /** A mass-quote reply with `n_fail` 0 and an empty `errors` (decodeReply, for callers that need no more). */
  replyIsClean(data: Uint8Array, start: number, end: number): boolean;
  /** An `{"id":…,"error":…}` reply (decodeReply's REPLY_ERROR). */
  replyIsError(data: Uint8Array, start: number, end: number): boolean;
}

const b = (s: string) => Buffer.from(s, 'latin1');
const NOTIFICATION = b('"notification"');
const TICKER = b('ticker.');

/** Ticker keys we keep, and their field in the ring. Others are skipped. */
const KEYS: Array<[Buffer, number]> = [
  [b('best_bid_price'), F_BEST_BID_PRICE],
  [b('best_bid_amount'), F_BEST_BID_AMOUNT],
  [b('best_ask_price'), F_BEST_ASK_PRICE],
  [b('best_ask_amount'), F_BEST_ASK_AMOUNT],
  [b('mark_price'), F_MARK_PRICE],
  [b('index'), F_INDEX],
  [b('mark_timestamp'), F_MARK_TIMESTAMP],
  [b('collar_low'), F_COLLAR_LOW],
  [b('collar_high'), F_COLLAR_HIGH],
  // Options (spec Ticker: iv and forward "Only included for options"; delta in every ticker).
  [b('iv'), F_IV],
  [b('delta'), F_DELTA],
  [b('forward'), F_FORWARD],
];

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The JavaScript decoder. Field values are parsed with the exact fast path (≤ 15 significant
 * digits and a power of ten ≤ 22: one correctly rounded division or multiplication, so the
 * result equals JSON.parse's); longer numbers fall back to parseFloat on a string (rare: Thalex
 * sends prices and amounts with few digits, but mark prices can carry 17).
 */
export class RingTickDecoder implements TickDecoder {
  readonly #names: NameIndex;
  readonly #rings: readonly TickerRing[];
  /** Last tick per instrument: fields a message leaves out keep their previous value. */
  readonly #stage: Float64Array[];
  /** Per instrument, the addon's decoder bound to its stage (null: the JS parser). */
  readonly #native: StageDecoder[] | null;
  /** The addon, for bindReply (null: the JS reply decoder). */
  readonly #codec: NativeCodec | null;
  /** The output decodeReply was last bound to, and that binding. */
  #replyOut: Float64Array | null = null;
  #reply: ReplyDecoder | null = null;
  /** replyIsClean / replyIsError's own output and binding (so that they never rebind decodeReply's). */
  readonly #replyScratch = new Float64Array(REPLY_FIELDS);
  #scratchReply: ReplyDecoder | null = null;
  #pos = 0;

  /** `native`: parse with the simdjson addon when it is loaded (default), else in JavaScript. */
  constructor(names: readonly string[], rings: readonly TickerRing[], native: NativeCodec | null = null) {
    this.#names = new NameIndex(names);
    this.#rings = rings;
    this.#stage = names.map(() => new Float64Array(TICK_FIELDS).fill(Number.NaN));
    // Bound once here, so that a call passes only the bytes and two offsets.
    this.#native = native === null ? null : this.#stage.map((s) => native.bindStage(s));
    this.#codec = native;
  }

  /** Which parser decodes the fields. */
  get kind(): 'native' | 'js' {
    return this.#native === null ? 'js' : 'native';
  }

  decode(data: Uint8Array, start: number, end: number, chStart: number, chEnd: number, recvNs: number): number {
    if (chStart < 0) return -1;
    const i = this.#instrument(data, chStart, chEnd);
    if (i < 0) return -1;
    const stage = this.#stage[i]!;
    if (this.#native !== null) {
      if (this.#native[i]!(data, start, end) < 0) return this.#reject(i);
      stage[F_RECV_NS] = recvNs;
      this.#rings[i]!.publishFrom(stage);
      return i;
    }
    let p = indexOf(data, NOTIFICATION, chEnd, end);
    if (p < 0) return this.#reject(i);
    p = skipWs(data, p + NOTIFICATION.length, end);
    if (p >= end || data[p] !== 0x3a /* : */) return this.#reject(i);
    p = skipWs(data, p + 1, end);
    if (p >= end || data[p] !== 0x7b /* { */) return this.#reject(i);
    p++;
    // Object members: "key":value, … }
    for (;;) {
      p = skipWs(data, p, end);
      if (p >= end) return this.#reject(i);
      const c = data[p]!;
      if (c === 0x7d /* } */) break;
      if (c === 0x2c /* , */) {
        p++;
        continue;
      }
      if (c !== 0x22) return this.#reject(i);
      const keyStart = p + 1;
      const keyEnd = endOfString(data, keyStart, end);
      if (keyEnd < 0) return this.#reject(i);
      p = skipWs(data, keyEnd + 1, end);
      if (data[p] !== 0x3a /* : */) return this.#reject(i);
      p = skipWs(data, p + 1, end);
      const field = fieldOf(data, keyStart, keyEnd);
      if (field >= 0) {
        const v = this.#number(data, p, end);
        if (this.#pos < 0) return this.#reject(i);
        stage[field] = v;
        p = this.#pos;
      } else {
        p = skipValue(data, p, end);
        if (p < 0) return this.#reject(i);
      }
    }
    stage[F_RECV_NS] = recvNs;
    this.#rings[i]!.publishFrom(stage);
    return i;
  }

  decodeReply(data: Uint8Array, start: number, end: number, out: Float64Array): number {
    if (out !== this.#replyOut) {
      // Bound once per output (the caller keeps one): a call then passes only the bytes and offsets.
      this.#reply = this.#codec !== null ? this.#codec.bindReply(out) : bindReply(out);
      this.#replyOut = out;
    }
    return this.#reply!(data, start, end);
  }

  replyIsClean(data: Uint8Array, start: number, end: number): boolean {
    const r = this.#replyScratch;
    return this.#scratchDecode(data, start, end) === REPLY_MASS_QUOTE && r[R_N_FAIL] === 0 && r[R_ERRORS] === 0;
  }

  replyIsError(data: Uint8Array, start: number, end: number): boolean {
    return this.#scratchDecode(data, start, end) === REPLY_ERROR;
  }

  #scratchDecode(data: Uint8Array, start: number, end: number): number {
    this.#scratchReply ??= this.#codec !== null ? this.#codec.bindReply(this.#replyScratch) : bindReply(this.#replyScratch);
    return this.#scratchReply(data, start, end);
  }

  /**
   * A message that failed half-way may have written some fields into the staging slot: put back
   * the last published tick, so that nothing of a rejected message leaks into the next one.
   * Rare path (bad input); the ring is ours, so the read is never contended.
   */
  #reject(i: number): number {
    const stage = this.#stage[i]!;
    if (this.#rings[i]!.readLatest(stage) <= 0) stage.fill(Number.NaN);
    return -1;
  }

  /** `ticker.<name>.<delay>`: the index of <name> (everything up to the last dot), or -1. */
  #instrument(data: Uint8Array, chStart: number, chEnd: number): number {
    if (!startsWith(data, TICKER, chStart, chEnd)) return -1;
    let dot = chEnd - 2; // the delay is not empty
    while (dot > chStart + TICKER.length && data[dot] !== 0x2e /* . */) dot--;
    if (dot <= chStart + TICKER.length) return -1;
    return this.#names.find(data, chStart + TICKER.length, dot);
  }

  /** Parses a number or null at p; sets #pos past it (-1 on error). null → NaN. */
  #number(data: Uint8Array, p: number, end: number): number {
    if (data[p] === 0x6e /* n */) {
      this.#pos = p + 4 <= end && data[p + 1] === 0x75 && data[p + 2] === 0x6c && data[p + 3] === 0x6c ? p + 4 : -1;
      return Number.NaN;
    }
    const s = p;
    let neg = false;
    if (data[p] === 0x2d) {
      neg = true;
      p++;
    }
    let mant = 0;
    let digits = 0;
    let exp = 0;
    let any = false;
    while (p < end && data[p]! >= 0x30 && data[p]! <= 0x39) {
      if (digits < 16) {
        mant = mant * 10 + (data[p]! - 0x30);
        if (mant !== 0) digits++;
      } else exp++;
      p++;
      any = true;
    }
    if (data[p] === 0x2e) {
      p++;
      while (p < end && data[p]! >= 0x30 && data[p]! <= 0x39) {
        if (digits < 16) {
          mant = mant * 10 + (data[p]! - 0x30);
          if (mant !== 0) digits++;
          exp--;
        }
        p++;
        any = true;
      }
    }
    if (!any) {
      this.#pos = -1;
      return 0;
    }
    if (data[p] === 0x65 || data[p] === 0x45) {
      p++;
      let eneg = false;
      if (data[p] === 0x2b || data[p] === 0x2d) {
        eneg = data[p] === 0x2d;
        p++;
      }
      let e = 0;
      let ed = 0;
      while (p < end && data[p]! >= 0x30 && data[p]! <= 0x39) {
        e = e * 10 + (data[p]! - 0x30);
        p++;
        ed++;
      }
      if (ed === 0) {
        this.#pos = -1;
        return 0;
      }
      exp += eneg ? -e : e;
    }
    this.#pos = p;
    if (digits <= 15 && exp >= -22 && exp <= 22) {
      const v = exp < 0 ? mant / POW10[-exp]! : mant * POW10[exp]!;
      return neg ? -v : v;
    }
    const v = Number.parseFloat(Buffer.from(data.buffer, data.byteOffset + s, p - s).toString('latin1'));
    // Beyond the double range (JSON.parse would say Infinity): junk, refused like the addon does.
    if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) this.#pos = -1;
    return v;
  }
}

function fieldOf(data: Uint8Array, ks: number, ke: number): number {
  const len = ke - ks;
  for (let k = 0; k < KEYS.length; k++) {
    const key = KEYS[k]![0];
    if (key.length === len && startsWith(data, key, ks, ke)) return KEYS[k]![1];
  }
  return -1;
}

/** Index of the closing quote of a string whose content starts at p, or -1. */
function endOfString(data: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = data[p]!;
    if (c === 0x22) return p;
    p += c === 0x5c ? 2 : 1;
  }
  return -1;
}

/** Skips any JSON value (string, number, literal, object, array); returns the index after it or -1. */
function skipValue(data: Uint8Array, p: number, end: number): number {
  const c = data[p];
  if (c === 0x22) {
    const e = endOfString(data, p + 1, end);
    return e < 0 ? -1 : e + 1;
  }
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    while (p < end) {
      const d = data[p]!;
      if (d === 0x22) {
        const e = endOfString(data, p + 1, end);
        if (e < 0) return -1;
        p = e + 1;
        continue;
      }
      if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return p + 1;
      }
      p++;
    }
    return -1;
  }
  while (p < end) {
    const d = data[p]!;
    if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20) return p;
    p++;
  }
  return -1;
}

/** The decoder the engine uses: native simdjson parsing when the addon loaded, else JavaScript. */
export function createTickDecoder(names: readonly string[], rings: readonly TickerRing[]): RingTickDecoder {
  return new RingTickDecoder(names, rings, loadNativeCodec());
}

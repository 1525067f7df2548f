/**
 * RPC replies, decoded without JSON.parse and without allocating: the id and, for a mass_quote
 * result, n_success / n_fail and the length of `errors`. The rarer replies (errors, other methods)
 * are only classified: the caller reads them with JSON.parse.
 *
 * This is the JavaScript decoder; native/src/codec.cc (bindReply) is the simdjson one with the same
 * interface and results. Both are checked against JSON.parse on the same corpus (test/codec).
 */
import { CodecError } from './errors.js';
import { skipWs } from './byte-scan.js';

/** Slots of the reply output (a Float64Array of ≥ REPLY_FIELDS). Mirrored in native/src/codec.cc. */
export const R_ID = 0;
/** n_success of a mass-quote result; NaN when absent. */
export const R_N_SUCCESS = 1;
/** n_fail of a mass-quote result; NaN when absent. */
export const R_N_FAIL = 2;
/** The length of result.errors; -1 when absent. */
export const R_ERRORS = 3;
export const REPLY_FIELDS = 4;

/** A result object with n_success and/or n_fail (a mass_quote reply). */
export const REPLY_MASS_QUOTE = 1;
/** Any other result (another method, a null or non-object result): the id only. */
export const REPLY_RESULT = 2;
/** A non-null `error`: the id only (JSON.parse reads the rest). */
export const REPLY_ERROR = 3;
/** Negative results, as the ticker decoder's: bad arguments, too large, not JSON (or not a reply), a field of the wrong type. */
export const REPLY_BAD_ARGUMENTS = -1;
export const REPLY_TOO_LARGE = -2;
export const REPLY_NOT_JSON = -3;
export const REPLY_NOT_NUMBER = -4;

/**
 * Decodes the reply in `bytes[start, end)` into the output it was bound to; returns its kind
 * (REPLY_MASS_QUOTE, REPLY_RESULT, REPLY_ERROR) or a negative error. On an error the output is
 * left as it was. The bytes are borrowed for the call only.
 */
export type ReplyDecoder = (bytes: Uint8Array, start: number, end: number) => number;

/** The largest message either decoder takes (the addon's padded scratch). */
const MAX_MESSAGE = 1 << 20;
/** simdjson's default depth limit: deeper values are refused by both decoders. */
const MAX_DEPTH = 1024;
const TWO_53 = 2 ** 53;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

// Scanner state, module-wide so that the helpers return one number and allocate nothing:
// `pos` is the index after what was scanned (-1: not JSON); `value` the number just parsed.
let pos = 0;
let value = 0;

/** The JavaScript decoder, bound to `out` like the addon's bindReply. */
export function bindReply(out: Float64Array): ReplyDecoder {
  if (!(out instanceof Float64Array) || out.length < REPLY_FIELDS) throw new CodecError('CODEC_ERR_BAD_ARGUMENT', 'bindReply: expected a Float64Array of at least REPLY_FIELDS elements');
  return (bytes, start, end) => decodeReplyJs(bytes, start, end, out);
}

/** Key of a top-level member: 0 other, 1 id, 2 error, 3 result; of a result member: 4 n_success, 5 n_fail, 6 errors. */
const K_OTHER = 0;
const K_ID = 1;
const K_ERROR = 2;
const K_RESULT = 3;
const K_N_SUCCESS = 4;
const K_N_FAIL = 5;
const K_ERRORS = 6;
const KEY_NAMES = ['', 'id', 'error', 'result', 'n_success', 'n_fail', 'errors'];

/** See ReplyDecoder; `out` unbound. */
export function decodeReplyJs(d: Uint8Array, start: number, end: number, out: Float64Array): number {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > d.length || out.length < REPLY_FIELDS) return REPLY_BAD_ARGUMENTS;
  if (end - start > MAX_MESSAGE) return REPLY_TOO_LARGE;
  let p = skipWs(d, start, end);
  if (p >= end || d[p] !== 0x7b /* { */) return REPLY_NOT_JSON;
  let id = Number.NaN;
  let nSuccess = Number.NaN;
  let nFail = Number.NaN;
  let errors = -1;
  let hasId = false;
  let hasResult = false;
  let hasError = false;
  let mass = false;
  p = skipWs(d, p + 1, end);
  if (d[p] === 0x7d /* } */) p++;
  else
    for (;;) {
      const key = memberKey(d, p, end, false);
      if (key < 0) return REPLY_NOT_JSON;
      p = pos;
      if (key === K_ID) {
        const e = numberAt(d, p, end);
        if (e < 0) return e;
        id = value;
        hasId = true;
        p = pos;
      } else if (key === K_ERROR) {
        hasError = !isNullAt(d, p, end);
        p = skipValue(d, p, end, 1);
      } else if (key === K_RESULT) {
        hasResult = true;
        mass = false;
        nSuccess = nFail = Number.NaN;
        errors = -1;
        if (d[p] !== 0x7b) p = skipValue(d, p, end, 1);
        else {
          // The result object: n_success, n_fail, errors; other members skipped (validated).
          p = skipWs(d, p + 1, end);
          if (d[p] === 0x7d) p++;
          else
            for (;;) {
              const rkey = memberKey(d, p, end, true);
              if (rkey < 0) return REPLY_NOT_JSON;
              p = pos;
              if (rkey === K_N_SUCCESS || rkey === K_N_FAIL) {
                const e = numberAt(d, p, end);
                if (e < 0) return e;
                if (rkey === K_N_FAIL) nFail = value;
                else nSuccess = value;
                mass = true;
                p = pos;
              } else if (rkey === K_ERRORS) {
                if (d[p] !== 0x5b /* [ */) return p < end && skipValue(d, p, end, 2) >= 0 ? REPLY_NOT_NUMBER : REPLY_NOT_JSON;
                // Count the items, skipping each.
                let n = 0;
                p = skipWs(d, p + 1, end);
                if (d[p] === 0x5d /* ] */) p++;
                else
                  for (;;) {
                    p = skipValue(d, p, end, 3);
                    if (p < 0) return REPLY_NOT_JSON;
                    n++;
                    p = skipWs(d, p, end);
                    if (d[p] === 0x2c /* , */) p = skipWs(d, p + 1, end);
                    else if (d[p] === 0x5d) {
                      p++;
                      break;
                    } else return REPLY_NOT_JSON;
                  }
                errors = n;
              } else p = skipValue(d, p, end, 2);
              if (p < 0) return REPLY_NOT_JSON;
              p = skipWs(d, p, end);
              if (d[p] === 0x2c) p = skipWs(d, p + 1, end);
              else if (d[p] === 0x7d) {
                p++;
                break;
              } else return REPLY_NOT_JSON;
            }
        }
      } else p = skipValue(d, p, end, 1);
      if (p < 0 || p >= end) return REPLY_NOT_JSON;
      p = skipWs(d, p, end);
      if (d[p] === 0x2c) p = skipWs(d, p + 1, end);
      else if (d[p] === 0x7d) {
        p++;
        break;
      } else return REPLY_NOT_JSON;
    }
  if (p > end || skipWs(d, p, end) !== end) return REPLY_NOT_JSON; // trailing bytes after the object
  if (!hasId || !(hasResult || hasError)) return REPLY_NOT_JSON;
  out[R_ID] = id;
  if (hasError || !mass) {
    out[R_N_SUCCESS] = Number.NaN;
    out[R_N_FAIL] = Number.NaN;
    out[R_ERRORS] = -1;
    return hasError ? REPLY_ERROR : REPLY_RESULT;
  }
  out[R_N_SUCCESS] = nSuccess;
  out[R_N_FAIL] = nFail;
  out[R_ERRORS] = errors;
  return REPLY_MASS_QUOTE;
}

/**
 * The member key at p (`"key"` then `:`): one of the K_ values (top-level or result keys), -1 when
 * it is not a string followed by a colon. Sets `pos` to the value's first byte.
 */
function memberKey(d: Uint8Array, p: number, end: number, inResult: boolean): number {
  if (p >= end || d[p] !== 0x22) return -1;
  const ks = p + 1;
  const ke = endOfString(d, ks, end);
  if (ke < 0) return -1;
  let q = skipWs(d, ke + 1, end);
  if (q >= end || d[q] !== 0x3a /* : */) return -1;
  q = skipWs(d, q + 1, end);
  if (q >= end) return -1;
  pos = q;
  return inResult ? resultKey(d, ks, ke) : topKey(d, ks, ke);
}

function topKey(d: Uint8Array, ks: number, ke: number): number {
  const n = ke - ks;
  if (n === 2 && d[ks] === 0x69 && d[ks + 1] === 0x64) return K_ID;
  if (n === 5 && is(d, ks, K_ERROR)) return K_ERROR;
  if (n === 6 && is(d, ks, K_RESULT)) return K_RESULT;
  return hasEscape(d, ks, ke) ? escapedKey(d, ks, ke, K_ID, K_RESULT) : K_OTHER;
}

function resultKey(d: Uint8Array, ks: number, ke: number): number {
  const n = ke - ks;
  if (n === 9 && is(d, ks, K_N_SUCCESS)) return K_N_SUCCESS;
  if (n === 6 && is(d, ks, K_N_FAIL)) return K_N_FAIL;
  if (n === 6 && is(d, ks, K_ERRORS)) return K_ERRORS;
  return hasEscape(d, ks, ke) ? escapedKey(d, ks, ke, K_N_SUCCESS, K_ERRORS) : K_OTHER;
}

function is(d: Uint8Array, ks: number, k: number): boolean {
  const name = KEY_NAMES[k]!;
  for (let j = 0; j < name.length; j++) if (d[ks + j] !== name.charCodeAt(j)) return false;
  return true;
}

function hasEscape(d: Uint8Array, ks: number, ke: number): boolean {
  for (let j = ks; j < ke; j++) if (d[j] === 0x5c) return true;
  return false;
}

/** A key with an escape (rare, cold: it allocates), unescaped as JSON.parse does. */
function escapedKey(d: Uint8Array, ks: number, ke: number, from: number, to: number): number {
  const s = JSON.parse(Buffer.from(d.buffer, d.byteOffset + ks - 1, ke - ks + 2).toString('utf8')) as string;
  for (let k = from; k <= to; k++) if (KEY_NAMES[k] === s) return k;
  return K_OTHER;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Index of the closing quote of a string whose content starts at p, or -1 (control byte, bad escape, no end). */
function endOfString(d: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = d[p]!;
    if (c === 0x22) return p;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = d[p + 1];
      if (p + 1 >= end) return -1;
      if (e === 0x75 /* u */) {
        if (p + 5 >= end || !isHex(d[p + 2]!) || !isHex(d[p + 3]!) || !isHex(d[p + 4]!) || !isHex(d[p + 5]!)) return -1;
        p += 6;
        continue;
      }
      if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return -1;
      p += 2;
      continue;
    }
    p++;
  }
  return -1;
}

function isNullAt(d: Uint8Array, p: number, end: number): boolean {
  return p + 4 <= end && d[p] === 0x6e && d[p + 1] === 0x75 && d[p + 2] === 0x6c && d[p + 3] === 0x6c;
}

function literalEnd(d: Uint8Array, p: number, end: number, lit: string): number {
  if (end - p < lit.length) return -1;
  for (let j = 0; j < lit.length; j++) if (d[p + j] !== lit.charCodeAt(j)) return -1;
  return p + lit.length;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** The end of the JSON number at p (RFC 8259 grammar: no leading zeros, no bare `.`), or -1. */
function numberEnd(d: Uint8Array, p: number, end: number): number {
  if (p < end && d[p] === 0x2d) p++;
  if (p >= end || !isDigit(d[p])) return -1;
  if (d[p] === 0x30) p++;
  else while (p < end && isDigit(d[p])) p++;
  if (p < end && d[p] === 0x2e) {
    p++;
    if (p >= end || !isDigit(d[p])) return -1;
    while (p < end && isDigit(d[p])) p++;
  }
  if (p < end && (d[p] === 0x65 || d[p] === 0x45)) {
    p++;
    if (p < end && (d[p] === 0x2b || d[p] === 0x2d)) p++;
    if (p >= end || !isDigit(d[p])) return -1;
    while (p < end && isDigit(d[p])) p++;
  }
  return p;
}

/**
 * The number at p into `value` (its end into `pos`): 0, REPLY_NOT_JSON, or REPLY_NOT_NUMBER for
 * another value or one beyond the double range (the addon refuses those too). Exact: a mantissa
 * below 2^53 with a power of ten ≤ 22 is one correctly rounded operation, as in JSON.parse
 * (ids up to 2^53 - 1 included); anything longer goes through parseFloat (rare, allocates).
 */
function numberAt(d: Uint8Array, p: number, end: number): number {
  const c = d[p]!;
  if (c !== 0x2d && !isDigit(c)) return skipValue(d, p, end, 1) >= 0 ? REPLY_NOT_NUMBER : REPLY_NOT_JSON;
  const e = numberEnd(d, p, end);
  if (e < 0) return REPLY_NOT_JSON;
  pos = e;
  let q = p;
  const neg = d[q] === 0x2d;
  if (neg) q++;
  let mant = 0;
  let exp = 0;
  while (q < e && isDigit(d[q])) mant = mant * 10 + (d[q++]! - 0x30);
  if (d[q] === 0x2e && q < e) {
    q++;
    while (q < e && isDigit(d[q])) {
      mant = mant * 10 + (d[q++]! - 0x30);
      exp--;
    }
  }
  if (q < e) {
    q++; // e / E
    let eneg = false;
    if (d[q] === 0x2b || d[q] === 0x2d) eneg = d[q++] === 0x2d;
    let x = 0;
    while (q < e) x = x * 10 + (d[q++]! - 0x30);
    exp += eneg ? -x : x;
  }
  let v: number;
  if (mant < TWO_53 && exp >= -22 && exp <= 22) v = exp < 0 ? mant / POW10[-exp]! : mant * POW10[exp]!;
  else v = Math.abs(Number.parseFloat(Buffer.from(d.buffer, d.byteOffset + p, e - p).toString('latin1')));
  if (v === Number.POSITIVE_INFINITY) return REPLY_NOT_NUMBER;
  value = neg ? -v : v;
  return 0;
}

/** Skips (and validates) any JSON value at p; the index after it, or -1. */
function skipValue(d: Uint8Array, p: number, end: number, depth: number): number {
  if (p >= end) return -1;
  const c = d[p]!;
  if (c === 0x22) {
    const e = endOfString(d, p + 1, end);
    return e < 0 ? -1 : e + 1;
  }
  if (c === 0x7b || c === 0x5b) {
    if (depth > MAX_DEPTH) return -1;
    const close = c + 2; // } or ]
    p = skipWs(d, p + 1, end);
    if (d[p] === close) return p + 1;
    for (;;) {
      if (c === 0x7b) {
        if (p >= end || d[p] !== 0x22) return -1;
        const ke = endOfString(d, p + 1, end);
        if (ke < 0) return -1;
        p = skipWs(d, ke + 1, end);
        if (d[p] !== 0x3a) return -1;
        p = skipWs(d, p + 1, end);
      }
      p = skipValue(d, p, end, depth + 1);
      if (p < 0) return -1;
      p = skipWs(d, p, end);
      if (p >= end) return -1;
      if (d[p] === close) return p + 1;
      if (d[p] !== 0x2c) return -1;
      p = skipWs(d, p + 1, end);
    }
  }
  if (c === 0x74) return literalEnd(d, p, end, 'true');
  if (c === 0x66) return literalEnd(d, p, end, 'false');
  if (c === 0x6e) return literalEnd(d, p, end, 'null');
  return numberEnd(d, p, end);
}

/**
 * Byte-level peeks at the head of an incoming frame, so that replies can be matched to their
 * request and notifications routed by channel without parsing the whole message.
 *
 * Thalex (and our simulator) emit compact JSON with `id` or `channel_name` as the FIRST key
 * (thalex-protocol.md §1; TmsKtel/thalex_rust_sdk src/routing.rs relies on it). Anything else
 * is not an error here: the caller falls back to JSON.parse.
 */

// {"id":
const ID_PREFIX = [0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a] as const;
// {"channel_name":"
const CHANNEL_PREFIX = Buffer.from('{"channel_name":"', 'latin1');

export const PEEK_NOT_REPLY = -1;
/** `{"id":null…`: a reply to a request sent without id (or the venue could not read it). */
export const PEEK_NULL_ID = -2;

/**
 * The integer id of a compact reply `{"id":<digits>,…`, PEEK_NULL_ID for `{"id":null`, or
 * PEEK_NOT_REPLY when the frame does not start that way. At most 15 digits (exact in a double).
 */
export function peekReplyId(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 8) return PEEK_NOT_REPLY;
  for (let k = 0; k < 6; k++) {
    if (buf[start + k] !== ID_PREFIX[k]) return PEEK_NOT_REPLY;
  }
  let i = start + 6;
  const c0 = buf[i]!;
  if (c0 === 0x6e /* n */) return PEEK_NULL_ID;
  let id = 0;
  let digits = 0;
  while (i < end) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) break;
    id = id * 10 + (c - 0x30);
    i++;
    if (++digits > 15) return PEEK_NOT_REPLY;
  }
  if (digits === 0 || i >= end) return PEEK_NOT_REPLY;
  const next = buf[i]!;
  return next === 0x2c /* , */ || next === 0x7d /* } */ ? id : PEEK_NOT_REPLY;
}

/**
 * For a compact notification `{"channel_name":"<name>",…` returns the index one past the last
 * byte of <name> (the name is `buf[start + CHANNEL_NAME_OFFSET, result)`), or -1 when the frame
 * does not start that way or the name holds an escape (then the caller parses the frame).
 */
export function peekChannelEnd(buf: Uint8Array, start: number, end: number): number {
  const n = CHANNEL_PREFIX.length;
  if (end - start <= n) return -1;
  for (let k = 0; k < n; k++) {
    if (buf[start + k] !== CHANNEL_PREFIX[k]) return -1;
  }
  for (let i = start + n; i < end; i++) {
    const c = buf[i]!;
    if (c === 0x22 /* " */) return i;
    if (c === 0x5c /* \ */) return -1;
  }
  return -1;
}

export const CHANNEL_NAME_OFFSET = CHANNEL_PREFIX.length;

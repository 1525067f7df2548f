import { OP_BINARY, OP_CLOSE, OP_CONT, OP_PING, OP_PONG, OP_TEXT } from './frame-writer.js';
import { isUtf8Range } from './utf8.js';

/** What the reader produces. Data views are borrowed for the call only. */
export interface FrameSink {
  onMessage(data: Buffer, start: number, end: number, binary: boolean): void;
  onPing(data: Buffer, start: number, end: number): void;
  onPong(data: Buffer, start: number, end: number): void;
  /** A close frame: code 1005 when it carried none. */
  onCloseFrame(code: number, reason: string): void;
  /** The peer broke the protocol; close with `closeCode` (1002, 1007 or 1009). */
  onViolation(closeCode: number, message: string): void;
}

const EMPTY = Buffer.alloc(0);

/** `buf` with room for `need` bytes, keeping its first `used`: grows by doubling (cold path). */
function ensure(buf: Buffer, used: number, need: number): Buffer {
  if (need <= buf.length) return buf;
  let size = buf.length * 2;
  while (size < need) size *= 2;
  const grown = Buffer.allocUnsafe(size);
  buf.copy(grown, 0, 0, used);
  return grown;
}

/** RFC 6455 §7.4.1/7.4.2: codes a peer may send in a close frame. */
function validCloseCode(c: number): boolean {
  return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999);
}

/**
 * Incremental RFC 6455 frame reader for the client side (server frames are never masked).
 * Accepts any split of the stream. A frame that lies whole in one chunk is delivered as a view of
 * that chunk, without a copy; bytes of an incomplete frame are kept in a reusable buffer that
 * grows by doubling. Fragmented messages are reassembled in a second reusable buffer; control
 * frames may arrive between fragments (§5.4).
 */
export class FrameReader {
  readonly #sink: FrameSink;
  readonly #max: number;
  #stash: Buffer = Buffer.allocUnsafe(4096);
  #stashLen = 0;
  #frag: Buffer = Buffer.allocUnsafe(4096);
  #fragLen = 0;
  /** Opcode of the message being reassembled, or -1. */
  #fragOp = -1;
  #failed = false;

  constructor(sink: FrameSink, maxMessageBytes: number) {
    this.#sink = sink;
    this.#max = maxMessageBytes;
  }

  get failed(): boolean {
    return this.#failed;
  }

  /**
   * Reads `chunk[start, end)` (default: all of it). The chunk may be reused by the caller after
   * this returns: what is not delivered is copied.
   */
  push(chunk: Buffer, start = 0, end = chunk.length): void {
    if (this.#failed) return;
    if (this.#stashLen === 0) {
      const used = this.#parse(chunk, start, end);
      if (used < end && !this.#failed) this.#keep(chunk, used, end);
      return;
    }
    this.#keep(chunk, start, end);
    const used = this.#parse(this.#stash, 0, this.#stashLen);
    if (this.#failed) return;
    if (used > 0) {
      this.#stash.copy(this.#stash, 0, used, this.#stashLen);
      this.#stashLen -= used;
    }
  }

  #keep(src: Buffer, from: number, to: number): void {
    const need = this.#stashLen + (to - from);
    this.#stash = ensure(this.#stash, this.#stashLen, need);
    src.copy(this.#stash, this.#stashLen, from, to);
    this.#stashLen = need;
  }

  /** Parses whole frames in `b[p, end)`; returns the offset of the first unparsed byte. */
  #parse(b: Buffer, p: number, end: number): number {
    while (end - p >= 2) {
      const b0 = b[p]!;
      const b1 = b[p + 1]!;
      const fin = (b0 & 0x80) !== 0;
      const op = b0 & 0x0f;
      if ((b0 & 0x70) !== 0) return this.#violate(1002, 'reserved bits set without a negotiated extension');
      if ((b1 & 0x80) !== 0) return this.#violate(1002, 'server frame is masked'); // §5.1
      let len = b1 & 0x7f;
      let h = 2;
      if (len === 126) {
        if (end - p < 4) return p;
        len = (b[p + 2]! << 8) | b[p + 3]!;
        h = 4;
      } else if (len === 127) {
        if (end - p < 10) return p;
        if ((b[p + 2]! & 0x80) !== 0) return this.#violate(1002, '64-bit length with the most significant bit set');
        const hi = b.readUInt32BE(p + 2);
        len = hi * 0x100000000 + b.readUInt32BE(p + 6);
        h = 10;
      }
      const control = op >= 0x8;
      if (control) {
        if (!fin) return this.#violate(1002, 'fragmented control frame');
        if (len > 125) return this.#violate(1002, 'control frame payload over 125 bytes');
      } else if (len > this.#max || (op === OP_CONT && this.#fragLen + len > this.#max)) {
        return this.#violate(1009, `message over ${this.#max} bytes`);
      }
      if (end - p < h + len) return p;
      const s = p + h;
      const e = s + len;
      p = e;
      switch (op) {
        case OP_TEXT:
        case OP_BINARY:
          if (this.#fragOp !== -1) return this.#violate(1002, 'new data frame while a fragmented message is open');
          if (fin) {
            if (op === OP_TEXT && !isUtf8Range(b, s, e)) return this.#violate(1007, 'text message is not valid UTF-8');
            this.#sink.onMessage(b, s, e, op === OP_BINARY);
          } else {
            this.#fragOp = op;
            this.#fragLen = 0;
            this.#append(b, s, e);
          }
          break;
        case OP_CONT:
          if (this.#fragOp === -1) return this.#violate(1002, 'continuation frame without a message to continue');
          this.#append(b, s, e);
          if (fin) {
            const binary = this.#fragOp === OP_BINARY;
            this.#fragOp = -1;
            if (!binary && !isUtf8Range(this.#frag, 0, this.#fragLen)) return this.#violate(1007, 'text message is not valid UTF-8');
            this.#sink.onMessage(this.#frag, 0, this.#fragLen, binary);
          }
          break;
        case OP_PING:
          this.#sink.onPing(len === 0 ? EMPTY : b, s, e);
          break;
        case OP_PONG:
          this.#sink.onPong(b, s, e);
          break;
        case OP_CLOSE: {
          if (len === 1) return this.#violate(1002, 'close frame with a 1-byte payload');
          let code = 1005;
          let reason = '';
          if (len >= 2) {
            code = (b[s]! << 8) | b[s + 1]!;
            if (!validCloseCode(code)) return this.#violate(1002, `invalid close code ${code}`);
            if (!isUtf8Range(b, s + 2, e)) return this.#violate(1007, 'close reason is not valid UTF-8');
            reason = b.toString('utf8', s + 2, e);
          }
          this.#sink.onCloseFrame(code, reason);
          this.#failed = true; // nothing after a close frame is read (§5.5.1)
          return p;
        }
        default:
          return this.#violate(1002, `unknown opcode 0x${op.toString(16)}`);
      }
      if (this.#failed) return p;
    }
    return p;
  }

  #append(b: Buffer, s: number, e: number): void {
    const need = this.#fragLen + (e - s);
    this.#frag = ensure(this.#frag, this.#fragLen, need);
    b.copy(this.#frag, this.#fragLen, s, e);
    this.#fragLen = need;
  }

  #violate(code: number, message: string): number {
    this.#failed = true;
    this.#sink.onViolation(code, message);
    return 0;
  }

  /** Stop delivering (after a local close or error). */
  fail(): void {
    this.#failed = true;
  }
}

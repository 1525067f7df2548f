import { randomFillSync } from 'node:crypto';
import { FRAME_HEADER_ROOM } from './types.js';

export const OP_CONT = 0x0;
export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
export const OP_PONG = 0xa;

// Mask keys come from one pool filled by randomFillSync and read 4 bytes at a time (undici's
// frame.js does the same): one getrandom() per 2048 frames instead of one per frame.
// RFC 6455 §5.3: "The masking key needs to be unpredictable".
const POOL_SIZE = 8192;
const pool = Buffer.allocUnsafeSlow(POOL_SIZE);
let poolPos = POOL_SIZE;

/**
 * Writes a client frame header (FIN, opcode, minimal-length payload length, mask key) right-
 * aligned before the payload at `buf[payloadStart, payloadStart + len)` and masks the payload in
 * place. Returns the frame's first byte offset. `payloadStart` must leave FRAME_HEADER_ROOM (14)
 * bytes in front. No allocation.
 */
export function writeClientFrame(buf: Uint8Array, payloadStart: number, len: number, opcode: number): number {
  // RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length".
  const lenBytes = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const start = payloadStart - 6 - lenBytes;
  buf[start] = 0x80 | opcode; // FIN
  if (lenBytes === 0) {
    buf[start + 1] = 0x80 | len; // MASK bit
  } else if (lenBytes === 2) {
    buf[start + 1] = 0x80 | 126;
    buf[start + 2] = len >>> 8;
    buf[start + 3] = len & 0xff;
  } else {
    buf[start + 1] = 0x80 | 127;
    const hi = Math.floor(len / 0x100000000);
    buf[start + 2] = 0;
    buf[start + 3] = 0;
    buf[start + 4] = (hi >>> 8) & 0xff;
    buf[start + 5] = hi & 0xff;
    buf[start + 6] = len >>> 24;
    buf[start + 7] = (len >>> 16) & 0xff;
    buf[start + 8] = (len >>> 8) & 0xff;
    buf[start + 9] = len & 0xff;
  }
  if (poolPos + 4 > POOL_SIZE) {
    randomFillSync(pool);
    poolPos = 0;
  }
  const m0 = pool[poolPos]!;
  const m1 = pool[poolPos + 1]!;
  const m2 = pool[poolPos + 2]!;
  const m3 = pool[poolPos + 3]!;
  poolPos += 4;
  const mk = payloadStart - 4;
  buf[mk] = m0;
  buf[mk + 1] = m1;
  buf[mk + 2] = m2;
  buf[mk + 3] = m3;
  const end = payloadStart + len;
  let p = payloadStart;
  for (; p + 4 <= end; p += 4) {
    buf[p] = buf[p]! ^ m0;
    buf[p + 1] = buf[p + 1]! ^ m1;
    buf[p + 2] = buf[p + 2]! ^ m2;
    buf[p + 3] = buf[p + 3]! ^ m3;
  }
  if (p < end) buf[p] = buf[p]! ^ m0;
  if (p + 1 < end) buf[p + 1] = buf[p + 1]! ^ m1;
  if (p + 2 < end) buf[p + 2] = buf[p + 2]! ^ m2;
  return start;
}

/** A whole masked frame for a rare message (control frames, slow-path sends). Allocates. */
export function buildClientFrame(opcode: number, payload: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(FRAME_HEADER_ROOM + payload.length);
  buf.set(payload, FRAME_HEADER_ROOM);
  const start = writeClientFrame(buf, FRAME_HEADER_ROOM, payload.length, opcode);
  return buf.subarray(start);
}

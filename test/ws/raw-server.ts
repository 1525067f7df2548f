import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * A WebSocket "server" that does the upgrade by hand and then lets the test write exact bytes,
 * so every framing case and violation can be produced. Frames the client sends are unmasked
 * and collected.
 */
export interface RawPeer {
  socket: Socket;
  /** Frames received from the client: opcode and unmasked payload. */
  frames: Array<{ op: number; fin: boolean; payload: Buffer }>;
  ended: Promise<void>;
}

export interface RawServer {
  port: number;
  url: string;
  nextPeer(): Promise<RawPeer>;
  close(): Promise<void>;
}

export function frame(op: number, payload: Buffer | string, opts: { fin?: boolean; rsv?: number; mask?: boolean; len64?: boolean } = {}): Buffer {
  const p = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const fin = opts.fin ?? true;
  const head: number[] = [(fin ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | op];
  const m = opts.mask ? 0x80 : 0;
  if (opts.len64) {
    head.push(m | 127, 0, 0, 0, 0, (p.length >>> 24) & 0xff, (p.length >>> 16) & 0xff, (p.length >>> 8) & 0xff, p.length & 0xff);
  } else if (p.length < 126) head.push(m | p.length);
  else if (p.length < 65536) head.push(m | 126, p.length >> 8, p.length & 0xff);
  else head.push(m | 127, 0, 0, 0, 0, (p.length >>> 24) & 0xff, (p.length >>> 16) & 0xff, (p.length >>> 8) & 0xff, p.length & 0xff);
  if (opts.mask) {
    const key = Buffer.from([1, 2, 3, 4]);
    const body = Buffer.from(p.map((b, i) => b ^ key[i & 3]!));
    return Buffer.concat([Buffer.from(head), key, body]);
  }
  return Buffer.concat([Buffer.from(head), p]);
}

export function startRawServer(opts: { accept?: (key: string) => string; status?: string } = {}): Promise<RawServer> {
  const waiting: Array<(p: RawPeer) => void> = [];
  const ready: RawPeer[] = [];
  const server: Server = createServer((socket) => {
    let head = Buffer.alloc(0);
    const onHead = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      const at = head.indexOf('\r\n\r\n');
      if (at < 0) return;
      socket.off('data', onHead);
      const key = /sec-websocket-key: (.+)\r\n/i.exec(head.toString('latin1'))![1]!.trim();
      const accept = opts.accept ? opts.accept(key) : createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 ${opts.status ?? '101 Switching Protocols'}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      const peer: RawPeer = { socket, frames: [], ended: new Promise((r) => socket.once('close', () => r())) };
      let buf = head.subarray(at + 4);
      const parse = () => {
        while (buf.length >= 2) {
          const fin = (buf[0]! & 0x80) !== 0;
          const op = buf[0]! & 0x0f;
          let len = buf[1]! & 0x7f;
          let h = 2;
          if (len === 126) (len = buf.readUInt16BE(2)), (h = 4);
          else if (len === 127) (len = Number(buf.readBigUInt64BE(2))), (h = 10);
          const masked = (buf[1]! & 0x80) !== 0;
          if (buf.length < h + (masked ? 4 : 0) + len) return;
          const key = masked ? buf.subarray(h, h + 4) : Buffer.alloc(4);
          const s = h + (masked ? 4 : 0);
          const payload = Buffer.from(buf.subarray(s, s + len).map((b, i) => b ^ key[i & 3]!));
          peer.frames.push({ op, fin, payload });
          buf = buf.subarray(s + len);
        }
      };
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        parse();
      });
      socket.on('error', () => {});
      const w = waiting.shift();
      if (w) w(peer);
      else ready.push(peer);
    };
    socket.on('data', onHead);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        port,
        url: `ws://127.0.0.1:${port}/x`,
        nextPeer: () => new Promise((r) => (ready.length > 0 ? r(ready.shift()!) : waiting.push(r))),
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
    server.on('connection', (s) => s.on('error', () => {}));
  });
}

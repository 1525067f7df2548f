import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { findNative } from '../../src/server/select.js';
import { WsClient } from '../../src/ws/client.js';
import type { WsError } from '../../src/ws/errors.js';
import { FrameReader } from '../../src/ws/frame-reader.js';
import { writeClientFrame } from '../../src/ws/frame-writer.js';
import { FRAME_HEADER_ROOM, SendStatus, type WsHandler } from '../../src/ws/types.js';
import { gcsDuring } from '../helpers/gc-count.js';
import { until } from '../helpers/venue.js';
import { frame, startRawServer } from './raw-server.js';

class Recorder implements WsHandler {
  messages: Array<{ data: Buffer; binary: boolean }> = [];
  closes: Array<{ code: number; reason: string; error: WsError | undefined }> = [];
  drains = 0;
  onOpen(): void {}
  onMessage(data: Buffer, start: number, end: number, binary: boolean): void {
    this.messages.push({ data: Buffer.from(data.subarray(start, end)), binary });
  }
  onClose(code: number, reason: string, error: WsError | undefined): void {
    this.closes.push({ code, reason, error });
  }
  onDrain(): void {
    this.drains++;
  }
}

const SIZES = [0, 125, 126, 65535, 65536, 1024 * 1024];
const payload = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => 0x61 + (i % 26)));

describe('WsClient against real servers', () => {
  let uwsPort = 0;
  let uwsListen: unknown;
  let wss: WebSocketServer;
  let wsPort = 0;
  // uWS where a native build loads here (see test/server/select.test.ts for where that must be).
  const native = findNative().build;
  beforeAll(async () => {
    const uws = native?.uws;
    if (uws) await new Promise<void>((r) =>
      uws
        .App()
        .ws('/*', { maxPayloadLength: 2 * 1024 * 1024, message: (ws, m, bin) => void ws.send(m, bin) })
        .listen('127.0.0.1', 0, (s) => {
          uwsListen = s;
          uwsPort = uws.us_socket_local_port(s);
          r();
        }),
    );
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 2 * 1024 * 1024 });
    wss.on('connection', (c) => c.on('message', (d, bin) => c.send(d, { binary: bin })));
    await new Promise((r) => wss.once('listening', r));
    wsPort = (wss.address() as { port: number }).port;
  });
  afterAll(() => {
    if (native) native.uws.us_listen_socket_close(uwsListen as never);
    wss.close();
  });

  for (const server of native ? (['uWebSockets.js', 'ws'] as const) : (['ws'] as const)) {
    it(`echoes every size, text and binary, hot and slow path (${server})`, async () => {
      const rec = new Recorder();
      const c = new WsClient({ url: `ws://127.0.0.1:${server === 'ws' ? wsPort : uwsPort}/echo`, frameBufferBytes: 2 * 1024 * 1024 }, rec);
      await c.connect();
      const sent: Array<{ data: Buffer; binary: boolean }> = [];
      for (const n of SIZES) {
        const p = payload(n);
        p.copy(c.frame, FRAME_HEADER_ROOM);
        c.sendFrame(n, false);
        sent.push({ data: p, binary: false });
        c.sendBinary(p);
        sent.push({ data: p, binary: true });
      }
      c.sendText('héllo ✓');
      sent.push({ data: Buffer.from('héllo ✓'), binary: false });
      await until(() => rec.messages.length === sent.length, 'all echoes');
      rec.messages.forEach((m, i) => {
        expect(m.binary).toBe(sent[i]!.binary);
        expect(m.data.equals(sent[i]!.data)).toBe(true);
      });
      await c.close(1000, 'done');
      expect(rec.closes).toEqual([{ code: 1000, reason: 'done', error: undefined }]);
    });
  }
});

describe('WsClient framing and close paths (exact bytes)', () => {
  it('reassembles a fragmented message with a ping in the middle, answering the ping', async () => {
    const srv = await startRawServer();
    const rec = new Recorder();
    const c = new WsClient({ url: srv.url, pingIntervalMs: 0 }, rec);
    const peerP = srv.nextPeer();
    await c.connect();
    const peer = await peerP;
    peer.socket.write(Buffer.concat([frame(1, 'hel', { fin: false }), frame(9, 'pp'), frame(0, 'lo ', { fin: false }), frame(0, 'wörld')]));
    await until(() => rec.messages.length === 1, 'the message');
    expect(rec.messages[0]!.data.toString()).toBe('hello wörld');
    await until(() => peer.frames.some((f) => f.op === 0xa), 'the pong');
    expect(peer.frames.find((f) => f.op === 0xa)!.payload.toString()).toBe('pp');
    c.destroy();
    await srv.close();
  });

  it('server close with code and reason: echoed, reported clean', async () => {
    const srv = await startRawServer();
    const rec = new Recorder();
    const c = new WsClient({ url: srv.url, pingIntervalMs: 0 }, rec);
    const peerP = srv.nextPeer();
    await c.connect();
    const peer = await peerP;
    const body = Buffer.concat([Buffer.from([0x0f, 0xa1]), Buffer.from('bye')]); // 4001
    peer.socket.write(frame(8, body));
    await until(() => peer.frames.some((f) => f.op === 8), 'the echoed close');
    expect(peer.frames.find((f) => f.op === 8)!.payload.readUInt16BE(0)).toBe(4001);
    peer.socket.end();
    await until(() => rec.closes.length === 1, 'onClose');
    expect(rec.closes[0]).toEqual({ code: 4001, reason: 'bye', error: undefined });
    await srv.close();
  });

  it('client close sends a masked close frame with the code; abrupt end is 1006', async () => {
    const srv = await startRawServer();
    const rec = new Recorder();
    const c = new WsClient({ url: srv.url, pingIntervalMs: 0 }, rec);
    const peerP = srv.nextPeer();
    await c.connect();
    const peer = await peerP;
    const closing = c.close(1001, 'going');
    await until(() => peer.frames.some((f) => f.op === 8), 'close frame at the server');
    expect(peer.frames[0]!.payload.readUInt16BE(0)).toBe(1001);
    peer.socket.write(frame(8, Buffer.from([0x03, 0xe9])));
    peer.socket.end();
    await closing;
    expect(rec.closes[0]!.code).toBe(1001);

    const rec2 = new Recorder();
    const c2 = new WsClient({ url: srv.url, pingIntervalMs: 0 }, rec2);
    const p2 = srv.nextPeer();
    await c2.connect();
    (await p2).socket.destroy();
    await until(() => rec2.closes.length === 1, 'onClose after abrupt end');
    expect(rec2.closes[0]!.code).toBe(1006);
    expect(rec2.closes[0]!.error?.code).toBe('WS_ERR_CLOSED');
    await srv.close();
  });

  it('handshake failures reject with WS_ERR_HANDSHAKE', async () => {
    const bad = await startRawServer({ accept: () => 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    await expect(new WsClient({ url: bad.url }, new Recorder()).connect()).rejects.toMatchObject({ code: 'WS_ERR_HANDSHAKE', message: /Sec-WebSocket-Accept/ });
    await bad.close();
    const no101 = await startRawServer({ status: '403 Forbidden' });
    await expect(new WsClient({ url: no101.url }, new Recorder()).connect()).rejects.toMatchObject({ code: 'WS_ERR_HANDSHAKE', message: /403/ });
    await no101.close();
    await expect(new WsClient({ url: 'ws://127.0.0.1:1/x' }, new Recorder()).connect()).rejects.toMatchObject({ code: 'WS_ERR_HANDSHAKE' });
    expect(() => new WsClient({ url: 'http://127.0.0.1/x' }, new Recorder())).toThrow(/ws: or wss:/);
  });

  const violations: Array<[string, Buffer, number, string]> = [
    ['masked server frame', frame(1, 'x', { mask: true }), 1002, 'WS_ERR_PROTOCOL'],
    ['reserved bits', frame(1, 'x', { rsv: 4 }), 1002, 'WS_ERR_PROTOCOL'],
    ['unknown opcode', frame(3, 'x'), 1002, 'WS_ERR_PROTOCOL'],
    ['control frame over 125 bytes', frame(9, Buffer.alloc(126)), 1002, 'WS_ERR_PROTOCOL'],
    ['fragmented control frame', frame(9, 'x', { fin: false }), 1002, 'WS_ERR_PROTOCOL'],
    ['continuation without start', frame(0, 'x'), 1002, 'WS_ERR_PROTOCOL'],
    ['data frame inside a fragmented message', Buffer.concat([frame(1, 'a', { fin: false }), frame(1, 'b')]), 1002, 'WS_ERR_PROTOCOL'],
    ['invalid close code', frame(8, Buffer.from([0x03, 0xed])), 1002, 'WS_ERR_PROTOCOL'], // 1005
    ['invalid UTF-8 text', frame(1, Buffer.from([0xc3, 0x28])), 1007, 'WS_ERR_INVALID_UTF8'],
    ['invalid UTF-8 close reason', frame(8, Buffer.from([0x03, 0xe8, 0xff])), 1007, 'WS_ERR_INVALID_UTF8'],
    ['message over the maximum', frame(2, Buffer.alloc(2000)), 1009, 'WS_ERR_MESSAGE_TOO_BIG'],
  ];
  for (const [what, bytes, closeCode, code] of violations) {
    it(`${what} → close ${closeCode}, ${code}`, async () => {
      const srv = await startRawServer();
      const rec = new Recorder();
      const c = new WsClient({ url: srv.url, pingIntervalMs: 0, maxMessageBytes: 1000 }, rec);
      const peerP = srv.nextPeer();
      await c.connect();
      const peer = await peerP;
      peer.socket.write(bytes);
      await until(() => rec.closes.length === 1, 'onClose');
      expect(rec.closes[0]!.code).toBe(closeCode);
      expect(rec.closes[0]!.error?.code).toBe(code);
      await until(() => peer.frames.some((f) => f.op === 8), 'a close frame at the server');
      expect(peer.frames.find((f) => f.op === 8)!.payload.readUInt16BE(0)).toBe(closeCode);
      expect(rec.messages).toEqual([]);
      await srv.close();
    });
  }

  it('declares a silent connection dead (keep-alive) after pinging it', async () => {
    const srv = await startRawServer();
    const rec = new Recorder();
    const c = new WsClient({ url: srv.url, pingIntervalMs: 50, idleTimeoutMs: 300 }, rec);
    const peerP = srv.nextPeer();
    await c.connect();
    const peer = await peerP;
    await until(() => rec.closes.length === 1, 'timeout', 5_000);
    expect(rec.closes[0]!.error?.code).toBe('WS_ERR_TIMEOUT');
    expect(peer.frames.filter((f) => f.op === 9).length).toBeGreaterThan(0);
    await srv.close();
  });

  it('a handler that throws closes with 1011, the process lives on', async () => {
    const srv = await startRawServer();
    const closes: number[] = [];
    const c = new WsClient({ url: srv.url, pingIntervalMs: 0 }, { onOpen() {}, onMessage() { throw new Error('boom'); }, onClose: (code) => closes.push(code) });
    const peerP = srv.nextPeer();
    await c.connect();
    (await peerP).socket.write(frame(1, 'x'));
    await until(() => closes.length === 1, 'onClose');
    expect(closes[0]).toBe(1011);
    await srv.close();
  });

  it('backpressure is visible: Buffered, bufferedAmount, a swapped hot buffer, then onDrain', async () => {
    const srv = await startRawServer();
    const rec = new Recorder();
    const c = new WsClient({ url: srv.url, pingIntervalMs: 0, frameBufferBytes: 1024 * 1024 + 64 }, rec);
    const peerP = srv.nextPeer();
    await c.connect();
    const peer = await peerP;
    peer.socket.pause();
    let status: SendStatus = SendStatus.Written;
    let first = c.frame;
    for (let k = 0; k < 200 && status !== SendStatus.Buffered; k++) {
      first = c.frame;
      status = c.sendFrame(1024 * 1024, true);
    }
    expect(status).toBe(SendStatus.Buffered);
    expect(c.bufferedAmount).toBeGreaterThan(0);
    expect(c.frame).not.toBe(first);
    peer.socket.resume();
    await until(() => rec.drains > 0, 'drain', 10_000);
    c.destroy();
    await srv.close();
  });
});

describe('WsClient over TLS', () => {
  it('verifies the certificate by default; connects with the CA given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wss-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) });
    const wss = new WebSocketServer({ server });
    wss.on('connection', (c) => c.on('message', (d) => c.send(d, { binary: false })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `wss://127.0.0.1:${(server.address() as { port: number }).port}/`;
    await expect(new WsClient({ url }, new Recorder()).connect()).rejects.toMatchObject({ code: 'WS_ERR_HANDSHAKE', message: /self.signed|certificate/i });
    const rec = new Recorder();
    const c = new WsClient({ url, ca: readFileSync(join(dir, 'cert.pem')) }, rec);
    await c.connect();
    c.sendText('over tls');
    await until(() => rec.messages.length === 1, 'echo over TLS');
    expect(rec.messages[0]!.data.toString()).toBe('over tls');
    await c.close();
    wss.close();
    server.close();
    writeFileSync(join(dir, 'done'), '');
  });
});

describe('FrameReader (no socket)', () => {
  it('delivers the same messages and pings whatever way the stream is split (property)', () => {
    const msg = fc.record({ binary: fc.boolean(), text: fc.string({ unit: 'grapheme', maxLength: 300 }), cuts: fc.array(fc.nat(300), { maxLength: 3 }), ping: fc.option(fc.string({ maxLength: 20 })) });
    fc.assert(
      fc.property(fc.array(msg, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), (msgs, splits) => {
        const parts: Buffer[] = [];
        for (const m of msgs) {
          const p = Buffer.from(m.text);
          const cuts = [...new Set(m.cuts.map((c) => c % (p.length + 1)))].sort((a, b) => a - b);
          let prev = 0;
          const pieces = [...cuts, p.length].map((c) => {
            const s = p.subarray(prev, c);
            prev = c;
            return s;
          });
          pieces.forEach((s, i) => {
            parts.push(frame(i === 0 ? (m.binary ? 2 : 1) : 0, s, { fin: i === pieces.length - 1 }));
            if (i === 0 && m.ping !== null) parts.push(frame(9, m.ping));
          });
        }
        const stream = Buffer.concat(parts);
        const got: Array<{ text: string; binary: boolean }> = [];
        const pings: string[] = [];
        const reader = new FrameReader(
          {
            onMessage: (d, s, e, binary) => got.push({ text: d.toString('utf8', s, e), binary }),
            onPing: (d, s, e) => pings.push(d.toString('utf8', s, e)),
            onPong: () => {},
            onCloseFrame: () => {},
            onViolation: (code, m) => {
              throw new Error(`violation ${code}: ${m}`);
            },
          },
          1 << 20,
        );
        const points = [...new Set(splits.map((x) => x % (stream.length + 1)))].sort((a, b) => a - b);
        let prev = 0;
        for (const pt of [...points, stream.length]) {
          reader.push(stream.subarray(prev, pt));
          prev = pt;
        }
        expect(got).toEqual(msgs.map((m) => ({ text: m.text, binary: m.binary })));
        expect(pings).toEqual(msgs.filter((m) => m.ping !== null).map((m) => m.ping));
      }),
      { numRuns: 1500 },
    );
  });

  it('random garbage never throws: it is reported as a violation', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const reader = new FrameReader({ onMessage() {}, onPing() {}, onPong() {}, onCloseFrame() {}, onViolation() {} }, 1000);
        reader.push(Buffer.from(bytes));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('hot send path allocation', () => {
  it('writing header and mask into the frame buffer allocates nothing (0 GCs over 200k frames)', async () => {
    const buf = Buffer.alloc(FRAME_HEADER_ROOM + 512);
    const run = (n: number) => {
      for (let k = 0; k < n; k++) writeClientFrame(buf, FRAME_HEADER_ROOM, 300 + (k & 127), 1);
    };
    run(20_000);
    expect(await gcsDuring(() => run(200_000))).toBe(0);
  });

  it('the full sendFrame path over a real socket: GCs per 10k frames, measured and bounded', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    let received = 0;
    wss.on('connection', (s) => s.on('message', () => received++));
    const c = new WsClient({ url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/`, pingIntervalMs: 0 }, new Recorder());
    await c.connect();
    const body = Buffer.from(JSON.stringify({ id: 1, method: 'private/mass_quote', params: { quotes: [{ i: 'BTC-PERPETUAL', b: [[95000, 0.1]], a: [[95010, 0.1]] }] } }));
    const N = 20_000;
    const send = (n: number) => {
      for (let k = 0; k < n; k++) {
        body.copy(c.frame, FRAME_HEADER_ROOM);
        c.sendFrame(body.length);
      }
    };
    send(2_000);
    const gcs = await gcsDuring(() => send(N));
    await until(() => received === N + 2_000, 'all frames at the server', 20_000);
    // Node's socket.write allocates (its write request objects and our one view per write); we
    // report the figure rather than pretend it is zero.
    console.log(`sendFrame over a socket: ${gcs} GCs in ${N} frames (${((gcs * 10_000) / N).toFixed(1)} per 10k)`);
    expect(gcs).toBeLessThan(N / 100);
    await c.close();
    wss.close();
  });
});

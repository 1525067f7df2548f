import { connect as netConnect, type OnReadOpts, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { WsError } from './errors.js';
import { FrameReader, type FrameSink } from './frame-reader.js';
import { OP_BINARY, OP_CLOSE, OP_PING, OP_PONG, OP_TEXT, buildClientFrame, writeClientFrame } from './frame-writer.js';
import { makeKey, upgradeRequest, verifyUpgradeResponse } from './handshake.js';
import { FRAME_HEADER_ROOM, SendStatus, type WsClientOptions, type WsHandler, WsState } from './types.js';

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const MAX_HEAD = 16 * 1024;
/** Socket reads land in one buffer of this size, reused for every read. */
const READ_BUFFER_BYTES = 256 * 1024;

/**
 * RFC 6455 client over node:net / node:tls. One connection per instance.
 *
 * Hot path: the caller writes a payload into `frame` at FRAME_HEADER_ROOM and calls
 * `sendFrame(len)`; the header is written in front of it and the payload masked in place, then
 * one `socket.write`. If the kernel did not take the whole frame (Node keeps a reference to the
 * buffer until it can), the client swaps in another buffer, so `frame` is always safe to fill:
 * read the getter anew for every frame. Backpressure is the return value, never a hidden queue.
 */
export class WsClient implements FrameSink {
  readonly #opts: Required<Pick<WsClientOptions, 'connectTimeoutMs' | 'maxMessageBytes' | 'pingIntervalMs' | 'idleTimeoutMs' | 'frameBufferBytes'>> & WsClientOptions;
  readonly #handler: WsHandler;
  readonly #url: URL;
  #socket: Socket | undefined;
  #reader: FrameReader;
  #state: WsState = WsState.Idle;
  #frame: Buffer;
  /** Frame buffers Node may still be writing from; handed back on 'drain'. */
  #busy: Buffer[] = [];
  #spare: Buffer[] = [];
  #keepalive: NodeJS.Timeout | undefined;
  /** Where every read lands (`onread`): Node's per-read Buffers hold external memory young GCs never free. */
  readonly #readBuf = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  /** Until the upgrade completes, reads go to the handshake; then to the frame reader. */
  #onRead: (chunk: Buffer, n: number) => void = () => {};
  #rxAt = 0;
  #rxChunks = 0;
  #rxSeen = 0;
  #rxSeenAt = 0;
  #closeSent = false;
  #closeTimer: NodeJS.Timeout | undefined;
  #closedResolve: (() => void) | undefined;
  readonly #closed: Promise<void>;
  #reported = false;
  #pendingError: WsError | undefined;

  constructor(options: WsClientOptions, handler: WsHandler) {
    this.#opts = {
      connectTimeoutMs: 10_000,
      maxMessageBytes: 16 * 1024 * 1024,
      pingIntervalMs: 5_000,
      idleTimeoutMs: 15_000,
      frameBufferBytes: 256 * 1024,
      ...options,
    };
    this.#handler = handler;
    try {
      this.#url = new URL(options.url);
    } catch {
      throw new WsError('WS_ERR_HANDSHAKE', `not a URL: ${JSON.stringify(options.url)}`);
    }
    if (this.#url.protocol !== 'ws:' && this.#url.protocol !== 'wss:') {
      throw new WsError('WS_ERR_HANDSHAKE', `scheme must be ws: or wss:, got ${this.#url.protocol}`);
    }
    this.#frame = Buffer.allocUnsafeSlow(this.#opts.frameBufferBytes);
    this.#reader = new FrameReader(this, this.#opts.maxMessageBytes);
    this.#closed = new Promise((r) => {
      this.#closedResolve = r;
    });
  }

  get state(): WsState {
    return this.#state;
  }

  /** The hot-path buffer: write the payload at FRAME_HEADER_ROOM. */
  get frame(): Buffer {
    return this.#frame;
  }

  /**
   * performance.now() when the read being handled began: the arrival time of every message it
   * holds (tick-to-wire starts here, not where a frame happens to be decoded).
   */
  get rxAt(): number {
    return this.#rxAt;
  }

  /** Bytes accepted but not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.#socket?.writableLength ?? 0;
  }

  connect(): Promise<void> {
    if (this.#state !== WsState.Idle) return Promise.reject(new WsError('WS_ERR_HANDSHAKE', 'connect() called twice'));
    this.#state = WsState.Connecting;
    const url = this.#url;
    const secure = url.protocol === 'wss:';
    const port = Number(url.port || (secure ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const key = makeKey();
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (e: WsError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#state = WsState.Closed;
        socket.destroy();
        this.#closedResolve?.();
        reject(e);
      };
      const timer = setTimeout(() => fail(new WsError('WS_ERR_TIMEOUT', `no WebSocket connection to ${url.host} within ${this.#opts.connectTimeoutMs} ms`)), this.#opts.connectTimeoutMs);
      const onread: OnReadOpts = {
        buffer: this.#readBuf,
        callback: (n: number, buf: Uint8Array) => {
          this.#rxAt = performance.now();
          this.#onRead(buf as Buffer, n);
          return true;
        },
      };
      // tls.connect takes `onread` as net.connect does (Node ≥ 20 here); its types do not say so.
      const tlsOptions: ConnectionOptions & { onread: OnReadOpts } = {
        host,
        port,
        servername: this.#opts.servername ?? (/^[\d.:]+$/.test(host) ? undefined : host),
        ...(this.#opts.ca !== undefined ? { ca: this.#opts.ca } : {}),
        // Verification stays on unless the caller explicitly set false.
        rejectUnauthorized: this.#opts.rejectUnauthorized !== false,
        onread,
      };
      const socket: Socket = secure ? tlsConnect(tlsOptions) : netConnect({ host, port, onread });
      socket.setNoDelay(true);
      this.#socket = socket;
      let head: Buffer = Buffer.alloc(0);
      const onHandshakeData = (chunk: Buffer, n: number) => {
        // The read buffer is reused: copy (cold, once per connection).
        head = Buffer.concat([head, chunk.subarray(0, n)]);
        const at = head.indexOf(HEAD_END);
        if (at < 0) {
          if (head.length > MAX_HEAD) fail(new WsError('WS_ERR_HANDSHAKE', 'upgrade response headers too large'));
          return;
        }
        this.#onRead = () => {};
        try {
          verifyUpgradeResponse(head.toString('latin1', 0, at), key);
        } catch (e) {
          fail(e as WsError);
          return;
        }
        settled = true;
        clearTimeout(timer);
        socket.off('error', onHandshakeError);
        socket.off('close', onHandshakeClose);
        this.#open(socket);
        resolve();
        // Frames that came in the same chunk as the 101 response.
        if (head.length > at + 4) this.#onData(head, at + 4, head.length);
      };
      const onHandshakeError = (err: Error) => fail(new WsError('WS_ERR_HANDSHAKE', `cannot connect to ${url.host}: ${err.message}`, 1006, { cause: err }));
      const onHandshakeClose = () => fail(new WsError('WS_ERR_HANDSHAKE', `${url.host} closed the connection during the upgrade`));
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        try {
          socket.write(upgradeRequest(url, key, this.#opts.headers ?? {}));
        } catch (e) {
          fail(e as WsError);
        }
      });
      this.#onRead = onHandshakeData;
      socket.on('error', onHandshakeError);
      socket.on('close', onHandshakeClose);
    });
  }

  #open(socket: Socket): void {
    this.#state = WsState.Open;
    this.#onRead = (chunk, n) => this.#onData(chunk, 0, n);
    socket.on('error', (err) => {
      this.#pendingError ??= new WsError('WS_ERR_SOCKET', `socket error: ${err.message}`, 1006, { cause: err });
    });
    socket.on('close', () => this.#onSocketClose());
    socket.on('drain', () => this.#onDrain());
    this.#rxSeenAt = Date.now();
    const period = Math.max(10, Math.min(this.#opts.pingIntervalMs || Infinity, this.#opts.idleTimeoutMs ? this.#opts.idleTimeoutMs / 4 : Infinity));
    if (Number.isFinite(period)) {
      let sincePing = 0;
      this.#keepalive = setInterval(() => {
        const now = Date.now();
        if (this.#rxChunks !== this.#rxSeen) {
          this.#rxSeen = this.#rxChunks;
          this.#rxSeenAt = now;
        } else if (this.#opts.idleTimeoutMs > 0 && now - this.#rxSeenAt > this.#opts.idleTimeoutMs) {
          this.#fail(new WsError('WS_ERR_TIMEOUT', `nothing received for ${this.#opts.idleTimeoutMs} ms`, 1006), false);
          return;
        }
        sincePing += period;
        if (this.#opts.pingIntervalMs > 0 && sincePing >= this.#opts.pingIntervalMs) {
          sincePing = 0;
          this.ping();
        }
      }, period);
      this.#keepalive.unref();
    }
    this.#handler.onOpen();
  }

  #onData(chunk: Buffer, start: number, end: number): void {
    this.#rxChunks++;
    this.#reader.push(chunk, start, end);
    if (this.#state === WsState.Open) this.#handler.onReadEnd?.();
  }

  // ---- FrameSink ----

  onMessage(data: Buffer, start: number, end: number, binary: boolean): void {
    if (this.#state !== WsState.Open) return;
    try {
      this.#handler.onMessage(data, start, end, binary);
    } catch (err) {
      this.#reader.fail();
      this.#fail(new WsError('WS_ERR_HANDLER', `message handler threw: ${(err as Error)?.message ?? String(err)}`, 1011, { cause: err }), true);
    }
  }

  onPing(data: Buffer, start: number, end: number): void {
    if (this.#state === WsState.Open) this.#writeControl(OP_PONG, data.subarray(start, end));
  }

  onPong(): void {
    /* any byte in counts as liveness; nothing else to do */
  }

  onCloseFrame(code: number, reason: string): void {
    if (!this.#closeSent) {
      // Echo the status code (RFC 6455 §5.5.1), then let the server close the TCP connection.
      this.#sendClose(code === 1005 ? 1000 : code, '');
    }
    this.#state = WsState.Closing;
    this.#report(code, reason, undefined);
    // The server should close TCP now; do not wait for ever.
    this.#armCloseTimer(1000);
  }

  onViolation(closeCode: number, message: string): void {
    const code = closeCode === 1007 ? 'WS_ERR_INVALID_UTF8' : closeCode === 1009 ? 'WS_ERR_MESSAGE_TOO_BIG' : 'WS_ERR_PROTOCOL';
    this.#fail(new WsError(code, message, closeCode), true);
  }

  // ---- sending ----

  /** Hot path: frame the payload already written at FRAME_HEADER_ROOM of `frame`. */
  sendFrame(payloadLength: number, binary = false): SendStatus {
    const socket = this.#socket;
    if (this.#state !== WsState.Open || socket === undefined) return SendStatus.NotOpen;
    const buf = this.#frame;
    const start = writeClientFrame(buf, FRAME_HEADER_ROOM, payloadLength, binary ? OP_BINARY : OP_TEXT);
    const ok = socket.write(buf.subarray(start, FRAME_HEADER_ROOM + payloadLength));
    if (socket.writableLength === 0) return SendStatus.Written;
    // Node holds on to `buf` until the kernel takes it: fill another one meanwhile.
    this.#busy.push(buf);
    this.#frame = this.#spare.pop() ?? Buffer.allocUnsafeSlow(this.#opts.frameBufferBytes);
    return ok ? SendStatus.Written : SendStatus.Buffered;
  }

  /** Slow path: a text message from a string (allocates). */
  sendText(text: string): SendStatus {
    return this.#sendWhole(OP_TEXT, Buffer.from(text, 'utf8'));
  }

  sendBinary(data: Uint8Array): SendStatus {
    return this.#sendWhole(OP_BINARY, data);
  }

  ping(payload: Uint8Array = Buffer.alloc(0)): SendStatus {
    if (this.#state !== WsState.Open) return SendStatus.NotOpen;
    return this.#writeControl(OP_PING, payload);
  }

  #sendWhole(op: number, payload: Uint8Array): SendStatus {
    const socket = this.#socket;
    if (this.#state !== WsState.Open || socket === undefined) return SendStatus.NotOpen;
    const ok = socket.write(buildClientFrame(op, payload));
    return ok && socket.writableLength === 0 ? SendStatus.Written : SendStatus.Buffered;
  }

  #writeControl(op: number, payload: Uint8Array): SendStatus {
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return SendStatus.NotOpen;
    socket.write(buildClientFrame(op, payload.length > 125 ? payload.subarray(0, 125) : payload));
    return SendStatus.Written;
  }

  #sendClose(code: number, reason: string): void {
    this.#closeSent = true;
    const r = Buffer.from(reason, 'utf8').subarray(0, 123);
    const p = Buffer.allocUnsafe(2 + r.length);
    p.writeUInt16BE(code, 0);
    r.copy(p, 2);
    this.#writeControl(OP_CLOSE, p);
  }

  #onDrain(): void {
    if (this.#busy.length > 0 && this.#socket?.writableLength === 0) {
      for (const b of this.#busy) this.#spare.push(b);
      this.#busy.length = 0;
    }
    this.#handler.onDrain?.();
  }

  // ---- closing ----

  /** Close handshake: send close, wait (bounded) for the server's, then end the socket. */
  close(code = 1000, reason = ''): Promise<void> {
    if (this.#state === WsState.Open) {
      this.#state = WsState.Closing;
      this.#sendClose(code, reason);
      this.#armCloseTimer(2000);
    } else if (this.#state === WsState.Connecting || this.#state === WsState.Idle) {
      this.destroy();
    }
    return this.#closed;
  }

  /** Drops the connection at once (no close handshake). */
  destroy(): void {
    this.#socket?.destroy();
    if (this.#state === WsState.Idle) {
      this.#state = WsState.Closed;
      this.#closedResolve?.();
    }
  }

  #armCloseTimer(ms: number): void {
    if (this.#closeTimer !== undefined) return;
    this.#closeTimer = setTimeout(() => this.#socket?.destroy(), ms);
    this.#closeTimer.unref();
  }

  /** Local failure: send a close frame with the code if we can, report, drop the socket. */
  #fail(error: WsError, sendClose: boolean): void {
    if (this.#state === WsState.Closed) return;
    this.#reader.fail();
    if (sendClose && !this.#closeSent && this.#state === WsState.Open) this.#sendClose(error.closeCode, error.message.slice(0, 120));
    this.#state = WsState.Closing;
    this.#report(error.closeCode, error.message, error);
    this.#socket?.end();
    this.#armCloseTimer(500);
  }

  #onSocketClose(): void {
    clearInterval(this.#keepalive);
    clearTimeout(this.#closeTimer);
    const wasClean = this.#reported;
    this.#state = WsState.Closed;
    if (!wasClean) {
      this.#report(1006, '', this.#pendingError ?? new WsError('WS_ERR_CLOSED', 'connection closed without a close handshake', 1006));
    }
    this.#closedResolve?.();
  }

  #report(code: number, reason: string, error: WsError | undefined): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#handler.onClose(code, reason, error);
  }
}

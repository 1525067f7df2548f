import type { WsError } from './errors.js';

/**
 * Receives everything a connection produces. One handler object per connection, its methods
 * called directly: no EventEmitter, no closure per message.
 */
export interface WsHandler {
  /** The upgrade completed and `Sec-WebSocket-Accept` matched. */
  onOpen(): void;
  /**
   * One complete message. `data[start, end)` is BORROWED: it is a view of the socket's receive
   * buffer (or of the reassembly buffer for fragmented messages), valid only until this call
   * returns. Copy whatever you keep.
   */
  onMessage(data: Buffer, start: number, end: number, binary: boolean): void;
  /**
   * The connection is gone (after a close handshake, a protocol violation, a socket error or a
   * keep-alive timeout). Called exactly once per successful `connect()`. `error` is set unless
   * the close was clean (both sides sent a close frame).
   */
  onClose(code: number, reason: string, error: WsError | undefined): void;
  /** The socket drained after a send returned SendStatus.Buffered. */
  onDrain?(): void;
  /**
   * Every message of one socket read has been delivered: a point to act once on all of them (the
   * engine sends one mass quote for every ticker of a read, not one per ticker).
   */
  onReadEnd?(): void;
}

export interface WsClientOptions {
  /** `ws://host:port/path` or `wss://host:port/path`. */
  url: string;
  /** Extra upgrade request headers (e.g. for a proxy). */
  headers?: Readonly<Record<string, string>>;
  /** Extra CA certificate(s) to trust for `wss://`. Verification stays on. */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * Verify the server certificate for `wss://`. Default true. Turning it off must be an explicit
   * decision of the caller; nothing in this package turns it off by itself.
   */
  rejectUnauthorized?: boolean;
  /** TLS SNI / certificate host name; defaults to the URL host. */
  servername?: string;
  /** Connect + upgrade deadline. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Largest message accepted; larger → close 1009. Default 16 MiB. */
  maxMessageBytes?: number;
  /** Send a ping this often. 0 disables. Default 5 000 ms. */
  pingIntervalMs?: number;
  /** Declare the connection dead when nothing at all arrives for this long. 0 disables. Default 15 000 ms. */
  idleTimeoutMs?: number;
  /** Size of the preallocated hot-path frame buffer, payload capacity included. Default 256 KiB. */
  frameBufferBytes?: number;
}

/** Result of a send, as a number so the hot path allocates nothing. */
export const enum SendStatus {
  /** Handed to the kernel in full. */
  Written = 0,
  /** Accepted but (partly) queued in user space: the socket is backpressured. */
  Buffered = 1,
  /** Not sent: the connection is not open. */
  NotOpen = 2,
}

export const enum WsState {
  Idle = 0,
  Connecting = 1,
  Open = 2,
  Closing = 3,
  Closed = 4,
}

/**
 * Room reserved in front of the payload in the hot-path frame buffer: the largest client frame
 * header is 2 + 8 (64-bit length) + 4 (mask) bytes (RFC 6455 §5.2). The writer places the actual
 * header right-aligned against the payload.
 */
export const FRAME_HEADER_ROOM = 14;

import { QuoterError } from '../errors.js';

export type WsErrorCode =
  /** Connect, TLS or upgrade failed (status, headers, Sec-WebSocket-Accept). */
  | 'WS_ERR_HANDSHAKE'
  /** The peer broke RFC 6455 (we closed with 1002). */
  | 'WS_ERR_PROTOCOL'
  /** A text message that is not UTF-8 (closed with 1007). */
  | 'WS_ERR_INVALID_UTF8'
  /** A message over the configured maximum (closed with 1009). */
  | 'WS_ERR_MESSAGE_TOO_BIG'
  /** Nothing arrived within the keep-alive deadline, or the connect deadline passed. */
  | 'WS_ERR_TIMEOUT'
  /** The connection ended without a close handshake (1006). */
  | 'WS_ERR_CLOSED'
  /** A socket-level error. */
  | 'WS_ERR_SOCKET'
  /** The handler threw while receiving a message (closed with 1011). */
  | 'WS_ERR_HANDLER';

export class WsError extends QuoterError {
  /** The close code sent or seen (RFC 6455 §7.4), when there is one. */
  readonly closeCode: number;

  constructor(code: WsErrorCode, message: string, closeCode = 1006, options?: { cause?: unknown }) {
    super(code, message, options);
    this.closeCode = closeCode;
  }
}

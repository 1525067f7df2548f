import { QuoterError } from '../errors.js';

/** A request that never got its answer: timed out, or the connection went away first. */
export class RpcError extends QuoterError {
  readonly method: string;
  readonly id: number;

  constructor(code: RpcErrorCode, method: string, id: number, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.method = method;
    this.id = id;
  }
}

export type RpcErrorCode =
  /** No reply within the request's deadline. */
  | 'RPC_ERR_TIMEOUT'
  /** The connection dropped (or was closed) while the request was in flight. */
  | 'RPC_ERR_DISCONNECTED'
  /** The request was not sent: no open connection. */
  | 'RPC_ERR_NOT_CONNECTED'
  /** Too many requests in flight; the request was not sent. */
  | 'RPC_ERR_TOO_MANY_IN_FLIGHT'
  /** A reply that is not valid JSON-RPC (unparseable, or neither result nor error). */
  | 'RPC_ERR_BAD_REPLY'
  /** A reply whose id matches no request in flight (typically one that came after its deadline). */
  | 'RPC_ERR_STRAY_REPLY';

/** The in-flight table was sized with an unusable capacity (not a power of two ≥ 2). */
export class RpcConfigError extends QuoterError {
  constructor(message: string) {
    super('RPC_ERR_CONFIG', message);
  }
}

import type { RpcSession } from '../rpc/session.js';
import type { WsError } from '../ws/errors.js';
import type { WsHandler } from '../ws/types.js';

/** What the engine hears about the connection's end. */
export interface ConnectionOwner {
  onConnectionClosed(code: number, reason: string, error: WsError | undefined): void;
  /** After the read loop has delivered the messages of one socket read: a check point per I/O turn. */
  onReadTurn?(): void;
  /** The socket drained after backpressure. */
  onDrain?(): void;
}

/**
 * The WsHandler of the engine's connection: every message goes to the RPC session (which routes
 * replies and notifications), the close goes to both. One object per connection, no closures
 * per message.
 */
export class ConnectionHandler implements WsHandler {
  readonly #rpc: RpcSession;
  readonly #owner: ConnectionOwner;
  #open = false;

  constructor(rpc: RpcSession, owner: ConnectionOwner) {
    this.#rpc = rpc;
    this.#owner = owner;
  }

  get open(): boolean {
    return this.#open;
  }

  onOpen(): void {
    this.#open = true;
  }

  onMessage(data: Buffer, start: number, end: number): void {
    this.#rpc.handleMessage(data, start, end);
  }

  onDrain(): void {
    this.#owner.onDrain?.();
  }

  onReadEnd(): void {
    this.#owner.onReadTurn?.();
  }

  onClose(code: number, reason: string, error: WsError | undefined): void {
    this.#open = false;
    this.#rpc.detach(`closed with ${code}${reason ? ` (${reason})` : ''}`, error);
    this.#owner.onConnectionClosed(code, reason, error);
  }
}

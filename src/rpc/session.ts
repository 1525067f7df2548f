import { performance } from 'node:perf_hooks';
import type { SendStatus } from '../ws/types.js';
import { ChannelRouter } from './channel-router.js';
import { VenueError } from '../protocol/errors.js';
import { RpcError } from './errors.js';
import { HotTable } from './hot-table.js';
import { CHANNEL_NAME_OFFSET, PEEK_NOT_REPLY, PEEK_NULL_ID, peekChannelEnd, peekReplyId } from './peek.js';

/** What the session needs from a connection. WsClient satisfies it. */
export interface RpcTransport {
  sendText(text: string): SendStatus;
}

/**
 * Receives the replies of hot-path requests as bytes (the engine decodes them with the codec),
 * and the requests that will never get one.
 */
export interface HotReplyHandler {
  /** `data[start, end)` is borrowed for the call only. `sentMs` is what `trackHot` was given. */
  onHotReply(id: number, tag: number, sentMs: number, data: Buffer, start: number, end: number): void;
  /** Timed out or disconnected; the request's fate at the venue is unknown. */
  onHotLost(id: number, tag: number, sentMs: number, error: RpcError): void;
}

/** Things that arrive and belong to no one. Never silently dropped: reported here. */
export interface RpcDiagnostics {
  /** A reply whose id matches no request in flight (e.g. one that arrived after its timeout). */
  onStrayReply?(id: number | null, reply: unknown): void;
  /** A notification on a channel nobody routed. */
  onUnroutedNotification?(channel: string): void;
  /** A frame that is neither a reply nor a notification, or not JSON at all. */
  onBadFrame?(error: RpcError, text: string): void;
}

export interface RpcSessionOptions {
  /** Default deadline of `call()`. Default 10 000 ms. */
  timeoutMs?: number;
  /** Deadline of hot-path requests. Default 5 000 ms. */
  hotTimeoutMs?: number;
  /** Capacity of the hot in-flight table (power of two). Default 1024. */
  hotCapacity?: number;
  /** Maximum cold requests in flight. Default 1024. */
  maxInFlight?: number;
  /** How often deadlines are checked. One timer for all requests. Default 25 ms. */
  sweepIntervalMs?: number;
  diagnostics?: RpcDiagnostics;
}

/**
 * What became of every request (cold and hot) this session registered. Plain counters, bumped
 * in place: the hot path allocates nothing for them. At any moment
 * `registered = answered + timedOut + disconnected + withdrawn + inFlight`: a request that is
 * none of the first four is still in flight, so none can be silently lost.
 */
export interface RpcOutcomes {
  /** Requests registered (before their frame is written). */
  registered: number;
  /** A reply arrived (a result or an error reply). */
  answered: number;
  /** Error replies among `answered` (cold calls; hot replies are judged by their owner). */
  errorReplies: number;
  /** No reply within the deadline. */
  timedOut: number;
  /** Failed because the connection went away first. */
  disconnected: number;
  /** Registered but never written (`untrackHot`, or the connection was not open). */
  withdrawn: number;
}

interface Pending {
  readonly method: string;
  readonly deadlineMs: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * JSON-RPC over one WebSocket connection at a time.
 *
 * - Ids are monotonic across the session's life (and across reconnects), shared by the cold and
 *   the hot path.
 * - The pending entry is registered BEFORE the frame is written: a reply can arrive in the same
 *   I/O turn as the write (go-thalex loses such replies by registering afterwards).
 * - Deadlines are checked by one sweep timer, not one timer per request.
 * - On disconnect every request in flight is failed with RPC_ERR_DISCONNECTED.
 */
export class RpcSession {
  readonly channels = new ChannelRouter();
  readonly #pending = new Map<number, Pending>();
  readonly #hot: HotTable;
  readonly #timeoutMs: number;
  readonly #hotTimeoutMs: number;
  readonly #maxInFlight: number;
  readonly #sweepIntervalMs: number;
  readonly #diag: RpcDiagnostics;
  #transport: RpcTransport | undefined;
  #hotHandler: HotReplyHandler | undefined;
  #nextId = 1;
  readonly #outcomes: RpcOutcomes = { registered: 0, answered: 0, errorReplies: 0, timedOut: 0, disconnected: 0, withdrawn: 0 };
  #registeredAtAttach = 0;
  #sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: RpcSessionOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#hotTimeoutMs = options.hotTimeoutMs ?? 5_000;
    this.#hot = new HotTable(options.hotCapacity ?? 1024);
    this.#maxInFlight = options.maxInFlight ?? 1024;
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 25;
    this.#diag = options.diagnostics ?? {};
  }

  get connected(): boolean {
    return this.#transport !== undefined;
  }

  /** Requests in flight, cold and hot. */
  get inFlight(): number {
    return this.#pending.size + this.#hot.size;
  }

  get hotInFlight(): number {
    return this.#hot.size;
  }

  /** Requests registered since the connection was attached (the venue's rate counts them all). */
  get sentThisConnection(): number {
    return this.#outcomes.registered - this.#registeredAtAttach;
  }

  /** Live counters (read them, do not keep a copy expecting it to change). */
  get outcomes(): Readonly<RpcOutcomes> {
    return this.#outcomes;
  }

  setHotHandler(handler: HotReplyHandler): void {
    this.#hotHandler = handler;
  }

  /** A connection is open: requests may be sent through it. */
  attach(transport: RpcTransport): void {
    this.#transport = transport;
    this.#registeredAtAttach = this.#outcomes.registered;
    if (this.#sweepTimer === undefined) {
      this.#sweepTimer = setInterval(() => this.#sweep(), this.#sweepIntervalMs);
      this.#sweepTimer.unref();
    }
  }

  /** The connection is gone: fail everything in flight with `RPC_ERR_DISCONNECTED`. */
  detach(reason: string, cause?: unknown): void {
    this.#transport = undefined;
    this.#failAll('RPC_ERR_DISCONNECTED', `connection lost: ${reason}`, cause);
  }

  /** Stops the sweep timer and fails what is left. */
  dispose(): void {
    if (this.#sweepTimer !== undefined) clearInterval(this.#sweepTimer);
    this.#sweepTimer = undefined;
    this.detach('session disposed');
  }

  /**
   * Sends `{"method","params","id"}` and resolves with `result`, or rejects with VenueError
   * (an error reply), RpcError (timeout, disconnect, not connected, too many in flight). The cold
   * path: it allocates, and that is fine for login, subscriptions and the like.
   */
  call<T = unknown>(method: string, params: object = {}, timeoutMs = this.#timeoutMs): Promise<T> {
    const id = this.#nextId++;
    const transport = this.#transport;
    if (transport === undefined) {
      return Promise.reject(new RpcError('RPC_ERR_NOT_CONNECTED', method, id, `${method}: not connected`));
    }
    if (this.#pending.size >= this.#maxInFlight) {
      return Promise.reject(
        new RpcError('RPC_ERR_TOO_MANY_IN_FLIGHT', method, id, `${method}: ${this.#pending.size} requests in flight`),
      );
    }
    return new Promise<T>((resolve, reject) => {
      // Registered before the write: the reply may be read in the same turn.
      this.#pending.set(id, {
        method,
        deadlineMs: performance.now() + timeoutMs,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.#outcomes.registered++;
      const status = transport.sendText(JSON.stringify({ method, params, id }));
      if (status === 2 /* SendStatus.NotOpen */) {
        this.#pending.delete(id);
        this.#outcomes.withdrawn++;
        reject(new RpcError('RPC_ERR_NOT_CONNECTED', method, id, `${method}: connection not open`));
      }
    });
  }

  /** Takes the next request id for a hot-path frame the caller encodes itself. */
  nextId(): number {
    return this.#nextId++;
  }

  /**
   * Registers a hot-path request BEFORE its frame is written. `tag` is the caller's own kind
   * (e.g. quote or cancel); `sentMs` is echoed back with the reply. False when the hot table is
   * full: do not send.
   */
  trackHot(id: number, tag: number, sentMs: number): boolean {
    if (!this.#hot.add(id, tag, sentMs, sentMs + this.#hotTimeoutMs)) return false;
    this.#outcomes.registered++;
    return true;
  }

  /**
   * The frame of hot request `id` was handed to the send call at `sentMs` (read just before it):
   * round trips count from there, not from when the request was registered.
   */
  markHotSent(id: number, sentMs: number): void {
    const slot = this.#hot.find(id);
    if (slot >= 0) this.#hot.setSent(slot, sentMs);
  }

  /** Forgets a hot request whose frame could not be written after all. */
  untrackHot(id: number): void {
    const slot = this.#hot.find(id);
    if (slot >= 0) {
      this.#hot.release(slot);
      this.#outcomes.withdrawn++;
    }
  }

  /**
   * One complete incoming message (`data[start, end)`, borrowed). Replies to hot requests and
   * notifications on raw routes never get parsed here.
   */
  handleMessage(data: Buffer, start: number, end: number): void {
    const id = peekReplyId(data, start, end);
    if (id >= 0) {
      const slot = this.#hot.find(id);
      if (slot >= 0) {
        const tag = this.#hot.tagAt(slot);
        const sent = this.#hot.sentAt(slot);
        this.#hot.release(slot);
        this.#outcomes.answered++;
        this.#hotHandler?.onHotReply(id, tag, sent, data, start, end);
        return;
      }
      this.#handleParsed(data, start, end);
      return;
    }
    if (id === PEEK_NOT_REPLY) {
      const chEnd = peekChannelEnd(data, start, end);
      if (chEnd >= 0) {
        const chStart = start + CHANNEL_NAME_OFFSET;
        const route = this.channels.matchBytes(data, chStart, chEnd);
        if (route?.raw !== undefined) {
          route.raw.onRawNotification(data, start, end, chStart, chEnd);
          return;
        }
      }
    }
    // PEEK_NULL_ID, parsed routes, and anything not in the compact shape.
    this.#handleParsed(data, start, end);
  }

  #handleParsed(data: Buffer, start: number, end: number): void {
    const text = data.toString('utf8', start, end);
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (cause) {
      this.#diag.onBadFrame?.(new RpcError('RPC_ERR_BAD_REPLY', '', 0, 'incoming frame is not JSON', { cause }), text);
      return;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
      this.#diag.onBadFrame?.(new RpcError('RPC_ERR_BAD_REPLY', '', 0, 'incoming frame is not a JSON object'), text);
      return;
    }
    const m = msg as Record<string, unknown>;
    if (typeof m['channel_name'] === 'string') {
      this.#dispatchParsedNotification(m['channel_name'], m['notification'], data, start, end);
      return;
    }
    if ('id' in m) {
      this.#settle(m, text);
      return;
    }
    this.#diag.onBadFrame?.(
      new RpcError('RPC_ERR_BAD_REPLY', '', 0, 'incoming frame has neither id nor channel_name'),
      text,
    );
  }

  #dispatchParsedNotification(channel: string, notification: unknown, data: Buffer, start: number, end: number): void {
    const route = this.channels.matchText(channel);
    if (route === undefined) {
      this.#diag.onUnroutedNotification?.(channel);
      return;
    }
    if (route.parsed !== undefined) {
      route.parsed(channel, notification);
      return;
    }
    // A raw route reached through the slow path (non-compact frame): hand it the bytes with
    // the channel position unknown, as -1.
    route.raw?.onRawNotification(data, start, end, -1, -1);
  }

  #settle(m: Record<string, unknown>, text: string): void {
    const rawId = m['id'];
    const id = typeof rawId === 'number' ? rawId : null;
    const pending = id === null ? undefined : this.#pending.get(id);
    if (pending === undefined || id === null) {
      // A hot reply that reached the slow path (non-compact encoding) still belongs to its owner.
      if (id !== null) {
        const slot = this.#hot.find(id);
        if (slot >= 0) {
          const tag = this.#hot.tagAt(slot);
          const sent = this.#hot.sentAt(slot);
          this.#hot.release(slot);
          this.#outcomes.answered++;
          const buf = Buffer.from(text, 'utf8');
          this.#hotHandler?.onHotReply(id, tag, sent, buf, 0, buf.length);
          return;
        }
      }
      this.#diag.onStrayReply?.(id, m);
      return;
    }
    this.#pending.delete(id);
    this.#outcomes.answered++;
    const error = m['error'];
    if (error !== undefined && error !== null) {
      this.#outcomes.errorReplies++;
      const e = error as { code?: unknown; message?: unknown };
      const code = typeof e.code === 'number' ? e.code : -1;
      const message = typeof e.message === 'string' ? e.message : JSON.stringify(error);
      pending.reject(new VenueError(pending.method, code, message));
      return;
    }
    if (!('result' in m)) {
      pending.reject(new RpcError('RPC_ERR_BAD_REPLY', pending.method, id, `${pending.method}: reply has no result`));
      return;
    }
    pending.resolve(m['result']);
  }

  #sweep(): void {
    const now = performance.now();
    if (this.#pending.size > 0) {
      for (const [id, p] of this.#pending) {
        if (p.deadlineMs <= now) {
          this.#pending.delete(id);
          this.#outcomes.timedOut++;
          p.reject(new RpcError('RPC_ERR_TIMEOUT', p.method, id, `${p.method}: no reply within the deadline`));
        }
      }
    }
    const hot = this.#hot;
    if (hot.size > 0) {
      for (let s = 0; s < hot.capacity; s++) {
        const id = hot.idAt(s);
        if (id !== 0 && hot.deadlineAt(s) <= now) {
          const tag = hot.tagAt(s);
          const sent = hot.sentAt(s);
          hot.release(s);
          this.#outcomes.timedOut++;
          this.#hotHandler?.onHotLost(id, tag, sent, new RpcError('RPC_ERR_TIMEOUT', 'hot', id, 'no reply within the deadline'));
        }
      }
    }
  }

  #failAll(code: 'RPC_ERR_DISCONNECTED', message: string, cause: unknown): void {
    const pending = [...this.#pending];
    this.#pending.clear();
    this.#outcomes.disconnected += pending.length;
    for (const [id, p] of pending) {
      p.reject(new RpcError(code, p.method, id, `${p.method}: ${message}`, { cause }));
    }
    const hot = this.#hot;
    if (hot.size > 0) {
      for (let s = 0; s < hot.capacity; s++) {
        const id = hot.idAt(s);
        if (id !== 0) {
          const tag = hot.tagAt(s);
          const sent = hot.sentAt(s);
          hot.release(s);
          this.#outcomes.disconnected++;
          this.#hotHandler?.onHotLost(id, tag, sent, new RpcError(code, 'hot', id, message, { cause }));
        }
      }
    }
  }
}

export { RpcSession } from './session.js';
export type { RpcTransport, HotReplyHandler, RpcDiagnostics, RpcSessionOptions } from './session.js';
export { ChannelRouter } from './channel-router.js';
export type { RawChannelHandler, ParsedChannelHandler } from './channel-router.js';
export { RpcError } from './errors.js';
export type { RpcErrorCode } from './errors.js';
export { peekReplyId, peekChannelEnd, PEEK_NOT_REPLY, PEEK_NULL_ID } from './peek.js';

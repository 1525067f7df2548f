export { WsClient } from './client.js';
export { WsError, type WsErrorCode } from './errors.js';
export { FRAME_HEADER_ROOM, SendStatus, WsState, type WsClientOptions, type WsHandler } from './types.js';

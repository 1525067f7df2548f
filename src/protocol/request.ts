import type { ParamsOf, ResultOf, TypedMethod } from './rpc-types.js';

/** What sends a request and resolves with its result (rpc/session.ts RpcSession). */
export interface RpcCaller {
  call<T>(method: string, params: object): Promise<T>;
}

/**
 * A cold request whose params and result are the spec's types for `method` (rpc-types.ts
 * `RpcMethods`), so a method constant and the params built for it cannot drift apart.
 */
export function request<M extends TypedMethod>(rpc: RpcCaller, method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  return rpc.call<ResultOf<M>>(method, params);
}

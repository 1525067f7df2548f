import { createRequire } from 'node:module';
import { QuoterError } from './errors.js';

export type Uws = typeof import('uWebSockets.js');

export class UwsFallbackError extends QuoterError {
  constructor(detail: string) {
    super(
      'UWS_ERR_NOT_NATIVE',
      `uWebSockets.js did not load its native binary (${detail}). ` +
        `The pinned build (@trufflesuite/uws-js-unofficial) ships binaries for Node 20 only; ` +
        `on another Node version install the official build under the same name: ` +
        `npm install "uWebSockets.js@github:uNetworking/uWebSockets.js#<tag>" (see README, "Node versions").`,
    );
  }
}

let cached: Uws | undefined;

/**
 * Loads uWebSockets.js and proves it is the native addon. The pinned package silently falls
 * back to a JS implementation (on `ws`) when its binary does not match the running Node ABI,
 * printing only a console warning; a simulator or monitor on that fallback would be several
 * times slower and would make every latency figure a lie, so we refuse it.
 */
export function loadUws(): Uws {
  if (cached !== undefined) return cached;
  const env = process.env['UWS_USE_FALLBACK'];
  if (env !== undefined && /^(1|true)$/i.test(env)) {
    throw new UwsFallbackError('UWS_USE_FALLBACK is set');
  }
  const require = createRequire(import.meta.url);
  const uws = require('uWebSockets.js') as Uws;
  if (!isNative(uws)) {
    throw new UwsFallbackError(`no binary for ${process.platform}-${process.arch} ABI ${process.versions.modules}`);
  }
  cached = uws;
  return uws;
}

/** The native App is a C++ function; the fallback's App is JS source. */
export function isNative(uws: Pick<Uws, 'App'>): boolean {
  return typeof uws.App === 'function' && Function.prototype.toString.call(uws.App).includes('[native code]');
}

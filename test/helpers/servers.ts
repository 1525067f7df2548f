import { findNative } from '../../src/server/select.js';
import type { ServerChoice } from '../../src/server/index.js';

/**
 * The servers that can run on this machine and Node: the JS one always, the native one where a
 * uWebSockets.js build loads (test/server/select.test.ts pins where that must be the case).
 */
export const SERVERS: ReadonlyArray<Exclude<ServerChoice, 'auto'>> = findNative().build !== undefined ? ['native', 'js'] : ['js'];

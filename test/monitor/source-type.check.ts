/**
 * Compile-time only (not a vitest file): `npm test` runs `tsc -p tsconfig.test.json` before the
 * suite, and that fails here if `Engine` stops being a structural `MonitorSource`, i.e. if
 * `startMonitor({ source: engine })` would no longer compile for users embedding both.
 */
import type { Engine } from '../../src/engine/engine.js';
import type { MonitorSource } from '../../src/monitor/source.js';

type Extends<A, B> = [A] extends [B] ? true : false;

export const engineIsAMonitorSource: Extends<Engine, MonitorSource> = true;

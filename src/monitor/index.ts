export { startMonitor } from './monitor.js';
export type { MonitorHandle, MonitorOptions } from './monitor.js';
export type { BookRow, MonitorSource } from './source.js';
export type { MonitorSample, PushMessage } from './sample.js';
export { DISTRIBUTION_PERCENTILES } from './sample.js';
export { MonitorAssetError, MonitorConfigError, MonitorListenError } from './errors.js';

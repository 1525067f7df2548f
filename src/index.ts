// The public API of thalex-quoter, and nothing else.

export { Engine, type EngineOptions, type StopReport } from './engine/engine.js';
export { parseEngineConfig, type EngineConfig, type EngineConfigInput } from './engine/config.js';
export type { EngineEvents, EngineState, StateChange, FillEvent, ProtectionEvent, QuoteErrorEvent } from './engine/events.js';
export type { EngineMetricsSnapshot, LatencyPercentiles, RequestOutcomes } from './engine/metrics-snapshot.js';
export type { EngineLogger } from './engine/logger.js';
// The node flags a production quoter runs with: npm start passes them; an embedding program puts them on its own node command line.
export { QUOTER_NODE_FLAGS } from './cli/node-flags.js';

export { QuoterError } from './errors.js';
export { ConfigError, EngineStateError, BootstrapError, CancelAllError, ReplyTimeoutError, SnapshotTimeoutError, VenueDataError, InternalError } from './engine/errors.js';
export { PricerLoadError, PricingWorkerError } from './pricing/errors.js';
export { MonitorConfigError, MonitorListenError } from './monitor/errors.js';
export { RpcError } from './rpc/errors.js';
export { WsError } from './ws/errors.js';
export { ProtocolError, VenueError } from './protocol/errors.js';
export { ThalexErrorCode, errorCodeName } from './protocol/error-codes.js';

// For writing a custom pricer (a module whose default export is a PriceFn).
export type { PriceFn, InstrumentSpec } from './pricing/pricer.js';
export { QuoteOut, roundDownTo, roundUpTo } from './pricing/pricer.js';
export * as ringFields from './rings/layout.js';
// Black-76 for pricers of options (the built-in options pricer is `pricing.pricer: "options"`).
export {
  black76Price,
  black76Delta,
  black76Vega,
  black76Gamma,
  black76ImpliedVol,
  black76Into,
  B76_FORWARD,
  B76_STRIKE,
  B76_T,
  B76_VOL,
  B76_PRICE,
  B76_DELTA,
  B76_VEGA,
  B76_SLOTS,
  normCdf,
  SECONDS_PER_YEAR,
} from './pricing/black76.js';
export type { InstrumentSelectorInput } from './engine/instrument-selector.js';

export { startMonitor, type MonitorHandle, type MonitorOptions } from './monitor/index.js';

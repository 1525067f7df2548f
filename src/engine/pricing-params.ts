import {
  DP_LEVEL_STEP_TICKS,
  DP_LEVELS,
  DP_MAX_SIZE,
  DP_SIZE,
  DP_SIZE_GROWTH,
  DP_SKEW,
  DP_SPREAD_BPS,
  DP_SPREAD_TICKS,
} from '../pricing/default-pricer.js';
import { PRICER_PARAMS } from '../rings/control-layout.js';
import type { InstrumentInfo } from './bootstrap.js';
import { ConfigError } from './errors.js';

/** Names of the default pricer's parameters, as users write them in config. */
const DEFAULT_NAMES: Record<string, number> = {
  spreadTicks: DP_SPREAD_TICKS,
  spreadBps: DP_SPREAD_BPS,
  skew: DP_SKEW,
  levels: DP_LEVELS,
  levelStepTicks: DP_LEVEL_STEP_TICKS,
  size: DP_SIZE,
  sizeGrowth: DP_SIZE_GROWTH,
  maxSize: DP_MAX_SIZE,
};

/**
 * One parameter row per instrument. For the default pricer, parameters are named (unknown
 * names are a ConfigError); unset ones default to a 10 bps spread, one level, and ten times the
 * instrument's minimum order as size. A custom pricer gets its parameters by position: keys
 * "0", "1", … .
 */
export function pricingParamRows(instruments: readonly InstrumentInfo[], params: Record<string, number>, custom: boolean): Float64Array[] {
  const width = PRICER_PARAMS;
  return instruments.map((inst) => {
    const row = new Float64Array(width);
    if (custom) {
      for (const [k, v] of Object.entries(params)) {
        const idx = Number(k);
        if (!Number.isInteger(idx) || idx < 0 || idx >= width) {
          throw new ConfigError([{ path: `pricing.params.${k}`, message: `a custom pricer takes parameters by position 0…${width - 1}` }]);
        }
        row[idx] = v;
      }
      return row;
    }
    row[DP_SPREAD_BPS] = 10;
    row[DP_LEVELS] = 1;
    row[DP_LEVEL_STEP_TICKS] = 1;
    row[DP_SIZE] = inst.minOrderAmount * 10;
    row[DP_SIZE_GROWTH] = 1;
    for (const [k, v] of Object.entries(params)) {
      const idx = DEFAULT_NAMES[k];
      if (idx === undefined) {
        throw new ConfigError([{ path: `pricing.params.${k}`, message: `unknown parameter; the default pricer knows ${Object.keys(DEFAULT_NAMES).join(', ')}` }]);
      }
      row[idx] = v;
    }
    return row;
  });
}

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
import { defaultOptionsParams, OP_SIZE, OP_VEGA_SIZE, OPTIONS_PARAM_NAMES } from '../pricing/options-pricer.js';
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
 * instrument's minimum order as size. The options pricer (`options`) also knows the names of
 * options-pricer.ts (OPTIONS_PARAM_NAMES) and defaults to a 2 vol point width with a 2 tick floor,
 * 10 USD of vega per level (at least the minimum order), no skew and no limits; its non-options
 * use the default pricer's names from the same row. A custom pricer gets its parameters by
 * position: keys "0", "1", … .
 */
export function pricingParamRows(instruments: readonly InstrumentInfo[], params: Record<string, number>, custom: boolean, options = false): Float64Array[] {
  const names: Record<string, number> = options ? { ...DEFAULT_NAMES, ...OPTIONS_PARAM_NAMES } : DEFAULT_NAMES;
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
    if (options) {
      defaultOptionsParams(row);
      row[OP_VEGA_SIZE] = 10;
      row[OP_SIZE] = inst.minOrderAmount * 10;
    }
    for (const [k, v] of Object.entries(params)) {
      const idx = names[k];
      if (idx === undefined) {
        throw new ConfigError([{ path: `pricing.params.${k}`, message: `unknown parameter; the ${options ? 'options' : 'default'} pricer knows ${Object.keys(names).join(', ')}` }]);
      }
      row[idx] = v;
    }
    return row;
  });
}

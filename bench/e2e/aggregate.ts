import type { CaseResult, LatencySummary, RatioRange, RatioSet } from '../lib/types.js';
import type { Summary } from './client-protocol.js';

export const PCTS = ['p50', 'p90', 'p99', 'p999'] as const;

export function median(xs: number[]): number {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

function range(xs: number[]): RatioRange {
  const v = xs.filter(Number.isFinite);
  return { median: median(v), min: v.length > 0 ? Math.min(...v) : Number.NaN, max: v.length > 0 ? Math.max(...v) : Number.NaN };
}

/** Each percentile as the median over repeats; count summed, max the largest seen. */
export function medianSummary(reps: Array<Summary | undefined>): LatencySummary {
  const r = reps.filter((x): x is Summary => x !== undefined && x.count > 0);
  const at = (k: 'p50' | 'p90' | 'p99' | 'p999' | 'mean') => median(r.map((x) => x[k]));
  return { count: r.reduce((a, x) => a + x.count, 0), p50: at('p50'), p90: at('p90'), p99: at('p99'), p999: at('p999'), max: r.length > 0 ? Math.max(...r.map((x) => x.max)) : Number.NaN, mean: at('mean') };
}

/** Ratios repeat by repeat (same repeat = phases run back to back), then median and range. */
export function ratioSet(baseline: string, mine: Array<Summary | undefined>, theirs: Array<Summary | undefined>): RatioSet {
  const per = (k: (typeof PCTS)[number]) =>
    range(mine.map((m, i) => {
      const t = theirs[i];
      return m !== undefined && t !== undefined && m.count > 0 && t.count > 0 ? m[k] / t[k] : Number.NaN;
    }));
  return { baseline, p50: per('p50'), p90: per('p90'), p99: per('p99'), p999: per('p999') };
}

/** A case from per-repeat summaries, with ratios against other cases' per-repeat summaries. */
export function repeatedCase(name: string, reps: Array<Summary | undefined>, baselines: Array<[string, Array<Summary | undefined>]>, extra?: CaseResult['extra']): CaseResult {
  return {
    name,
    unit: 'µs',
    summary: medianSummary(reps),
    repeats: reps.filter((x) => x !== undefined && x.count > 0).length,
    ratios: baselines.map(([b, s]) => ratioSet(b, reps, s)),
    ...(extra !== undefined ? { extra } : {}),
  };
}

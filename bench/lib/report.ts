import type { CaseResult, RatioRange, SuiteResult } from './types.js';

const COLS: Array<'p50' | 'p90' | 'p99' | 'p999' | 'max'> = ['p50', 'p90', 'p99', 'p999', 'max'];
const COL_TITLES = ['p50', 'p90', 'p99', 'p99.9', 'max'];

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function range(r: RatioRange): string {
  return Number.isFinite(r.median) ? `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})` : '–';
}

function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–';
}

/** A markdown table per suite: percentiles, then each percentile as a ratio to each baseline. */
export function markdown(results: SuiteResult[], header: string): string {
  const out: string[] = [header, ''];
  for (const s of results) {
    out.push(`### ${s.suite}`, '', s.description + (s.simulator !== undefined ? ` Simulator on ${s.simulator}.` : ''), '');
    out.push(`| case | unit | n | ${COL_TITLES.join(' | ')} | ratio (${COL_TITLES.slice(0, 4).join(' / ')}${s.cases.some((c) => c.ratios !== undefined) ? '; median (min–max) over repeats' : ''}) |`);
    out.push(`|---|---|---|${COLS.map(() => '---:').join('|')}|---|`);
    const byName = new Map(s.cases.map((c) => [c.name, c]));
    for (const c of s.cases) {
      const ranged = (c.ratios ?? []).map((r) => `vs ${r.baseline}: ${[r.p50, r.p90, r.p99, r.p999].map(range).join(' / ')}`);
      const ratios = [...ranged, ...(c.baselines ?? [])
        .map((b) => {
          const base = byName.get(b);
          if (base === undefined) return undefined;
          return `${b}: ${COLS.slice(0, 4).map((k) => ratio(c.summary[k], base.summary[k])).join(' / ')}`;
        })
        .filter((x): x is string => x !== undefined)]
        .join('<br>');
      out.push(`| ${c.name} | ${c.unit} | ${c.summary.count} | ${COLS.map((k) => fmt(c.summary[k])).join(' | ')} | ${ratios || '—'} |`);
    }
    const extras = s.cases.filter((c) => c.extra !== undefined && Object.keys(c.extra).length > 0);
    if (extras.length > 0) {
      out.push('');
      for (const c of extras) {
        out.push(`- ${c.name}: ${Object.entries(c.extra!).map(([k, v]) => `${k} ${typeof v === 'number' ? fmt(v) : v}`).join(', ')}`);
      }
    }
    for (const n of s.notes ?? []) out.push('', `> ${n}`);
    out.push('');
  }
  return out.join('\n');
}

/** Value at `percentile` (0–100) of a summary, for cases without a full distribution. */
export function summaryPoints(c: CaseResult): Array<[number, number]> {
  if (c.distribution !== undefined) return c.distribution;
  const s = c.summary;
  return [
    [50, s.p50],
    [90, s.p90],
    [99, s.p99],
    [99.9, s.p999],
    [100, s.max],
  ];
}

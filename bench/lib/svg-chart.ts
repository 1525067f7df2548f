import type { CaseResult } from './types.js';
import { summaryPoints } from './report.js';

const W = 860;
const H = 420;
const M = { l: 70, r: 220, t: 40, b: 50 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** x position of a percentile on the usual HDR "number of nines" axis: 0, 90, 99, 99.9, … */
function nines(p: number): number {
  const q = Math.min(p, 99.9999);
  return -Math.log10(1 - q / 100);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A percentile-distribution chart (latency against percentile on a log "nines" axis, as
 * HdrHistogram's plotter draws it), one line per case, as a standalone SVG.
 */
export function percentileChart(title: string, cases: CaseResult[]): string {
  const series = cases.map((c) => ({ name: `${c.name} (${c.unit})`, pts: summaryPoints(c).filter(([, v]) => Number.isFinite(v) && v > 0) }));
  const xMax = Math.max(3, ...series.flatMap((s) => s.pts.map(([p]) => nines(p))));
  const values = series.flatMap((s) => s.pts.map(([, v]) => v));
  const yMin = Math.max(1e-3, Math.min(...values) / 1.5);
  const yMax = Math.max(...values) * 1.5;
  const lx = (p: number) => M.l + (nines(p) / xMax) * (W - M.l - M.r);
  const ly = (v: number) => M.t + (1 - (Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (H - M.t - M.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${M.l}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const p of [0, 90, 99, 99.9, 99.99, 99.999]) {
    if (nines(p) > xMax + 1e-9) continue;
    const x = lx(p);
    out.push(`<line x1="${x}" y1="${M.t}" x2="${x}" y2="${H - M.b}" stroke="#ddd"/>`);
    out.push(`<text x="${x}" y="${H - M.b + 16}" text-anchor="middle">${p}%</text>`);
  }
  for (let e = Math.floor(Math.log10(yMin)); e <= Math.ceil(Math.log10(yMax)); e++) {
    const v = 10 ** e;
    if (v < yMin || v > yMax) continue;
    const y = ly(v);
    out.push(`<line x1="${M.l}" y1="${y}" x2="${W - M.r}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${M.l - 6}" y="${y + 4}" text-anchor="end">${v >= 1 ? v.toFixed(0) : v}</text>`);
  }
  out.push(`<text x="${(M.l + W - M.r) / 2}" y="${H - 12}" text-anchor="middle">percentile</text>`);
  out.push(`<text transform="translate(16 ${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle">latency (log scale)</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    if (s.pts.length > 0) {
      const d = s.pts.map(([p, v], k) => `${k === 0 ? 'M' : 'L'}${lx(p).toFixed(1)},${ly(v).toFixed(1)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    const y = M.t + 10 + i * 18;
    out.push(`<rect x="${W - M.r + 12}" y="${y - 9}" width="12" height="12" fill="${color}"/>`);
    out.push(`<text x="${W - M.r + 30}" y="${y + 1}">${esc(s.name.length > 30 ? `${s.name.slice(0, 29)}…` : s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

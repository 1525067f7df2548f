import type { EngineMetricsSnapshot } from '../engine/metrics-snapshot.js';

export interface StatusInput {
  metrics: EngineMetricsSnapshot;
  positions: Record<string, number>;
  protection: Record<string, string>;
  quotesPerSec: number;
}

/** Below this many columns the compact layout is used. */
export const WIDE_COLUMNS = 100;

/**
 * One line: state, quotes/s, quote RTT p50/p99, positions, protection per product; at most
 * `columns - 1` characters (a character in the last column makes some terminals wrap, and a
 * wrapped line is what leaves a trail of status lines behind). Below WIDE_COLUMNS: instrument
 * names shortened, protection summarised as `ok` when every product is armed.
 */
export function statusLine(s: StatusInput, columns = Infinity): string {
  const m = s.metrics;
  const wide = columns >= WIDE_COLUMNS;
  const rtt = m.quoteRtt.count > 0 ? `${m.quoteRtt.p50.toFixed(0)}/${m.quoteRtt.p99.toFixed(0)}µs` : '–';
  const pos = Object.entries(s.positions)
    .map(([k, v]) => `${wide ? k.replace('-PERPETUAL', '-PERP') : shortName(k)} ${v >= 0 ? '+' : ''}${Number(v.toFixed(6))}`)
    .join(' ');
  const prot = Object.entries(s.protection);
  const protText = wide || prot.some(([, v]) => v !== 'armed') ? prot.filter(([, v]) => wide || v !== 'armed').map(([k, v]) => `${k}:${v}`).join(' ') : 'ok';
  const reconnects = m.reconnects > 0 ? `${wide ? '  reconnects' : ' rc'} ${m.reconnects}` : '';
  const line = wide
    ? `${m.state.padEnd(13)} ${s.quotesPerSec.toFixed(0).padStart(5)} q/s  rtt p50/p99 ${rtt}  pos ${pos || '–'}  prot ${protText || '–'}${reconnects}`
    : `${m.state.padEnd(12)} ${s.quotesPerSec.toFixed(0).padStart(4)} q/s rtt ${rtt} pos ${pos || '–'} prot ${protText || '–'}${reconnects}`;
  return fit(line, columns - 1);
}

/** `BTC-PERPETUAL` → `BTC`, `ETH-27MAR26` stays: the perpetual is what most quote. */
function shortName(name: string): string {
  return name.endsWith('-PERPETUAL') ? name.slice(0, -'-PERPETUAL'.length) : name;
}

/** Cut to `max` characters (code points), marking the cut with `…`. */
export function fit(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return max <= 0 ? '' : `${chars.slice(0, max - 1).join('')}…`;
}

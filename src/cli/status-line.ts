import type { EngineMetricsSnapshot } from '../engine/metrics-snapshot.js';

export interface StatusInput {
  metrics: EngineMetricsSnapshot;
  positions: Record<string, number>;
  protection: Record<string, string>;
  quotesPerSec: number;
}

/** Positions listed in full up to this many instruments. */
const SHOWN = 6;

/** One line: state, quotes/s, quote RTT p50/p99, positions, protection per product. */
export function statusLine(s: StatusInput): string {
  const m = s.metrics;
  // A chain of a hundred options: only the positions held, at most SHOWN of them.
  let entries = Object.entries(s.positions);
  let more = '';
  if (entries.length > SHOWN) {
    const held = entries.filter(([, v]) => v !== 0);
    more = held.length > SHOWN ? ` (+${held.length - SHOWN} more)` : held.length === 0 ? `flat on ${entries.length}` : '';
    entries = held.slice(0, SHOWN);
  }
  const pos = entries
    .map(([k, v]) => `${k.replace('-PERPETUAL', '-PERP')} ${v >= 0 ? '+' : ''}${Number(v.toFixed(6))}`)
    .join(' ') + more;
  const prot = Object.entries(s.protection)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  const rtt = m.quoteRtt.count > 0 ? `${m.quoteRtt.p50.toFixed(0)}/${m.quoteRtt.p99.toFixed(0)}µs` : '–';
  return `${m.state.padEnd(13)} ${s.quotesPerSec.toFixed(0).padStart(5)} q/s  rtt p50/p99 ${rtt}  pos ${pos || '–'}  prot ${prot || '–'}${m.reconnects > 0 ? `  reconnects ${m.reconnects}` : ''}`;
}

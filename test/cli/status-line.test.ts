import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { EngineMetricsSnapshot } from '../../src/engine/metrics-snapshot.js';
import { StatusDisplay } from '../../src/cli/status-display.js';
import { statusLine } from '../../src/cli/status-line.js';

function metrics(): EngineMetricsSnapshot {
  // The fields the status line reads; the rest of the snapshot does not matter to it.
  return { state: 'quoting', reconnects: 3, quoteRtt: { count: 10, p50: 1032, p90: 5000, p99: 46399, p999: 165000, max: 170000 } } as EngineMetricsSnapshot;
}

const busy = {
  metrics: metrics(),
  positions: { 'BTC-PERPETUAL': -0.001, 'ETH-PERPETUAL': 0.123456, 'BTC-27MAR26-100000-C': 1.5, 'ETH-27MAR26-3000-P': -2 },
  protection: { FBTCUSD: 'armed', FETHUSD: 'cooldown', OBTCUSD: 'armed', OETHUSD: 'armed' },
  quotesPerSec: 1234,
};

/** A terminal stand-in: a real Writable that says it is a TTY of `columns` columns. */
function tty(columns: number): { stream: NodeJS.WriteStream; text(): string } {
  let text = '';
  const w = new Writable({
    write(chunk: Buffer, _e, cb) {
      text += chunk.toString();
      cb();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(w, { isTTY: true, columns });
  return { stream: w, text: () => text };
}

describe('status line', () => {
  it('never reaches the last column, whatever the width (a wrapped line is what leaves a trail)', () => {
    for (const columns of [40, 60, 80, 99, 100, 120, 200]) {
      const line = statusLine(busy, columns);
      expect([...line].length, `${columns} columns`).toBeLessThanOrEqual(columns - 1);
    }
    expect([...statusLine(busy)].length).toBeGreaterThan(100); // not a TTY: nothing cut
  });

  it('below 100 columns: compact, short instrument names, protection summarised, the state first', () => {
    const all = { ...busy, positions: { 'BTC-PERPETUAL': -0.001, 'ETH-PERPETUAL': 0.05 }, protection: { FBTCUSD: 'armed', FETHUSD: 'armed' }, quotesPerSec: 9 };
    const narrow = statusLine(all, 80);
    expect(narrow).toBe('quoting         9 q/s rtt 1032/46399µs pos BTC -0.001 ETH +0.05 prot ok rc 3');
    expect(statusLine(busy, 80)).toMatch(/^quoting\s+1234 q\/s rtt 1032\/46399µs pos BTC -0\.001 ETH \+0\.123456 /);
    expect(statusLine(busy, 80)).toMatch(/…$/);
    const wide = statusLine(all, 160);
    expect(wide).toContain('pos BTC-PERP -0.001 ETH-PERP +0.05  prot FBTCUSD:armed FETHUSD:armed  reconnects 3');
    // A product not armed is named even in the compact layout.
    expect(statusLine({ ...all, protection: { FBTCUSD: 'armed', FETHUSD: 'cooldown' } }, 99)).toContain('prot FETHUSD:cooldown');
  });

  it('on a TTY a log line is printed above the status, which is redrawn; closing erases it; not a TTY: plain lines', () => {
    const t = tty(80);
    const d = new StatusDisplay(t.stream);
    expect(d.columns).toBe(80);
    d.status('quoting 1');
    d.print('[09:00:00] INFO: hello\n');
    d.status('quoting 2');
    d.close();
    d.print('stopped');
    expect(t.text()).toBe('\r\x1b[2Kquoting 1' + '\r\x1b[2K[09:00:00] INFO: hello\nquoting 1' + '\r\x1b[2Kquoting 2' + '\r\x1b[2K' + 'stopped\n');
    let plain = '';
    const pipe = new Writable({
      write(chunk: Buffer, _e, cb) {
        plain += chunk.toString();
        cb();
      },
    }) as unknown as NodeJS.WriteStream;
    const p = new StatusDisplay(pipe);
    expect(p.columns).toBe(Infinity);
    p.status('quoting 1');
    p.print('log');
    p.status('quoting 2');
    expect(plain).toBe('quoting 1\nlog\nquoting 2\n');
  });
});

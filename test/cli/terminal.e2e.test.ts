/**
 * `thalex-quoter start` in a real terminal: an 80×24 tmux pane (tmux is the terminal emulator,
 * the CLI sees a TTY). Skipped where tmux is not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/venue.js';

const MAIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const session = `thalex-quoter-test-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'terminal-'));

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['kill-session', '-t', session]);
});

describe.skipIf(!hasTmux)('the status line in an 80×24 terminal', () => {
  it('start: one status line however often it refreshes, fitted to 80 columns; the token stays on screen; Ctrl+C prints what it did and exits 0', async () => {
    const raw = join(dir, 'raw.txt');
    const exit = join(dir, 'exit.txt');
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24');
    // Every byte the program writes, to count the status refreshes (an event, not a sleep).
    tmux('pipe-pane', '-t', session, '-o', `cat >> ${raw}`);
    tmux('send-keys', '-t', session, `${process.execPath} ${MAIN} start; echo $? > ${exit}`, 'Enter');
    const refreshes = () => {
      try {
        return readFileSync(raw, 'latin1').split('\r\x1b[2Kquoting ').length - 1;
      } catch {
        return 0;
      }
    };
    await until(() => refreshes() >= 5, 'five status refreshes in state quoting', 30_000);
    const lines = screen().split('\n');
    const status = lines.filter((l) => /^quoting\s+\d+ q\/s/.test(l));
    expect(status).toHaveLength(1);
    expect([...status[0]!].length).toBeLessThan(80);
    expect(status[0]).toMatch(/pos BTC [+-][\d.]+ ETH [+-][\d.]+ prot (ok|\S+:\S+)/);
    expect(screen()).toMatch(/token printed once: \S+/);
    tmux('send-keys', '-t', session, 'C-c');
    await until(() => {
      try {
        return readFileSync(exit, 'utf8').trim() !== '';
      } catch {
        return false;
      }
    }, 'the CLI to exit', 20_000);
    expect(readFileSync(exit, 'utf8').trim()).toBe('0');
    const after = screen();
    expect(after).toMatch(/cancel_mass_quote sent; venue confirmed in [\d.]+ ms\nfinal positions: BTC-PERPETUAL [+-]?[\d.]+, ETH-PERPETUAL [+-]?[\d.]+\nstopped/);
    expect(after.split('\n').filter((l) => /^quoting\s+\d+ q\/s/.test(l)).length).toBeLessThanOrEqual(1);
  }, 60_000);
});

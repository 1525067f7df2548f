import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url);

/** The first ```js block after "## Using it as a library" in README.md. */
function libraryExample(): string {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const section = readme.slice(readme.indexOf('## Using it as a library'));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  if (m === null) throw new Error('README has no ```js block under "Using it as a library"');
  return m[1]!;
}

describe('the README library example', () => {
  it('runs as plain JavaScript ESM through the package exports (thalex-quoter, thalex-quoter/sim): quotes, stops, exits 0', async () => {
    // Evaluated from the package root, where `thalex-quoter` resolves to this package through its
    // own "exports" (self-reference), i.e. the same entry points an installed copy has.
    const child = spawn(process.execPath, ['--input-type=module', '-e', libraryExample()], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => child.kill('SIGKILL'), 25_000); // bounded: the example quotes for 3 s
      child.once('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    expect(code, err).toBe(0);
    expect(out).toContain('state quoting');
    expect(out).toContain('state halted kill switch');
    expect(out).toMatch(/state stopped\s*$/);
    const quotes = /(\d+) quotes, quote RTT p50 [\d.]+ µs/.exec(out);
    expect(quotes, out).not.toBeNull();
    expect(Number(quotes![1])).toBeGreaterThan(0);
  }, 30_000);
});

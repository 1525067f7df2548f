/**
 * "Every error carries a stable code, documented": the codes src/ uses are exactly the ones
 * docs/errors.md lists, and nothing outside the simulator throws or rejects a plain Error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const CODE = /'([A-Z]+_ERR_[A-Z0-9_]+)'/g;
const files = sources(SRC).map((p) => ({ path: relative(ROOT, p), text: readFileSync(p, 'utf8') }));
const documented = new Set([...readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8').matchAll(/^\| `([A-Z]+_ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));

describe('error codes', () => {
  it('every code in src/ is documented in docs/errors.md, and every documented code is used', () => {
    const used = new Set(files.flatMap((f) => [...f.text.matchAll(CODE)].map((m) => m[1]!)));
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((c) => !documented.has(c)).sort(), 'used but not documented').toEqual([]);
    expect([...documented].filter((c) => !used.has(c)).sort(), 'documented but not used').toEqual([]);
  });

  it('nothing outside src/sim/ throws or rejects an error without a code', () => {
    const plain = /new (Error|RangeError|TypeError|SyntaxError)\(|new QuoterError\(/;
    const offenders = files
      .filter((f) => !f.path.startsWith(join('src', 'sim')))
      .flatMap((f) => f.text.split('\n').map((line, i) => ({ where: `${f.path}:${i + 1}`, line })))
      .filter(({ line }) => plain.test(line))
      .map(({ where, line }) => `${where}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});

/**
 * vitest globalSetup: tests that start pricing workers, the CLI or the simulator as a child load
 * compiled files from dist/ (pricing/worker-file.ts), so a run after editing src/ must not test
 * the previous build. When any src/X.ts is newer than its dist/X.js (or that is missing), build
 * once before the first test file. `npm test` builds in pretest, so there this is one stat per
 * source file (a few milliseconds).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

export function staleSource(dir: string): string | undefined {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const s = staleSource(p);
      if (s !== undefined) return s;
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
      const out = join(ROOT, 'dist', relative(join(ROOT, 'src'), p)).replace(/\.ts$/, '.js');
      let built = 0;
      try {
        built = statSync(out).mtimeMs;
      } catch {
        /* not built */
      }
      if (statSync(p).mtimeMs > built) return relative(ROOT, p);
    }
  }
  return undefined;
}

export default function setup(): void {
  const stale = staleSource(join(ROOT, 'src'));
  if (stale === undefined) return;
  process.stdout.write(`dist/ is older than ${stale}: building (tsc -p tsconfig.json)\n`);
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
}

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QUOTER_NODE_FLAGS } from '../../src/cli/node-flags.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('the node flags of a production quoter', () => {
  it('npm start passes every one of them to node', () => {
    expect(pkg.scripts['start']).toBe(`node ${QUOTER_NODE_FLAGS.join(' ')} dist/cli/main.js start`);
  });

  it('this node line accepts them (node exits 9, "bad option", on a flag its V8 does not know)', () => {
    const r = spawnSync(process.execPath, [...QUOTER_NODE_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ok');
    expect(r.status).toBe(0);
  });
});

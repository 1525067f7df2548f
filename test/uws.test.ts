import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isNative, loadUws } from '../src/uws.js';

describe('uWebSockets.js loader', () => {
  it('loads the native binary on this machine', () => {
    const uws = loadUws();
    expect(isNative(uws)).toBe(true);
  });

  it('refuses the JS fallback with a clear, coded error', () => {
    // A child process, because the package caches its choice per process.
    const script = `
      import('./dist/uws.js').then((m) => {
        try { m.loadUws(); console.log('LOADED'); }
        catch (e) { console.log(e.code + ' ' + e.message); }
      });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url),
      env: { ...process.env, UWS_USE_FALLBACK: '1' },
      encoding: 'utf8',
    });
    expect(r.stdout).toContain('UWS_ERR_NOT_NATIVE');
    expect(r.stdout).toContain('Node 20 only');
  });

  it('tells the fallback apart from the native build', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const fallback = require('uWebSockets.js/dist/index.js') as { App: () => unknown };
    expect(isNative(fallback as never)).toBe(false);
  });
});

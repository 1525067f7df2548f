import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BTC_VISION, findNative, glibcVersion, isNative, OFFICIAL, TRUFFLESUITE } from '../../src/server/select.js';

const require = createRequire(import.meta.url);
const root = new URL('../..', import.meta.url);
const hide = new URL('../fixtures/hide-native-uws.cjs', import.meta.url).pathname;

/** Runs `body` (ESM, with startSimulator and startMonitor-free imports from dist) in a child; returns its output. */
function child(body: string, opts: { hideNative: boolean; env?: Record<string, string> }) {
  const script = `import { startSimulator } from './dist/sim/index.js';\n${body}`;
  const r = spawnSync(process.execPath, [...(opts.hideNative ? ['-r', hide] : []), '--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, THALEX_QUOTER_SERVER: '', ...opts.env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('server selection at start-up', () => {
  it('takes the fastest native build that loads on this machine and Node', () => {
    const abi = process.versions.modules;
    const glibc = glibcVersion();
    let officialInstalled = true;
    try {
      require.resolve(OFFICIAL);
    } catch {
      officialInstalled = false;
    }
    // Facts of the packages: @btc-vision has ABI 115/127/137/141 built against glibc 2.38;
    // @trufflesuite has ABI 115 (and older) for linux-x64 and runs on glibc 2.36.
    const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
    const expected = officialInstalled
      ? OFFICIAL
      : linuxX64 && ['115', '127', '137', '141'].includes(abi) && glibc !== undefined && glibc >= 2.38
        ? BTC_VISION
        : linuxX64 && abi === '115'
          ? TRUFFLESUITE
          : undefined;
    const found = findNative();
    expect(found.build?.package, found.skipped.join('; ')).toBe(expected);
    if (found.build !== undefined) expect(isNative(found.build.uws)).toBe(true);
  });

  it('tells a mirror\'s JS shim apart from a native build', () => {
    const shim = require(`${TRUFFLESUITE}/dist/index.js`) as { App: () => unknown };
    expect(isNative(shim as never)).toBe(false);
  });

  it('with no native build: the JS server, and one warning per process naming what would be faster', () => {
    const r = child(
      `const a = await startSimulator({ stepsPerSecond: 0 });
       const b = await startSimulator({ stepsPerSecond: 0 });
       console.log(JSON.stringify([a.server, b.server]));
       await a.stop(); await b.stop();`,
      { hideNative: true },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual([{ kind: 'js', package: 'ws' }, { kind: 'js', package: 'ws' }]);
    const lines = r.stderr.split('\n').filter((l) => l.includes('THALEX_QUOTER_JS_SERVER'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/slower than native uWebSockets\.js: .+(npm install|Node 20|glibc >= 2\.38)/);
    expect(r.stderr).not.toMatch(/Falling back/); // never the mirror's own shim
  });

  it('server: native refuses to run without one, with a coded error naming each package tried', () => {
    const r = child(
      `try { await startSimulator({ stepsPerSecond: 0, server: 'native' }); console.log('STARTED'); }
       catch (e) { console.log(e.code + ' ' + e.message); }`,
      { hideNative: true },
    );
    expect(r.stdout).toContain('UWS_ERR_NOT_NATIVE');
    for (const p of [OFFICIAL, BTC_VISION, TRUFFLESUITE]) expect(r.stdout).toContain(`${p}: not installed`);
    expect(r.stdout).not.toContain('STARTED');
  });

  it('THALEX_QUOTER_SERVER picks the server for the process; a bad value is a coded error', () => {
    const js = child(`const s = await startSimulator({ stepsPerSecond: 0 }); console.log(s.server.kind); await s.stop();`, { hideNative: false, env: { THALEX_QUOTER_SERVER: 'js' } });
    expect(js.stdout.trim()).toBe('js');
    expect(js.stderr).not.toContain('THALEX_QUOTER_JS_SERVER'); // asked for: no advice
    const bad = child(`try { await startSimulator({ stepsPerSecond: 0 }); } catch (e) { console.log(e.code); }`, { hideNative: false, env: { THALEX_QUOTER_SERVER: 'fast' } });
    expect(bad.stdout.trim()).toBe('SERVER_ERR_CHOICE');
  });
});

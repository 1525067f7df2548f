// Builds the simdjson decoder addon in native/ at `npm install` time.
// A failed build must not fail the install: the JS decoder takes over at run time and
// src/codec/ prints one clear warning when it does. Here we only report what happened.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');

if (!existsSync(join(nativeDir, 'binding.gyp'))) {
  process.exit(0);
}

const require = createRequire(import.meta.url);
let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  console.warn('[thalex-quoter] node-gyp not installed; skipping the native decoder (the JS decoder will be used).');
  process.exit(0);
}

// Build against the running Node's own headers when they are installed beside it (no download:
// npm passes npm_config_nodedir to install scripts, a direct run does not).
const args = [gyp, 'rebuild', '--release', '-j', 'max'];
const localHeaders = join(dirname(dirname(process.execPath)), 'include', 'node', 'node_api.h');
if (process.env.npm_config_nodedir === undefined && existsSync(localHeaders)) {
  args.push(`--nodedir=${dirname(dirname(process.execPath))}`);
}
const r = spawnSync(process.execPath, args, {
  cwd: nativeDir,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (r.status !== 0) {
  console.warn('[thalex-quoter] building the native simdjson decoder failed; the JS decoder will be used.');
}
process.exit(0);

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MonitorAssetError } from './errors.js';

export interface UplotAssets {
  js: Buffer;
  css: Buffer;
}

let cached: UplotAssets | undefined;

/**
 * uPlot is served from the installed package, not copied into the repo or into dist/: resolving
 * through the module system finds it wherever npm put it (hoisted or nested). Read once, kept in
 * memory (~50 KB), so a page load never touches the disk.
 */
export function loadUplotAssets(): UplotAssets {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  cached = { js: read(require, 'uplot/dist/uPlot.iife.min.js'), css: read(require, 'uplot/dist/uPlot.min.css') };
  return cached;
}

function read(require: NodeJS.Require, id: string): Buffer {
  try {
    return readFileSync(require.resolve(id));
  } catch (e) {
    throw new MonitorAssetError(id, { cause: e });
  }
}

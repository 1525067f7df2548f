import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NativeServerError } from './errors.js';
import type { Uws } from './uws-app.js';

/** The official package, when the user installed it under its own name; it throws when its binary does not load. */
export const OFFICIAL = 'uWebSockets.js';
/** Registry mirror of uWS 20.57 for ABI 115/127/137/141 (Node 20/22/24/25); its binaries need glibc 2.38. */
export const BTC_VISION = '@btc-vision/uwebsockets.js';
/** Registry mirror of uWS 20.30 for ABI ≤ 115 (Node ≤ 20); falls back to a slow JS shim instead of throwing. */
export const TRUFFLESUITE = '@trufflesuite/uws-js-unofficial';
const BTC_VISION_ABIS = ['115', '127', '137', '141'];
const BTC_VISION_GLIBC = 2.38;

export interface NativeBuild {
  uws: Uws;
  package: string;
}

export interface NativeSearch {
  build: NativeBuild | undefined;
  /** Why each package was passed over, in the order tried. */
  skipped: string[];
}

let cached: NativeSearch | undefined;

/**
 * Finds the first native uWebSockets.js build that loads here, once per process: the official
 * one, then the mirrors. A mirror's JS shim is never taken (it would make every latency figure a
 * lie), and the truffle mirror is not even required when it has no binary for this ABI, so its
 * "falling back" warning is never printed.
 */
export function findNative(): NativeSearch {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const skipped: string[] = [];
  const abi = process.versions.modules;
  const binary = `uws_${process.platform}_${process.arch}_${abi}.node`;
  const tryLoad = (pkg: string, precheck?: (main: string) => string | undefined): NativeBuild | undefined => {
    let main: string;
    try {
      main = require.resolve(pkg);
    } catch {
      skipped.push(`${pkg}: not installed`);
      return undefined;
    }
    const reason = precheck?.(main);
    if (reason !== undefined) {
      skipped.push(`${pkg}: ${reason}`);
      return undefined;
    }
    try {
      const uws = require(pkg) as Uws;
      if (isNative(uws)) return { uws, package: pkg };
      skipped.push(`${pkg}: loaded its JavaScript fallback, not a binary`);
    } catch (e) {
      skipped.push(`${pkg}: ${firstLine(e)}`);
    }
    return undefined;
  };
  const build =
    tryLoad(OFFICIAL) ??
    tryLoad(BTC_VISION, () => (BTC_VISION_ABIS.includes(abi) ? undefined : `no binary for ABI ${abi}`)) ??
    tryLoad(TRUFFLESUITE, (main) => (existsSync(join(dirname(main), '..', 'binaries', binary)) ? undefined : `no binary for ABI ${abi}`));
  cached = { build, skipped };
  return cached;
}

/** The native App is a C++ function; a shim's App is JS source. */
export function isNative(uws: Pick<Uws, 'App'>): boolean {
  return typeof uws.App === 'function' && Function.prototype.toString.call(uws.App).includes('[native code]');
}

/** The native build, or NativeServerError saying why none loads. */
export function requireNative(): NativeBuild {
  const { build, skipped } = findNative();
  if (build === undefined) throw new NativeServerError(`${skipped.join('; ')}. ${howToGetNative()}`);
  return build;
}

/** glibc version of this process (e.g. 2.36), or undefined (musl, macOS, Windows). */
export function glibcVersion(): number | undefined {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const v = header?.glibcVersionRuntime;
  return v === undefined ? undefined : Number.parseFloat(v);
}

/** One sentence: which native build would serve on this machine, and how to get it. */
export function howToGetNative(): string {
  const abi = process.versions.modules;
  const node = process.versions.node;
  const glibc = glibcVersion();
  if (BTC_VISION_ABIS.includes(abi) && glibc !== undefined && glibc < BTC_VISION_GLIBC) {
    // The official release binaries are built alike, so installing them would not help here.
    return (
      `${BTC_VISION} has a build for Node ${node} but it needs glibc >= ${BTC_VISION_GLIBC} (this system has ${glibc}): ` +
      (abi === '115' ? `reinstall ${TRUFFLESUITE} (npm install), which runs natively on Node 20 here` : `run on Node 20 here (${TRUFFLESUITE} runs natively on it)`) +
      `, or on a system with glibc >= ${BTC_VISION_GLIBC} (e.g. Debian 13, Ubuntu 24.04)`
    );
  }
  if (BTC_VISION_ABIS.includes(abi)) return `${BTC_VISION} should load here: reinstall it (npm install), or install the official build as "${OFFICIAL}"`;
  return `no registry build covers Node ${node} (ABI ${abi}): install the official build as "${OFFICIAL}" (npm install uNetworking/uWebSockets.js#<release tag for your Node>)`;
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n').find((l) => l.trim() !== '') ?? m;
}

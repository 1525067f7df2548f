import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import chromium from '@sparticuz/chromium';

/** A Chromium to launch headless: its path, the flags it needs, and puppeteer's headless mode for it. */
export interface ChromiumBinary {
  path: string;
  args: string[];
  headless: true | 'shell';
}

/**
 * Nothing that phones home (the test machine may have no network, and refused connections are
 * noise), and a fixed locale: the shell derives navigator.language from LANG, and a POSIX one
 * (en-US@posix) is not a tag Intl accepts.
 */
const COMMON_FLAGS = ['--lang=en-US', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `CHROMIUM_PATH` when set (e.g. /usr/bin/chromium); otherwise the headless shell that the
 * @sparticuz/chromium dev dependency ships inside its npm package (brotli files, no download), so
 * `npm install && npm test` needs nothing installed by hand.
 */
export async function findChromium(): Promise<ChromiumBinary> {
  const own = process.env['CHROMIUM_PATH'];
  if (own !== undefined && own !== '') {
    if (!existsSync(own)) throw new Error(`CHROMIUM_PATH=${own} does not exist`);
    return { path: own, args: ['--headless', '--no-sandbox', '--disable-gpu', ...COMMON_FLAGS], headless: true };
  }
  const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules/@sparticuz/chromium/package.json'), 'utf8')) as { version: string };
  const dir = join(ROOT, 'node_modules/.cache', `sparticuz-chromium-${version}`);
  if (!existsSync(join(dir, 'chromium'))) await extract(dir);
  // Not the package's own chromium.args: those draw through SwiftShader GL (made for Lambda), which
  // cost ~14 s of CPU and 4.4 s per view() here against ~1 s and 0.1 s with the GPU off. One
  // process: the renderer then also gets --lang.
  return { path: join(dir, 'chromium'), args: ['--no-sandbox', '--no-zygote', '--single-process', '--disable-gpu', ...COMMON_FLAGS], headless: 'shell' };
}

/**
 * The package extracts into os.tmpdir() (shared with anything else on the machine, and racy
 * between two test files starting at once): point it at a private staging folder instead, then
 * rename that into place, which only one of two racing processes wins.
 */
async function extract(dir: string): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(`${dir}.tmp-`);
  const saved = process.env['TMPDIR'];
  process.env['TMPDIR'] = staging; // os.tmpdir() reads it on every call
  try {
    await chromium.executablePath();
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
  }
  try {
    await rename(staging, dir);
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(join(dir, 'chromium'))) throw e;
  }
}

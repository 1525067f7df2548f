import { fileURLToPath } from 'node:url';

/**
 * Path of a sibling JS module for piscina, which needs a JavaScript file. `metaUrl` is the caller's
 * `import.meta.url`: when it ends in `.ts` we are running from TypeScript sources (vitest), so the
 * compiled file is taken from dist/ (`npm test` builds it first, and test/global-setup.ts rebuilds it
 * when src/ is newer): the last `/src/` becomes `/dist/`.
 */
export function siblingJsFile(metaUrl: string, relativeJs: string): string {
  const path = fileURLToPath(new URL(relativeJs, metaUrl));
  if (!metaUrl.endsWith('.ts')) return path;
  const at = path.lastIndexOf('/src/');
  const mapped = at === -1 ? path : `${path.slice(0, at)}/dist/${path.slice(at + 5)}`;
  return mapped.endsWith('.ts') ? `${mapped.slice(0, -3)}.js` : mapped;
}

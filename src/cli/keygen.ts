import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './errors.js';
import { parseFlags } from './flags.js';

export interface KeygenResult {
  privateKeyPath: string;
  publicKeyPath: string;
}

/**
 * Writes an RSA key pair: the private key as PKCS#8 PEM readable by the owner only (0600), the
 * public key as SPKI PEM. The public key is what Thalex (or the simulator's `--key`) registers;
 * the private key signs the RS512 login token. 2048 bits is what Thalex's key page generates;
 * more is allowed. A missing parent folder is created readable by the owner only (0700).
 * Never overwrites: an existing file of either name is `CLI_ERR_KEY_EXISTS` and nothing is written.
 */
export function generateKeyFiles(basePath: string, modulusLength = 2048): KeygenResult {
  const privateKeyPath = `${basePath}.pem`;
  const publicKeyPath = `${basePath}.pub.pem`;
  // Both checked before either is written, so a refusal leaves no half pair behind.
  for (const p of [privateKeyPath, publicKeyPath]) {
    if (existsSync(p)) throw new CliError('CLI_ERR_KEY_EXISTS', `${p} exists; keygen never overwrites a key: pick another path or remove it yourself`);
  }
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  mkdirSync(dirname(resolve(privateKeyPath)), { recursive: true, mode: 0o700 });
  try {
    // 'wx' as well: a file that appeared since the check is still not overwritten.
    writeFileSync(privateKeyPath, privateKey, { mode: 0o600, flag: 'wx' });
    writeFileSync(publicKeyPath, publicKey, { mode: 0o644, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError('CLI_ERR_KEY_EXISTS', `${(e as NodeJS.ErrnoException).path ?? basePath} exists; keygen never overwrites a key`);
    throw new CliError('CLI_ERR_KEY_FILE', `cannot write ${privateKeyPath}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return { privateKeyPath, publicKeyPath };
}

/** The root of the git work tree holding `path`, if any: a key there is one `git add .` from being published. */
export function gitWorkTreeOf(path: string): string | undefined {
  let dir = dirname(resolve(path));
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** `thalex-quoter keygen <path> [--bits n]`. */
export function keygenCommand(args: string[]): number {
  const { positionals, values } = parseFlags({ args, allowPositionals: true, options: { bits: { type: 'string' } } });
  const base = positionals[0];
  if (base === undefined) throw new CliError('CLI_ERR_USAGE', 'keygen needs a path, best outside any repository: thalex-quoter keygen ~/.thalex/thalex-key');
  const bits = values.bits === undefined ? 2048 : Number(values.bits);
  if (!Number.isInteger(bits) || bits < 2048) throw new CliError('CLI_ERR_USAGE', '--bits must be an integer ≥ 2048');
  const r = generateKeyFiles(base, bits);
  process.stdout.write(`private key: ${r.privateKeyPath} (0600, keep it secret)\npublic key:  ${r.publicKeyPath} (register it with Thalex or pass it to the simulator)\n`);
  const repo = gitWorkTreeOf(r.privateKeyPath);
  if (repo !== undefined) {
    process.stdout.write(`note: the private key is inside the git work tree ${repo}; keep keys outside any repository (e.g. ~/.thalex/) so that no commit can carry them\n`);
  }
  return 0;
}

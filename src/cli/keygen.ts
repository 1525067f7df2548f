import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
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
 * more is allowed.
 */
export function generateKeyFiles(basePath: string, modulusLength = 2048): KeygenResult {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const privateKeyPath = `${basePath}.pem`;
  const publicKeyPath = `${basePath}.pub.pem`;
  // 'wx': never overwrite an existing key by accident.
  writeFileSync(privateKeyPath, privateKey, { mode: 0o600, flag: 'wx' });
  writeFileSync(publicKeyPath, publicKey, { mode: 0o644, flag: 'wx' });
  return { privateKeyPath, publicKeyPath };
}

/** `thalex-quoter keygen <path> [--bits n]`. */
export function keygenCommand(args: string[]): number {
  const { positionals, values } = parseFlags({ args, allowPositionals: true, options: { bits: { type: 'string' } } });
  const base = positionals[0];
  if (base === undefined) throw new CliError('CLI_ERR_USAGE', 'keygen needs a path: thalex-quoter keygen ./thalex-key');
  const bits = values.bits === undefined ? 2048 : Number(values.bits);
  if (!Number.isInteger(bits) || bits < 2048) throw new CliError('CLI_ERR_USAGE', '--bits must be an integer ≥ 2048');
  const r = generateKeyFiles(base, bits);
  process.stdout.write(`private key: ${r.privateKeyPath} (keep it secret)\npublic key:  ${r.publicKeyPath} (register it with Thalex or pass it to the simulator)\n`);
  return 0;
}

import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';

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

import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SignJWT } from 'jose';
import { ProtocolError } from './errors.js';

/**
 * The `public/login` token: a JWT with header `{"alg":"RS512","typ":"JWT","kid":<API key id>}`
 * and payload `{"iat":<unix seconds>}`, nothing else, signed RSASSA-PKCS1-v1_5/SHA-512
 * (thalex_rust_sdk `auth_utils.rs::make_auth_token`, go-thalex `auth.GenerateToken`). A fresh
 * token per login.
 *
 * Keys are parsed with `node:crypto` `createPrivateKey`, which reads both PKCS#1
 * (`BEGIN RSA PRIVATE KEY`, what Thalex's key download and many tools produce) and PKCS#8
 * (`BEGIN PRIVATE KEY`); jose's `importPKCS8` would take PKCS#8 only. jose signs with the
 * resulting KeyObject directly.
 *
 * No error raised here ever quotes the file's content: messages name the file and the reason,
 * and the parser's own error (which could echo input) is not attached as `cause`.
 */

/** jose refuses RSA keys below this for RS* algorithms; we refuse them at load time instead. */
const MIN_RSA_BITS = 2048;

/** Parse a PEM RSA private key (PKCS#1 or PKCS#8). `source` names it in errors (never the PEM). */
export function parsePrivateKey(pem: string, source: string): KeyObject {
  if (!pem.includes('-----BEGIN ')) {
    throw new ProtocolError('PROTO_ERR_BAD_KEY', `${source} is not a PEM file (no "-----BEGIN" line)`);
  }
  if (/-----BEGIN (ENCRYPTED PRIVATE KEY|[A-Z ]*PUBLIC KEY|CERTIFICATE)-----/.test(pem) || pem.includes('Proc-Type: 4,ENCRYPTED')) {
    throw new ProtocolError(
      'PROTO_ERR_BAD_KEY',
      `${source} does not hold an unencrypted private key (public key, certificate or encrypted key)`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new ProtocolError('PROTO_ERR_BAD_KEY', `${source} is not a readable PEM private key (${typeof code === 'string' ? code : 'parse error'})`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ProtocolError('PROTO_ERR_BAD_KEY', `${source} holds a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; RS512 needs an RSA key`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new ProtocolError('PROTO_ERR_BAD_KEY', `${source} holds a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`);
  }
  return key;
}

/** Read and parse the API private key at `pemPath`. */
export async function loadPrivateKey(pemPath: string): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readFile(pemPath, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${String(code ?? 'error')})`;
    throw new ProtocolError('PROTO_ERR_KEY_UNREADABLE', `private key file ${pemPath} ${reason}`);
  }
  return parsePrivateKey(pem, `private key file ${pemPath}`);
}

/**
 * A signed login token for API key `kid`. `nowSeconds` defaults to the wall clock; fractions are
 * dropped, so `iat` is always an integer (as the Rust and Go SDKs send).
 */
export async function makeLoginToken(key: KeyObject, kid: string, nowSeconds: number = Date.now() / 1000): Promise<string> {
  if (typeof kid !== 'string' || kid.length === 0) {
    throw new ProtocolError('PROTO_ERR_BAD_LOGIN', 'kid (API key id) must be a non-empty string', 'kid');
  }
  if (typeof nowSeconds !== 'number' || !Number.isFinite(nowSeconds) || nowSeconds < 0) {
    throw new ProtocolError('PROTO_ERR_BAD_LOGIN', `iat must be finite unix seconds ≥ 0, got ${String(nowSeconds)}`, 'iat');
  }
  return new SignJWT({ iat: Math.floor(nowSeconds) }).setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid }).sign(key);
}

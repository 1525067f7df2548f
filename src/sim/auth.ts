import { createPublicKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';

export interface RegisteredKey {
  keyId: string;
  /** SPKI or PKCS#1 public key PEM. */
  publicKeyPem: string;
  /** Account the key logs into. */
  account: string;
}

/**
 * Verifies `public/login` tokens as Thalex does (thalex-protocol.md §2): an RS512 JWT whose
 * header `kid` names a registered key and whose payload `iat` (integer or float seconds: the
 * official Python client sends `time.time()`) lies within ±`windowSec` of now.
 */
export class Authenticator {
  readonly #keys = new Map<string, { key: KeyObject; account: string }>();
  readonly #windowSec: number;

  constructor(keys: readonly RegisteredKey[], windowSec: number) {
    for (const k of keys) this.#keys.set(k.keyId, { key: createPublicKey(k.publicKeyPem), account: k.account });
    this.#windowSec = windowSec;
  }

  addKey(k: RegisteredKey): void {
    this.#keys.set(k.keyId, { key: createPublicKey(k.publicKeyPem), account: k.account });
  }

  /** The account number, or an error message. */
  async verify(token: unknown, nowSec: number): Promise<{ account: string } | { error: string }> {
    if (typeof token !== 'string') return { error: 'token must be a string' };
    let kid: string | undefined;
    try {
      const h = decodeProtectedHeader(token);
      if (h.alg !== 'RS512') return { error: 'token must be signed with RS512' };
      kid = typeof h.kid === 'string' ? h.kid : undefined;
    } catch {
      return { error: 'token is not a JWT' };
    }
    const entry = kid === undefined ? undefined : this.#keys.get(kid);
    if (entry === undefined) return { error: 'unknown key id' };
    try {
      const { payload } = await jwtVerify(token, entry.key, { algorithms: ['RS512'] });
      const iat = payload.iat;
      if (typeof iat !== 'number' || !Number.isFinite(iat)) return { error: 'token has no iat' };
      if (Math.abs(nowSec - iat) > this.#windowSec) return { error: 'token iat outside the accepted window' };
      return { account: entry.account };
    } catch {
      return { error: 'bad token signature' };
    }
  }
}

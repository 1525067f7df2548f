import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { MonitorConfigError } from './errors.js';

/** 32 random bytes: far beyond guessing, and URL/header safe as base64url. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A configured token must be long enough not to be guessed over the network, and header-safe. */
export function validateToken(token: string): string {
  if (token.length < 16) throw new MonitorConfigError('monitor token must be at least 16 characters');
  if (!/^[\x21-\x7e]+$/.test(token)) throw new MonitorConfigError('monitor token must be printable ASCII without spaces');
  return token;
}

/**
 * Checks an `Authorization` header against the expected token in constant time. Both sides are
 * hashed first so that `timingSafeEqual` sees equal lengths and the comparison leaks neither the
 * token's content nor its length.
 */
export function bearerMatches(header: string, expectedDigest: Buffer): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  const given = digest(m?.[1] ?? '');
  // Always compare, even on a malformed header, so that shape does not change the timing.
  return timingSafeEqual(given, expectedDigest) && m !== null;
}

export function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

import { QuoterError } from '../errors.js';
import { ThalexErrorCode } from '../protocol/error-codes.js';
import { ProtocolError, VenueError } from '../protocol/errors.js';
import { InternalError } from './errors.js';

/** What the engine reports: a QuoterError as is, anything else wrapped with `ENGINE_ERR_INTERNAL`. */
export function asQuoterError(e: unknown): QuoterError {
  if (e instanceof QuoterError) return e;
  return new InternalError(e instanceof Error ? e.message : String(e), { cause: e });
}

/** Venue codes that refuse `set_mm_protection`'s parameters themselves: the same request never passes. */
const PROTECTION_PARAM_ERRORS: ReadonlySet<number> = new Set([ThalexErrorCode.InvalidRequest, ThalexErrorCode.UnknownProduct, ThalexErrorCode.InvalidProtGroup]);

/**
 * Errors that retrying cannot fix: a refused login, an instrument the venue does not list, a
 * protection setting the venue refuses as invalid, a request the engine refuses to build.
 */
export function isFatal(e: QuoterError): boolean {
  if (e.code !== 'ENGINE_ERR_BOOTSTRAP') return false;
  const step = (e as QuoterError & { step?: string }).step;
  const cause = (e as Error & { cause?: unknown }).cause;
  // A request the engine refused to build (protocol/builders.ts) would be refused again.
  if (cause instanceof ProtocolError) return true;
  // Only the venue's own answer is final: a disconnect or a timeout during these steps is not.
  if (step === 'instruments') return cause === undefined || (cause instanceof QuoterError && cause.code === 'PROTO_ERR_VENUE');
  if (step === 'mm_protection') return cause instanceof VenueError && PROTECTION_PARAM_ERRORS.has(cause.venueCode);
  return step === 'login' && cause instanceof QuoterError && cause.code === 'PROTO_ERR_VENUE';
}

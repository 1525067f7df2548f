/**
 * Base of every error this package raises. Each area (`ws/`, `rpc/`, `protocol/`, …) defines
 * its own subclasses in its own `errors.ts`; callers branch on the stable `code`, never on the
 * message text.
 */
export class QuoterError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

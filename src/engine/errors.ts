import { QuoterError } from '../errors.js';

export interface ConfigIssue {
  /** Dotted path of the offending field, e.g. `quoting.maxInFlight`. */
  path: string;
  message: string;
}

/** The configuration is unusable; nothing was sent. One issue per bad field. */
export class ConfigError extends QuoterError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super('CONFIG_ERR_INVALID', issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('\n'));
    this.issues = issues;
  }
}

/** The engine was used out of order (e.g. `start()` twice) or after `stop()`. */
export class EngineStateError extends QuoterError {
  constructor(message: string) {
    super('ENGINE_ERR_STATE', message);
  }
}

/**
 * The venue sent something the engine cannot use: a ticker it cannot decode
 * (`ENGINE_ERR_BAD_TICKER`, reported at most once a second with the count) or an account
 * notification of the wrong shape (`ENGINE_ERR_MALFORMED_NOTIFICATION`), or a notification on a
 * channel it never subscribed to (`ENGINE_ERR_UNEXPECTED_CHANNEL`). Nothing is acted on.
 */
export class VenueDataError extends QuoterError {
  constructor(code: 'ENGINE_ERR_BAD_TICKER' | 'ENGINE_ERR_MALFORMED_NOTIFICATION' | 'ENGINE_ERR_UNEXPECTED_CHANNEL', message: string) {
    super(code, message);
  }
}

/**
 * A quote or cancel got no reply within its deadline; the engine drops the connection so that
 * cancel-on-disconnect pulls whatever the venue holds.
 */
export class ReplyTimeoutError extends QuoterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENGINE_ERR_REPLY_TIMEOUT', message, options);
  }
}

/** A bootstrap step was refused by the venue or timed out; the engine will retry. */
export class BootstrapError extends QuoterError {
  readonly step: string;

  constructor(step: string, message: string, options?: { cause?: unknown }) {
    super('ENGINE_ERR_BOOTSTRAP', `bootstrap step ${step} failed: ${message}`, options);
    this.step = step;
  }
}

/**
 * `cancelAll()` could not be confirmed: not connected, no room to track it, the connection went
 * before the reply, the venue refused it, or no reply within the deadline. What the venue holds is
 * then unknown; callers fall back on cancel-on-disconnect.
 */
export class CancelAllError extends QuoterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENGINE_ERR_CANCEL_ALL', message, options);
  }
}

/** A constructor was handed arguments it cannot work with (a backoff or send budget out of range). */
export class EngineArgumentError extends QuoterError {
  constructor(message: string) {
    super('ENGINE_ERR_ARGUMENT', message);
  }
}

/**
 * The order or portfolio snapshot of a new connection did not arrive in time; the bootstrap step
 * `snapshots` fails with this as its cause, and the engine retries.
 */
export class SnapshotTimeoutError extends QuoterError {
  constructor(message: string) {
    super('ENGINE_ERR_SNAPSHOT_TIMEOUT', message);
  }
}

/**
 * Something that is not a QuoterError escaped an engine step (a bug, or a library's own throw);
 * wrapped so that `engineError` listeners and `StopReport.problem` still get a code. The original
 * is the `cause`.
 */
export class InternalError extends QuoterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENGINE_ERR_INTERNAL', message, options);
  }
}

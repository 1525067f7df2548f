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

/** A bootstrap step was refused by the venue or timed out; the engine will retry. */
export class BootstrapError extends QuoterError {
  readonly step: string;

  constructor(step: string, message: string, options?: { cause?: unknown }) {
    super('ENGINE_ERR_BOOTSTRAP', `bootstrap step ${step} failed: ${message}`, options);
    this.step = step;
  }
}

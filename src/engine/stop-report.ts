import type { QuoterError } from '../errors.js';

/** What `stop()` did, for a caller that reports it (the CLI prints it at Ctrl+C). */
export interface StopReport {
  /** The engine reached `quoting` (or `halted`) at least once: quotes may have been live. */
  everQuoted: boolean;
  /** A `cancel_mass_quote` was written on a live session. */
  cancelSent: boolean;
  /** Milliseconds from sending the cancel to the venue's confirmation; null when not confirmed. */
  confirmedMs: number | null;
  /** Why the cancel was not sent or not confirmed, when it was not. */
  problem?: QuoterError;
}

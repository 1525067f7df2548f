import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';

/** A connection's reaction state: when its oldest unanswered ticker went out (ms, 0 = none). */
export interface ReactionSlot {
  reactArmedAt: number;
}

/**
 * Reaction as the venue sees it, for any client alike: a ticker handed to the kernel → that
 * connection's next `private/mass_quote` received. It needs no clock in the client, so it is
 * the figure clients are compared on (issue 14). The first unanswered ticker arms the slot and
 * later ones do not move it: a client that skips a ticker is charged for the wait.
 *
 * Off unless asked for (`SimulatorOptions.measureReaction`): each armed publish costs one
 * `performance.now()` per connection.
 */
export class ReactionMeter {
  readonly #h = hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, autoResize: false });

  /** After a cork that sent this connection at least one ticker returned (uWS wrote it then). */
  published(slot: ReactionSlot): void {
    if (slot.reactArmedAt === 0) slot.reactArmedAt = performance.now();
  }

  /** A mass_quote arrived at `rxMs` (performance.now() when its message callback began). */
  quoted(slot: ReactionSlot, rxMs: number): void {
    const armed = slot.reactArmedAt;
    if (armed === 0) return;
    slot.reactArmedAt = 0;
    this.#h.recordValue(Math.max(1, Math.round((rxMs - armed) * 1e6)));
  }

  /** Discards what was recorded (end of a warm-up). */
  reset(): void {
    this.#h.reset();
  }

  /** The histogram, in nanoseconds. */
  get histogram(): hdr.Histogram {
    return this.#h;
  }
}

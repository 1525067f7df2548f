import type { FillEvent, ProtectionEvent } from '../engine/events.js';
import type { MonitorSource } from './source.js';

/** Protection states a product enters when the venue's protection fired. */
const TRIP_STATES = new Set(['cooling', 'disarmed']);

/**
 * Counts fills and protection trips from engine events. The listeners only bump integers in
 * maps: they run on the engine's emit path, so they must stay trivial.
 */
export class EventCounts {
  readonly fillsByInstrument = new Map<string, number>();
  readonly tripsByProduct = new Map<string, number>();
  fills = 0;
  trips = 0;
  readonly #source: MonitorSource;
  readonly #onFill = (f: FillEvent): void => {
    this.fills++;
    this.fillsByInstrument.set(f.instrument, (this.fillsByInstrument.get(f.instrument) ?? 0) + 1);
  };
  readonly #onProtection = (p: ProtectionEvent): void => {
    if (!TRIP_STATES.has(p.state)) return;
    this.trips++;
    this.tripsByProduct.set(p.product, (this.tripsByProduct.get(p.product) ?? 0) + 1);
  };

  constructor(source: MonitorSource) {
    this.#source = source;
    source.on('fill', this.#onFill);
    source.on('protection', this.#onProtection);
  }

  detach(): void {
    this.#source.off('fill', this.#onFill);
    this.#source.off('protection', this.#onProtection);
  }
}

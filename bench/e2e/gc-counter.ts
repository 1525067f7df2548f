import { PerformanceObserver, constants } from 'node:perf_hooks';

/** Counts this thread's young- and old-generation collections while running. */
export class GcCounter {
  young = 0;
  old = 0;
  readonly #obs: PerformanceObserver;

  constructor() {
    this.#obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MINOR) this.young++;
        else this.old++;
      }
    });
    this.#obs.observe({ entryTypes: ['gc'] });
  }

  stop(): void {
    this.#obs.disconnect();
  }
}

import { PerformanceObserver, constants } from 'node:perf_hooks';

/**
 * Counts this thread's collections while running: young (scavenges), old (every other entry:
 * mark-compact, incremental marking steps, weak callbacks) and, among the old, mark-compacts
 * (NODE_PERFORMANCE_GC_MAJOR: the full collections that stop the thread for milliseconds).
 */
export class GcCounter {
  young = 0;
  old = 0;
  markCompacts = 0;
  readonly #obs: PerformanceObserver;

  constructor() {
    this.#obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MINOR) this.young++;
        else {
          this.old++;
          if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.markCompacts++;
        }
      }
    });
    this.#obs.observe({ entryTypes: ['gc'] });
  }

  stop(): void {
    this.#obs.disconnect();
  }
}

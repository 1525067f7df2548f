/**
 * Fault injection for tests: what the next replies do, whether logins pass, whether the feed
 * runs. The server asks it once per reply; connection-level faults live on the handle.
 */
export class Faults {
  rejectLogins = false;
  feedPaused = false;
  #drop = new Map<string, number>();
  #throttle = new Map<string, number>();

  /** Answer the next `count` requests of `method` with code 4 (ThrottleExceeded), whatever the rate. */
  throttleNext(method: string, count: number): void {
    this.#throttle.set(method, count);
  }

  /** True when this request must be refused as throttled (and counts it). */
  throttled(method: string): boolean {
    const n = this.#throttle.get(method) ?? 0;
    if (n <= 0) return false;
    this.#throttle.set(method, n - 1);
    return true;
  }
  #delay = new Map<string, number>();
  #close = new Map<string, { count: number; code: number | undefined; when: 'before' | 'after' }>();

  /**
   * The next `count` requests of `method` kill their connection instead of being answered:
   * `when` 'after' (default) executes the request first (it took effect, the reply is lost),
   * 'before' drops it unexecuted. `code`: a close frame with it; undefined: abrupt (1006).
   */
  closeOn(method: string, options: { count?: number; code?: number; when?: 'before' | 'after' } = {}): void {
    this.#close.set(method, { count: options.count ?? 1, code: options.code, when: options.when ?? 'after' });
  }

  /** When a `method` request must close its connection: how, and counts it. */
  closing(method: string): { code: number | undefined; when: 'before' | 'after' } | undefined {
    const c = this.#close.get(method);
    if (c === undefined || c.count <= 0) return undefined;
    c.count--;
    return c;
  }

  /** Drop the next `count` replies to `method` ('*' = any). */
  dropReplies(method: string, count = Number.POSITIVE_INFINITY): void {
    this.#drop.set(method, count);
  }

  /** Delay replies to `method` ('*' = any) by `ms`; 0 removes the delay. */
  delayReplies(method: string, ms: number): void {
    if (ms > 0) this.#delay.set(method, ms);
    else this.#delay.delete(method);
  }

  clear(): void {
    this.#drop.clear();
    this.#delay.clear();
    this.#throttle.clear();
    this.#close.clear();
    this.rejectLogins = false;
    this.feedPaused = false;
  }

  /** 'drop', a delay in ms, or undefined for a normal reply. */
  onReply(method: string): 'drop' | number | undefined {
    for (const key of [method, '*']) {
      const n = this.#drop.get(key);
      if (n !== undefined && n > 0) {
        this.#drop.set(key, n - 1);
        return 'drop';
      }
    }
    return this.#delay.get(method) ?? this.#delay.get('*');
  }
}

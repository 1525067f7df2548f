/**
 * Busy-poll mode, for a quoter that owns its cores (`quoting.busyPoll`, off by default): while
 * quoting, an immediate callback re-arms itself on every event-loop turn, so libuv's poll phase
 * never blocks (epoll_wait with a zero timeout) and a ticker is read without paying a wake-up of
 * the thread. It costs a whole core while quoting; on a machine where the venue or anything else
 * shares that core it makes reactions slower, not faster (bench: engine-inline-busypoll), which
 * is why it is off by default. Each turn allocates one Immediate (young generation).
 */
export class BusyPoll {
  #running = false;
  #armed = false;
  readonly #turn = (): void => {
    this.#armed = false;
    if (this.#running) this.#arm();
  };

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#arm();
  }

  stop(): void {
    this.#running = false;
  }

  get running(): boolean {
    return this.#running;
  }

  #arm(): void {
    if (this.#armed) return;
    this.#armed = true;
    setImmediate(this.#turn);
  }
}

import { nsHistogram } from '../lib/hist.js';
import { summarize } from './tcp-floor.js';
import type { ClientResult } from './client-protocol.js';

/** The histograms and counts a hand-written bench client keeps (the engine keeps its own). */
export class ClientLatencies {
  readonly rtt = nsHistogram();
  readonly t2w = nsHistogram();
  readonly t2r = nsHistogram();
  quotes = 0;
  ticks = 0;

  reset(): void {
    this.rtt.reset();
    this.t2w.reset();
    this.t2r.reset();
  }

  snapshot(): Pick<ClientResult, 'quoteRtt' | 'tickToWire' | 'tickToReply' | 'quotes' | 'ticks'> {
    return { quoteRtt: summarize(this.rtt).summary, tickToWire: summarize(this.t2w).summary, tickToReply: summarize(this.t2r).summary, quotes: this.quotes, ticks: this.ticks };
  }
}

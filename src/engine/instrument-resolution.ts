/**
 * Resolving `config.instruments` against the venue: `public/instruments`, and `public/index` of
 * every underlying a selector names (for moneyness bands, and as the venue's clock: expiry filters
 * must use the venue's time, not this machine's). Cold path: bootstrap and the periodic refresh.
 */
import type { RpcSession } from '../rpc/session.js';
import { resolveInstrumentEntries, underlyingsNeedingIndex, type InstrumentEntry } from './instrument-selector.js';

export interface Resolution {
  readonly names: string[];
  /** `public/instruments` as the venue answered it. */
  readonly all: Array<Record<string, unknown>>;
  /** Options a selector limits to an |delta| band (applied per ticker by the planner). */
  readonly deltaBands: Map<string, readonly [number, number]>;
}

export async function resolveWithVenue(rpc: RpcSession, entries: readonly InstrumentEntry[]): Promise<Resolution> {
  const all = await rpc.call<Array<Record<string, unknown>>>('public/instruments', {});
  const index = new Map<string, number>();
  let venueNow = Date.now() / 1000;
  for (const u of underlyingsNeedingIndex(entries)) {
    const r = await rpc.call<{ price?: unknown; timestamp?: unknown }>('public/index', { underlying: u });
    if (typeof r?.price === 'number') index.set(u, r.price);
    if (typeof r?.timestamp === 'number') venueNow = r.timestamp;
  }
  const deltaBands = new Map<string, readonly [number, number]>();
  return { names: resolveInstrumentEntries(entries, all, (u) => index.get(u), venueNow, deltaBands), all, deltaBands };
}

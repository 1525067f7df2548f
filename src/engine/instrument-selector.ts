/**
 * Instrument selectors: besides names, `instruments` in the config may hold selectors that are
 * resolved against `public/instruments` at every bootstrap (so a reconnect picks up new expiries
 * and drops expired ones). A selector keeps the venue's instruments that pass every filter it
 * sets; the resolved list keeps config order, each selector's matches sorted by expiry, type,
 * strike, call before put, and no name twice.
 */
import { z } from 'zod';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be YYYY-MM-DD' });

export const instrumentSelectorSchema = z
  .strictObject({
    /** Spec Instrument `underlying`, e.g. `BTCUSD`. */
    underlying: z.string().min(1),
    /** Spec Instrument `type`s to keep. Default: options only. */
    types: z.array(z.enum(['option', 'future', 'perpetual'])).min(1).default(['option']),
    /** The nearest N expiries (of the instruments left by the other filters), or a date range (inclusive). */
    expiries: z
      .union([z.strictObject({ next: z.number().int().min(1).max(100) }), z.strictObject({ from: date.optional(), to: date.optional() })])
      .optional(),
    /**
     * Options only: keep strikes with lo ≤ strike / index ≤ hi, the index being the underlying's
     * (`public/index`) at resolution time. `[0.8, 1.2]` is ±20 % moneyness.
     */
    moneyness: z
      .tuple([z.number().positive(), z.number().positive()])
      .refine(([lo, hi]) => lo <= hi, { message: 'must be [low, high] with low ≤ high' })
      .optional(),
    /**
     * Options only: quote only while lo ≤ |delta| ≤ hi, delta being the ticker's (spec Ticker:
     * "Delta calculated at time of marking"). Applied per ticker, not at resolution: the options
     * the other filters select are all subscribed, and one whose delta leaves the band is pulled
     * until it comes back (no `public/ticker` polling, which the spec asks not to do, and the band
     * follows the market). `[0.1, 0.9]` drops the far wings and the deep in-the-money.
     */
    delta: z
      .tuple([z.number().min(0).max(1), z.number().min(0).max(1)])
      .refine(([lo, hi]) => lo <= hi, { message: 'must be [low, high] with low ≤ high' })
      .optional(),
    /** Options only: calls, puts, or both (default). */
    optionTypes: z.array(z.enum(['call', 'put'])).min(1).default(['call', 'put']),
    /** Leave out instruments expiring within this many seconds (nothing left to quote). Default 1 hour. */
    minSecondsToExpiry: z.number().int().min(0).default(3600),
  });

export type InstrumentSelector = z.output<typeof instrumentSelectorSchema>;
export type InstrumentSelectorInput = z.input<typeof instrumentSelectorSchema>;
/** An entry of `instruments`: a name, or a selector. */
export type InstrumentEntry = string | InstrumentSelector;

/** The venue's instrument fields a selector reads (spec `schemas.Instrument`). */
export interface VenueInstrument {
  instrument_name?: unknown;
  underlying?: unknown;
  type?: unknown;
  option_type?: unknown;
  expiration_timestamp?: unknown;
  expiry_date?: unknown;
  strike_price?: unknown;
}

/** The underlyings the selectors name: their index is looked up (moneyness, and the venue's clock). */
export function underlyingsNeedingIndex(entries: readonly InstrumentEntry[]): string[] {
  const out = new Set<string>();
  for (const e of entries) if (typeof e !== 'string') out.add(e.underlying);
  return [...out];
}

/** The names one selector picks out of `all` (see the file comment for order). */
export function selectInstruments(sel: InstrumentSelector, all: readonly VenueInstrument[], index: number | undefined, nowSec: number): string[] {
  const types = new Set<string>(sel.types);
  const kinds = new Set<string>(sel.optionTypes);
  let picked = all.filter((i) => {
    if (typeof i.instrument_name !== 'string' || i.underlying !== sel.underlying || !types.has(String(i.type))) return false;
    const exp = i.expiration_timestamp;
    if (typeof exp === 'number' && exp - nowSec < sel.minSecondsToExpiry) return false;
    if (i.type !== 'option') return true;
    if (!kinds.has(String(i.option_type))) return false;
    if (sel.moneyness !== undefined) {
      const k = i.strike_price;
      if (!(typeof k === 'number' && index !== undefined && index > 0)) return false;
      const m = k / index;
      // 1e-9: a strike exactly on the band edge (76 000 / 95 000 = 0.8) stays in.
      if (m < sel.moneyness[0] - 1e-9 || m > sel.moneyness[1] + 1e-9) return false;
    }
    return true;
  });
  const expiryOf = (i: VenueInstrument): number => (typeof i.expiration_timestamp === 'number' ? i.expiration_timestamp : Number.POSITIVE_INFINITY);
  if (sel.expiries !== undefined) {
    const e = sel.expiries;
    if ('next' in e) {
      const dated = [...new Set(picked.map(expiryOf).filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
      const keep = new Set(dated.slice(0, e.next));
      picked = picked.filter((i) => keep.has(expiryOf(i)));
    } else {
      picked = picked.filter((i) => {
        const d = typeof i.expiry_date === 'string' ? i.expiry_date : undefined;
        if (d === undefined) return false;
        return (e.from === undefined || d >= e.from) && (e.to === undefined || d <= e.to);
      });
    }
  }
  const typeRank = (i: VenueInstrument): number => (i.type === 'perpetual' ? 0 : i.type === 'future' ? 1 : 2);
  picked.sort(
    (a, b) =>
      expiryOf(a) - expiryOf(b) ||
      typeRank(a) - typeRank(b) ||
      Number(a.strike_price ?? 0) - Number(b.strike_price ?? 0) ||
      (a.option_type === b.option_type ? 0 : a.option_type === 'call' ? -1 : 1),
  );
  return picked.map((i) => i.instrument_name as string);
}

/**
 * Resolves the config's entries to names: a name stays as written (the bootstrap checks that the
 * venue lists it), a selector is expanded. `indexOf` gives the index of an underlying (only asked
 * for those with a moneyness band).
 */
export function resolveInstrumentEntries(
  entries: readonly InstrumentEntry[],
  all: readonly VenueInstrument[],
  indexOf: (underlying: string) => number | undefined,
  nowSec: number,
  deltaBands?: Map<string, readonly [number, number]>,
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const optionNames = new Set(all.filter((i) => i.type === 'option').map((i) => i.instrument_name));
  for (const e of entries) {
    const names = typeof e === 'string' ? [e] : selectInstruments(e, all, e.moneyness !== undefined ? indexOf(e.underlying) : undefined, nowSec);
    for (const n of names) {
      if (seen.has(n)) continue;
      seen.add(n);
      out.push(n);
      // The first entry that names an instrument decides its band (a plain name: none).
      if (typeof e !== 'string' && e.delta !== undefined && optionNames.has(n)) deltaBands?.set(n, e.delta);
    }
  }
  return out;
}

/** A short description of the entries, for logs and the CLI banner. */
export function describeInstrumentEntries(entries: readonly InstrumentEntry[]): string {
  return entries
    .map((e) => {
      if (typeof e === 'string') return e;
      const parts = [e.underlying, e.types.join('/')];
      if (e.expiries !== undefined) parts.push('next' in e.expiries ? `next ${e.expiries.next} expiries` : `expiries ${e.expiries.from ?? '…'}–${e.expiries.to ?? '…'}`);
      if (e.moneyness !== undefined) parts.push(`strike/index ${e.moneyness[0]}–${e.moneyness[1]}`);
      if (e.delta !== undefined) parts.push(`|delta| ${e.delta[0]}–${e.delta[1]}`);
      if (e.optionTypes.length === 1) parts.push(`${e.optionTypes[0]}s`);
      return `{${parts.join(', ')}}`;
    })
    .join(', ');
}

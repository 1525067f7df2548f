import { QuoteEncoder } from '../../src/codec/mass-quote-encoder.js';
import { QuoteBatch } from '../../src/codec/quote-batch.js';
import { parseEngineConfig } from '../../src/engine/config.js';
import { defaultInstruments } from '../../src/sim/instruments.js';
import { SimSession, Venue } from '../../src/sim/venue.js';

/**
 * Real frames for the in-process benches, made by the code that makes them in a run rather than
 * typed in by hand, so their size and shape follow the engine and the simulator as they change:
 * the engine's mass_quote request (its encoder, default quoting options, one level a side as the
 * default pricer quotes) and the `session.orders` notification the simulator sends before each
 * reply to a requote (inserts and `replaced` deletions).
 */
export const INSTRUMENT = 'BTC-PERPETUAL';
/** Amount per level: the e2e engine's pricing `size`. */
const SIZE = 0.1;

/** A venue with one session whose order updates go to `onOrders` (untouched, as the venue makes them). */
export function simVenue(onOrders: (updates: unknown[]) => void): { venue: Venue; session: SimSession; ref: number } {
  const venue = new Venue({ seed: 1, instruments: defaultInstruments(), takerProbability: 0, takerMaxLots: 1, now: () => 1_700_000_000 });
  const noop = () => {};
  const session = new SimSession(1, 'A1', { orders: onOrders, trades: noop, portfolio: noop, protection: noop });
  venue.addSession(session);
  venue.setProtection(session, 'FBTCUSD', 100, 100);
  return { venue, session, ref: Math.round(venue.market(INSTRUMENT)!.ref) };
}

/**
 * `count` distinct engine mass_quote requests (bid ref − 10 − j, ask ref + 10 + j, j < count), as
 * the engine encodes them, each in its own ArrayBuffer as uWebSockets.js hands a message over.
 */
export function engineRequests(ref: number, count: number): ArrayBuffer[] {
  const inst = defaultInstruments().find((i) => i.instrument_name === INSTRUMENT)!;
  const quoting = parseEngineConfig({ url: 'ws://x:1/ws/api/v2', credentials: { keyId: 'k', privateKeyPem: 'x' }, instruments: [INSTRUMENT] }).quoting;
  const enc = new QuoteEncoder([{ name: INSTRUMENT, tickSize: inst.tick_size, volumeTickSize: inst.volume_tick_size }], quoting);
  const batch = new QuoteBatch();
  const p = new Float64Array(1);
  const a = new Float64Array([SIZE]);
  const buf = Buffer.alloc(4096);
  const out: ArrayBuffer[] = [];
  for (let j = 0; j < count; j++) {
    batch.clear();
    const e = batch.add(0);
    p[0] = ref - 10 - j;
    batch.setSide(e, 0, p, a, 1);
    p[0] = ref + 10 + j;
    batch.setSide(e, 1, p, a, 1);
    const end = enc.encode(buf, 0, 1_000 + j, batch);
    const ab = new ArrayBuffer(end);
    new Uint8Array(ab).set(buf.subarray(0, end));
    out.push(ab);
  }
  return out;
}

/** A `session.orders` notification's text, as the simulator's server makes it (SimServer.notify). */
export function ordersNotification(updates: unknown[]): string {
  return JSON.stringify({ channel_name: 'session.orders', notification: updates });
}

/** The `session.orders` frame the simulator sends for a requote of the engine's request (bytes). */
export function requoteOrdersFrame(): Buffer {
  let last = '';
  const { venue, session, ref } = simVenue((u) => (last = ordersNotification(u)));
  for (const ab of engineRequests(ref, 2)) {
    const req = JSON.parse(Buffer.from(ab).toString('utf8')) as { params: Record<string, unknown> };
    venue.massQuote(session, req.params);
  }
  return Buffer.from(last);
}

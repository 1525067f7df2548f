/**
 * The fault suite's rig: a simulator, an engine, and the promises every fault test checks.
 *
 * - No quote without cancel-on-disconnect: the venue's `massQuote` is watched (a spy that lets
 *   every call through) and any quote that reaches it from a session without COD armed is a
 *   violation.
 * - No request lost: `engine.metrics().requests` must balance, and nothing is left in flight
 *   once the fault is over.
 * - State agrees with the venue after recovery: positions, protection groups, live quotes.
 * - Every error the engine reports carries a stable code.
 */
import { expect } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { EngineConfigInput } from '../../src/engine/config.js';
import type { QuoterError } from '../../src/errors.js';
import type { SimulatorHandle, SimulatorOptions } from '../../src/sim/index.js';
import { DEFAULT_ACCOUNT } from '../../src/sim/index.js';
import { actUntil, engineConfig, simulator, until } from '../helpers/venue.js';

export interface Rig {
  readonly sim: SimulatorHandle;
  readonly engine: Engine;
  /** Every `engineError`, in order. */
  readonly errors: QuoterError[];
  /** Quotes the venue received from a session without cancel-on-disconnect. */
  readonly violations: string[];
  /** Engine state changes, `state` or `state:detail`. */
  readonly states: string[];
}

const rigs: Rig[] = [];

/** A simulator (manual steps unless told) and an engine on it, watched. Not started. */
export async function rig(simOptions: SimulatorOptions = {}, config: Partial<EngineConfigInput> = {}): Promise<Rig> {
  const sim = await simulator({ stepsPerSecond: 0, ...simOptions });
  const violations: string[] = [];
  const venue = sim.venue;
  const massQuote = venue.massQuote.bind(venue);
  venue.massQuote = (s, params) => {
    if (!s.cancelOnDisconnect) violations.push(`session ${s.id} quoted without cancel-on-disconnect`);
    return massQuote(s, params);
  };
  const engine = new Engine(engineConfig(sim, config));
  const errors: QuoterError[] = [];
  const states: string[] = [];
  engine.on('engineError', (e) => errors.push(e));
  engine.on('state', (s) => states.push(s.detail === undefined ? s.state : `${s.state}:${s.detail}`));
  const r = { sim, engine, errors, violations, states };
  rigs.push(r);
  return r;
}

/** Stops every rig made since the last call (afterEach). */
export async function teardown(): Promise<void> {
  for (const r of rigs.splice(0)) {
    await r.engine.stop();
    await r.sim.stop();
  }
}

/** Steps the market every `ms` until `cond` holds (bounded by the clock, not a step count). */
export function stepUntil(r: Rig, cond: () => boolean, what: string, { ms = 20, timeoutMs = 10_000 } = {}): Promise<void> {
  return actUntil(cond, () => r.sim.step(), what, timeoutMs, ms);
}


/** Live quotes of the engine's current session at the venue. */
export function venueQuotes(r: Rig) {
  return r.sim.venue.liveQuotes(DEFAULT_ACCOUNT);
}

/** What disagrees between the engine and the venue right now ([] when they agree). */
export function disagreements(r: Rig): string[] {
  const { sim, engine } = r;
  const out: string[] = [];
  const m = engine.metrics();
  const q = m.requests;
  if (q.registered !== q.answered + q.timedOut + q.disconnected + q.withdrawn + q.inFlight) out.push(`requests do not balance: ${JSON.stringify(q)}`);
  if (q.inFlight !== 0) out.push(`${q.inFlight} requests still in flight`);
  if (engine.state !== 'quoting') out.push(`engine ${engine.state}`);
  for (const [name, pos] of Object.entries(engine.positions())) {
    const v = sim.venue.position(DEFAULT_ACCOUNT, name);
    if (Math.abs(pos - v) > 1e-9) out.push(`position ${name}: engine ${pos}, venue ${v}`);
  }
  const sessions = sim.venue.sessions().filter((s) => !s.ended);
  if (sessions.length !== 1) out.push(`${sessions.length} live sessions at the venue`);
  const session = sessions[0];
  for (const [product, state] of Object.entries(engine.protectionStates())) {
    const venueArmed = session?.protection.has(product) ?? false;
    if ((state === 'armed') !== venueArmed) out.push(`protection ${product}: engine ${state}, venue ${venueArmed ? 'armed' : 'not armed'}`);
  }
  const live = venueQuotes(r);
  if (live.some((x) => x.session !== session?.id)) out.push('quotes live from an old session');
  for (const b of engine.book()) {
    for (const side of ['bid', 'ask'] as const) {
      const ours = side === 'bid' ? b.ourBid : b.ourAsk;
      const theirs = live.filter((x) => x.instrument === b.instrument && x.side === side).map((x) => x.price);
      // The engine keeps the pricer's double; the wire carries it at tick precision.
      const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
      if ((ours === null) !== (theirs.length === 0) || (ours !== null && !theirs.some((t) => same(t, ours)))) {
        out.push(`${b.instrument} ${side}: engine ${ours}, venue [${theirs.join(',')}]`);
      }
    }
  }
  return out;
}

/**
 * After the fault: the engine quotes again, and engine and venue agree on everything (steps the
 * market so that quotes exist). Then the promises that hold whatever happened.
 */
export async function expectRecovered(r: Rig, { quotes = true } = {}): Promise<void> {
  let last: string[] = [];
  await stepUntil(
    r,
    () => {
      last = disagreements(r);
      return last.length === 0 && (!quotes || venueQuotes(r).length > 0);
    },
    'engine and venue to agree',
    { ms: 25, timeoutMs: 10_000 },
  ).catch((e: Error) => {
    throw new Error(`${e.message}: ${last.join('; ') || 'no quotes live'}`);
  });
  expectPromisesKept(r);
}

/** The invariants that hold at any moment. */
export function expectPromisesKept(r: Rig): void {
  expect(r.violations).toEqual([]);
  for (const e of r.errors) expect(e.code, e.message).toMatch(/^[A-Z]+_ERR_[A-Z0-9_]+$/);
  const q = r.engine.metrics().requests;
  expect(q.registered).toBe(q.answered + q.timedOut + q.disconnected + q.withdrawn + q.inFlight);
}

export function codes(r: Rig): string[] {
  return r.errors.map((e) => e.code);
}

export { until };

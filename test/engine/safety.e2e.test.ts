import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { QuoteErrorEvent } from '../../src/engine/events.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { actUntil, engineConfig, simulator, until } from '../helpers/venue.js';

const open: Array<{ engine: Engine; sim: SimulatorHandle }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.engine.stop();
    await o.sim.stop();
  }
});

const live = (sim: SimulatorHandle) => sim.venue.liveQuotes();

/** Steps the market every `ms` until `cond` holds (bounded by the clock: 10 s). */
function stepUntil(sim: SimulatorHandle, cond: () => boolean, what: string, ms = 10): Promise<void> {
  return actUntil(cond, () => sim.step(), what, 10_000, ms);
}

/** The one session of the account the venue still runs. */
const session = (sim: SimulatorHandle) => sim.venue.sessions().filter((s) => !s.ended)[0];

describe('trading safety against the simulator', () => {
  it('at the position limit only the reducing side is quoted', async () => {
    const sim = await simulator({ stepsPerSecond: 0, takerProbability: 1, takerMaxLots: 5 });
    const engine = new Engine(
      engineConfig(sim, {
        instruments: ['BTC-PERPETUAL'],
        pricing: { mode: 'inline', params: { spreadTicks: 2, size: 0.005 } },
        risk: { maxPosition: 0.005, maxProductPosition: 1 },
      }),
    );
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    // Fill until the position reaches the limit on one side.
    await stepUntil(sim, () => Math.abs(engine.positions()['BTC-PERPETUAL']!) >= 0.005 - 1e-9, 'the position at the limit', 5);
    const pos = engine.positions()['BTC-PERPETUAL']!;
    expect(Math.abs(pos)).toBeGreaterThanOrEqual(0.005 - 1e-9);
    sim.step();
    const reducing = pos > 0 ? 'ask' : 'bid';
    await until(() => live(sim).length > 0 && live(sim).every((q) => q.side === reducing), `only ${reducing}s live`);
    expect(Math.abs(sim.venue.position('A000000001', 'BTC-PERPETUAL'))).toBeLessThanOrEqual(0.005 + 1e-9);
  });

  it('a wild pricer output is caught by the price band before anything is sent', async () => {
    const sim = await simulator({ stepsPerSecond: 0 });
    const engine = new Engine(
      engineConfig(sim, {
        instruments: ['BTC-PERPETUAL'],
        pricing: { mode: 'inline', pricerModule: new URL('../fixtures/pricers/wild.mjs', import.meta.url).href, params: { '0': 0 } },
        risk: { priceBand: 0.05 },
      }),
    );
    engine.on('engineError', () => {});
    const errors: number[] = [];
    engine.on('quoteError', (e) => errors.push(e.code));
    open.push({ engine, sim });
    await engine.start();
    sim.step();
    await until(() => live(sim).length === 2, 'sane quotes');
    const calls = sim.calls('private/mass_quote');
    engine.setPricingParams({ '0': 1 }); // ten times the mid
    sim.step();
    await until(() => live(sim).length === 0, 'the instrument pulled');
    expect(engine.metrics().riskPulls['price outside band']).toBeGreaterThan(0);
    // The pull went out as `[]` sides; no wild price ever reached the venue.
    expect(sim.calls('private/mass_quote')).toBe(calls + 1);
    expect(errors).toEqual([]);
  });

  it('the open-exposure limit caps the sum of everything quoted, across instruments and sides', async () => {
    const sim = await simulator({ stepsPerSecond: 0 });
    const engine = new Engine(engineConfig(sim, { pricing: { mode: 'inline', params: { spreadBps: 10, size: 0.05 } }, risk: { maxOpenExposure: 0.15 } }));
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    for (let k = 0; k < 5; k++) {
      const t = engine.metrics().ticks;
      sim.step();
      await until(() => engine.metrics().ticks >= t + 2, 'the step read');
    }
    await until(() => new Set(live(sim).map((q) => q.instrument)).size === 2, 'both instruments quoted');
    const total = live(sim).reduce((s, q) => s + q.amount, 0);
    expect(total).toBeGreaterThan(0.1);
    expect(total).toBeLessThanOrEqual(0.15 + 1e-9);
  });

  it('a stale feed pulls the quotes, fresh ticks bring them back', async () => {
    const sim = await simulator({ stepsPerSecond: 0 });
    const engine = new Engine(engineConfig(sim, { instruments: ['BTC-PERPETUAL'], risk: { staleMs: 200 } }));
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    sim.step();
    await until(() => live(sim).length === 2, 'quotes');
    // No ticker for longer than staleMs: the housekeeping pass pulls them.
    await until(() => live(sim).length === 0, 'stale quotes pulled', 5_000);
    expect(engine.metrics().riskPulls['stale market data']).toBeGreaterThan(0);
    sim.step();
    await until(() => live(sim).length === 2, 'quotes back on fresh data');
  });

  it('a partly filled side is still pulled: the unfilled remainder goes with the price-band pull', async () => {
    const sim = await simulator({ stepsPerSecond: 0, takerProbability: 1, takerMaxLots: 5 });
    const engine = new Engine(
      engineConfig(sim, {
        instruments: ['BTC-PERPETUAL'],
        // Once a fill moves the position, the skew throws the pricer's prices ~10 % off the mark:
        // the next tick is a price-band pull, arriving right after the order update of the fill.
        pricing: { mode: 'inline', params: { spreadTicks: 2, size: 0.01, skew: 1e7 } },
        risk: { staleMs: 60_000 },
      }),
    );
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    sim.step();
    await until(() => live(sim).length === 2, 'quotes');
    // A taker of at most 5 lots meets our 10-lot levels: a partial fill, one side.
    await stepUntil(sim, () => sim.venue.fills.length > 0, 'a fill', 20);
    expect(sim.venue.fills[0]!.amount).toBeLessThan(0.01);
    await until(() => (engine.metrics().riskPulls['price outside band'] ?? 0) > 0, 'the band pull');
    await until(() => live(sim).length === 0, 'the remainder of the partly filled level pulled too');
  });

  it('the open-exposure limit holds when every instrument is quoted in one batch (after a reconnect)', async () => {
    const sim = await simulator({ stepsPerSecond: 0, takerProbability: 0 });
    const engine = new Engine(engineConfig(sim, { pricing: { mode: 'inline', params: { spreadBps: 10, size: 0.05 } }, risk: { maxOpenExposure: 0.15, staleMs: 60_000 } }));
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    sim.step();
    await until(() => new Set(live(sim).map((q) => q.instrument)).size === 2, 'both instruments quoted');
    const first = live(sim)[0]!.session;
    // The new session quotes both instruments from the candidates it has, in one mass quote.
    sim.dropConnections();
    await until(() => engine.reconnects === 1 && engine.state === 'quoting', 'reconnected');
    await until(() => new Set(live(sim).filter((q) => q.session !== first).map((q) => q.instrument)).size === 2, 'both quoted again');
    const total = live(sim).reduce((s, q) => s + q.amount, 0);
    expect(total).toBeGreaterThan(0.1);
    expect(total).toBeLessThanOrEqual(0.15 + 1e-9);
  });

  it('the product position limit counts the bids and asks open on the product\'s other instruments', async () => {
    const sim = await simulator({ stepsPerSecond: 0, takerProbability: 0 });
    const options = ['BTC-27MAR26-90000-C', 'BTC-27MAR26-100000-C']; // both OBTCUSD
    const engine = new Engine(
      engineConfig(sim, {
        instruments: options,
        // The spread pricer: these are options, which would otherwise get the options pricer.
        pricing: { mode: 'inline', pricer: 'spread', params: { spreadBps: 10, size: 0.02 } },
        risk: { maxPosition: 1, maxProductPosition: 0.03, staleMs: 60_000 },
      }),
    );
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    const sum = (side: 'bid' | 'ask', sessionId?: number) => live(sim).filter((q) => q.side === side && (sessionId === undefined || q.session === sessionId)).reduce((s, q) => s + q.amount, 0);
    const check = () => {
      // Were every bid (or every ask) of the product filled, the product would stay within 0.03.
      expect(sum('bid')).toBeLessThanOrEqual(0.03 + 1e-9);
      expect(sum('ask')).toBeLessThanOrEqual(0.03 + 1e-9);
    };
    // One instrument per tick (each planned against what the other has open) …
    sim.step();
    await until(() => new Set(live(sim).map((q) => q.instrument)).size === 2, 'both options quoted');
    check();
    expect(sum('bid')).toBeGreaterThan(0.02);
    // … and both in one batch after a reconnect (each planned against the other's planned levels).
    const first = live(sim)[0]!.session;
    sim.dropConnections();
    await until(() => engine.reconnects === 1 && engine.state === 'quoting', 'reconnected');
    await until(() => new Set(live(sim).filter((q) => q.session !== first).map((q) => q.instrument)).size === 2, 'both quoted again');
    check();
  });

  it('per-side errors: recorded and counted per side, the side held back after three in a row, the count reset by a success and by a reconnect', async () => {
    const sim = await simulator({ stepsPerSecond: 0, takerProbability: 0 });
    const engine = new Engine(
      engineConfig(sim, {
        instruments: ['BTC-PERPETUAL'],
        pricing: { mode: 'inline', pricerModule: new URL('../fixtures/pricers/sized.mjs', import.meta.url).href, params: { '0': 0.02, '1': 0.01 } },
        risk: { staleMs: 60_000 },
      }),
    );
    engine.on('engineError', () => {});
    const quoteErrors: QuoteErrorEvent[] = [];
    engine.on('quoteError', (e) => quoteErrors.push(e));
    open.push({ engine, sim });
    // The venue refuses the next `failBids` mass quotes that carry BTC bid levels with code 44:
    // for those calls its protection group is smaller than the 0.02 bid (the 0.01 ask still fits).
    const venue = sim.venue;
    const massQuote = venue.massQuote.bind(venue);
    const hasLevels = (side: unknown) => side !== undefined && !(Array.isArray(side) && side.length === 0);
    let failBids = 0;
    let bidCalls = 0;
    let acceptedBidCalls = 0;
    let askCalls = 0;
    venue.massQuote = (s, params) => {
      const q = (params['quotes'] as Array<{ i?: string; b?: unknown; a?: unknown }>).find((x) => x.i === 'BTC-PERPETUAL');
      if (q !== undefined && hasLevels(q.a)) askCalls++;
      if (q === undefined || !hasLevels(q.b)) return massQuote(s, params);
      bidCalls++;
      const group = s.protection.get('FBTCUSD');
      if (failBids > 0 && group !== undefined) {
        failBids--;
        const saved = group.quoteAmount;
        group.quoteAmount = 0.015;
        try {
          return massQuote(s, params);
        } finally {
          group.quoteAmount = saved;
        }
      }
      acceptedBidCalls++;
      return massQuote(s, params);
    };
    const bids = () => live(sim).filter((x) => x.side === 'bid');
    const asks = () => live(sim).filter((x) => x.side === 'ask');
    const errors44 = () => engine.metrics().sideErrors['44'] ?? 0;
    await engine.start();
    await stepUntil(sim, () => bids().length === 1 && asks().length === 1, 'two-sided quotes');

    // Twice: two refusals, then the bid is accepted. The success restarts the count, so the second
    // round's refusals are one and two again, not three and four (which would hold the bid back).
    for (const round of [1, 2]) {
      failBids = 2;
      const accepted = acceptedBidCalls;
      await stepUntil(sim, () => failBids === 0 && acceptedBidCalls > accepted, `round ${round}: two refusals, then the bid accepted`);
      await until(() => errors44() === 2 * round, `${2 * round} code-44 side errors counted`);
      await until(() => bids().length === 1 && asks().length === 1, 'both sides live');
    }

    // Every bid refused from now on: after three in a row (more if requests were in flight) the
    // bid is held back and pulled (the venue kept the old bid when it refused the new one; the
    // engine removes it), while the ask keeps being quoted.
    failBids = Number.POSITIVE_INFINITY;
    await stepUntil(sim, () => errors44() >= 7 && bids().length === 0, 'the bid held back and pulled at the venue');
    const heldBidCalls = bidCalls;
    const heldAskCalls = askCalls;
    await stepUntil(sim, () => askCalls >= heldAskCalls + 3, 'three more ask requotes');
    expect(bidCalls).toBe(heldBidCalls); // not retried on every tick
    expect(bids()).toEqual([]);
    expect(asks()).toHaveLength(1);
    expect(quoteErrors).toHaveLength(errors44());
    for (const e of quoteErrors) expect(e).toMatchObject({ instrument: 'BTC-PERPETUAL', side: 'bid', code: 44 });
    const errorsHeld = errors44();

    // A new session starts with a clean slate: the bid is quoted again.
    failBids = 0;
    sim.dropConnections();
    await until(() => engine.reconnects === 1 && engine.state === 'quoting', 'reconnected');
    const s2 = session(sim)!.id;
    await stepUntil(sim, () => bids().some((x) => x.session === s2), 'the bid quoted again after the reconnect');
    expect(errors44()).toBe(errorsHeld);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { parseEngineConfig } from '../../src/engine/config.js';
import { instrumentSelectorSchema, resolveInstrumentEntries, selectInstruments } from '../../src/engine/instrument-selector.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { optionChainInstruments, weeklyExpiries } from '../../src/sim/option-chain.js';
import { publicInstrument } from '../../src/sim/instruments.js';
import { engineConfig, simulator, until, waitState } from '../helpers/venue.js';

const NOW = 1_700_000_000;
const chain = optionChainInstruments({ now: NOW }).map(publicInstrument);
const perp = { instrument_name: 'BTC-PERPETUAL', underlying: 'BTCUSD', type: 'perpetual', product: 'FBTCUSD' };
const all = [perp, ...chain];
const [e1, e2, e3] = weeklyExpiries(NOW, 3) as [number, number, number];

describe('instrument selector', () => {
  it('keeps the next N expiries within a moneyness band, calls before puts, by expiry then strike', () => {
    const sel = instrumentSelectorSchema.parse({ underlying: 'BTCUSD', expiries: { next: 2 }, moneyness: [0.8, 1.2] });
    const names = selectInstruments(sel, all, 95_000, NOW);
    const picked = names.map((n) => chain.find((i) => i.instrument_name === n)!);
    expect(new Set(picked.map((i) => i.expiration_timestamp))).toEqual(new Set([e1, e2]));
    for (const i of picked) {
      expect(i.strike_price! / 95_000).toBeGreaterThanOrEqual(0.8);
      expect(i.strike_price! / 95_000).toBeLessThanOrEqual(1.2);
    }
    // Front: strikes 76 000 … 114 000 every 1 000 (39), second: every 2 000 (20); calls and puts.
    expect(names.length).toBe((39 + 20) * 2);
    expect(names.slice(0, 3)).toEqual(['BTC-17NOV23-76000-C', 'BTC-17NOV23-76000-P', 'BTC-17NOV23-77000-C']);
    // Every expiry of the chain has 40 strikes, so the band, not the chain, set these counts.
    expect(chain.filter((i) => i.expiration_timestamp === e3).length).toBe(80);
  });

  it('filters by type, option type, date range and time left', () => {
    const calls = selectInstruments(instrumentSelectorSchema.parse({ underlying: 'BTCUSD', optionTypes: ['call'], expiries: { from: '2023-11-20', to: '2023-11-30' } }), all, undefined, NOW);
    expect(calls.length).toBe(40);
    expect(calls.every((n) => n.startsWith('BTC-24NOV23-') && n.endsWith('-C'))).toBe(true);
    expect(selectInstruments(instrumentSelectorSchema.parse({ underlying: 'BTCUSD', types: ['perpetual'] }), all, undefined, NOW)).toEqual(['BTC-PERPETUAL']);
    expect(selectInstruments(instrumentSelectorSchema.parse({ underlying: 'ETHUSD' }), all, undefined, NOW)).toEqual([]);
    // Within the last hour before the front expiry, it is left out and the next one comes first.
    const late = selectInstruments(instrumentSelectorSchema.parse({ underlying: 'BTCUSD', expiries: { next: 1 } }), all, undefined, e1 - 1800);
    expect(late[0]!.startsWith('BTC-24NOV23-')).toBe(true);
    // No index: a moneyness band selects nothing rather than everything.
    expect(selectInstruments(instrumentSelectorSchema.parse({ underlying: 'BTCUSD', moneyness: [0.9, 1.1] }), all, undefined, NOW)).toEqual([]);
  });

  it('mixes names and selectors in config order without duplicates; bad selectors are config errors', () => {
    const cfg = parseEngineConfig({
      url: 'ws://127.0.0.1:1/ws/api/v2',
      credentials: { keyId: 'k', privateKeyPem: 'x' },
      instruments: ['BTC-PERPETUAL', { underlying: 'BTCUSD', types: ['perpetual', 'option'], expiries: { next: 1 }, moneyness: [0.99, 1.01] }],
    });
    const names = resolveInstrumentEntries(cfg.instruments, all, () => 95_000, NOW);
    expect(names).toEqual(['BTC-PERPETUAL', 'BTC-17NOV23-95000-C', 'BTC-17NOV23-95000-P']);
    expect(() => parseEngineConfig({ ...cfg, instruments: [{ underlying: 'BTCUSD', moneyness: [1.2, 0.8] }] })).toThrow(/moneyness/);
    expect(() => parseEngineConfig({ ...cfg, instruments: [{ underlying: 'BTCUSD', expiries: { next: 0 } }] })).toThrow(/expiries/);
  });
});

const open: Array<{ engine: Engine; sim: SimulatorHandle }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.engine.stop();
    await o.sim.stop();
  }
});

describe('instrument selector against the simulator', () => {
  it('resolves at bootstrap (logged, exposed, an event), and a periodic refresh requotes a changed set', async () => {
    const sim = await simulator({ stepsPerSecond: 0, optionChain: true, clock: 'simulated' });
    // Front expiry 17 Nov 08:00 is 208 000 s after the simulated start: ask for 30 s more than
    // is left after 30 simulated seconds (300 steps), so that the front drops out then.
    const minSecondsToExpiry = e1 - NOW - 30;
    const logs: Array<Record<string, unknown>> = [];
    const log = (o: unknown, msg?: string) => logs.push({ ...(o as object), msg });
    const engine = new Engine(
      engineConfig(sim, {
        instruments: ['BTC-PERPETUAL', { underlying: 'BTCUSD', expiries: { next: 1 }, moneyness: [0.97, 1.03], optionTypes: ['call'], minSecondsToExpiry }],
        instrumentRefreshMs: 100,
      }),
      { logger: { info: log, warn: log, error: log, debug: () => {} } as never },
    );
    engine.on('engineError', () => {});
    const sets: string[][] = [];
    engine.on('instruments', (e) => sets.push([...e.instruments]));
    open.push({ engine, sim });
    await engine.start();
    const first = engine.instruments();
    expect(first[0]).toBe('BTC-PERPETUAL');
    expect(first.slice(1)).toEqual(['BTC-17NOV23-93000-C', 'BTC-17NOV23-94000-C', 'BTC-17NOV23-95000-C', 'BTC-17NOV23-96000-C', 'BTC-17NOV23-97000-C']);
    expect(sets).toEqual([first]);
    expect(logs.some((l) => l['msg'] === 'instruments resolved' && l['count'] === 6)).toBe(true);
    expect(sim.calls('public/index')).toBe(1);

    sim.step(301);
    await until(() => sets.length === 2, 'the refresh to find the next expiry');
    await waitState(engine, 'quoting');
    expect(engine.instruments().slice(1).every((n) => n.startsWith('BTC-24NOV23-') && n.endsWith('-C'))).toBe(true);
    expect(engine.reconnects).toBe(1);
    expect(logs.some((l) => l['msg'] === 'instrument set changed')).toBe(true);
    // The rebuilt hot path quotes the new set.
    sim.step();
    await until(() => sim.venue.liveQuotes().some((q) => q.instrument.startsWith('BTC-24NOV23-')), 'quotes on the new expiry');
    expect(sim.venue.liveQuotes().some((q) => q.instrument.startsWith('BTC-17NOV23-'))).toBe(false);
  });
});

describe('delta band against the simulator', () => {
  it('subscribes every option the other filters select and quotes those whose ticker |delta| is in the band', async () => {
    const sim = await simulator({ stepsPerSecond: 0, optionChain: true, clock: 'simulated' });
    const engine = new Engine(
      engineConfig(sim, {
        instruments: [{ underlying: 'BTCUSD', expiries: { next: 1 }, moneyness: [0.9, 1.1], delta: [0.3, 0.7] }],
        pricing: { mode: 'inline', pricer: 'options', params: { widthVol: 4, vegaSize: 20, optionMaxSize: 0.5 } },
        risk: { maxPosition: 5, maxProductPosition: 100, maxQuoteAmount: 0.5, maxOpenExposure: 1000, priceBand: 0.5, priceBandTicks: 40 },
      }),
    );
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    const names = engine.instruments();
    const delta = (n: string) => Math.abs((sim.venue.ticker(n) as { delta: number }).delta);
    const inBand = names.filter((n) => delta(n) >= 0.3 && delta(n) <= 0.7);
    expect(inBand.length).toBeGreaterThan(4);
    expect(inBand.length).toBeLessThan(names.length - 4);
    sim.step();
    await until(() => new Set(sim.venue.liveQuotes().map((q) => q.instrument)).size >= inBand.length - 1, 'the options in the band quoted');
    for (const q of sim.venue.liveQuotes()) {
      // A step moves deltas a little: allow an option that just crossed the edge.
      expect(delta(q.instrument), q.instrument).toBeGreaterThanOrEqual(0.29);
      expect(delta(q.instrument), q.instrument).toBeLessThanOrEqual(0.71);
    }
  });
});

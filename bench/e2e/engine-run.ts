import { Engine } from '../../src/engine/engine.js';
import { GcCounter } from './gc-counter.js';
import { instrumentNames, startSimProcess } from './sim-process.js';
import type { CaseResult, LatencySummary } from '../lib/types.js';
import type { LatencyPercentiles } from '../../src/engine/metrics-snapshot.js';

export interface EngineRunOptions {
  mode: 'inline' | 'workers';
  /** Ticker messages per second, all instruments together. */
  rate: number;
  instruments: number;
  durationSec: number;
  warmupSec: number;
  /** Kill/resume cycles after the quoting phase, each one cancel_mass_quote round trip. */
  cancels?: number;
}

function summary(p: LatencyPercentiles): LatencySummary {
  return { ...p, mean: Number.NaN };
}

/**
 * The engine quoting against the simulator in another process at a fixed ticker rate, measured
 * by its own HDR histograms (quote RTT: frame written → reply read; tick-to-wire: ticker frame
 * read → mass_quote frame written), after a warm-up whose samples are discarded.
 */
export async function runEngine(o: EngineRunOptions): Promise<{ rtt: CaseResult; t2w: CaseResult; cancel: CaseResult; gc: { young: number; old: number; quotes: number }; hdrLog: string }> {
  const perInstrument = Math.max(1, Math.round(o.rate / o.instruments));
  const sim = await startSimProcess({ rate: perInstrument, instruments: o.instruments });
  const engine = new Engine({
    url: sim.url,
    credentials: { keyId: sim.keyId, privateKeyPem: sim.privateKeyPem },
    instruments: instrumentNames(o.instruments),
    // size 0.1: a whole lot on every instrument (BTC 0.001, ETH 0.01, synthetic 0.1); a size under
    // an instrument's lot rounds to nothing and that instrument would never quote.
    pricing: { mode: o.mode, params: { spreadBps: 10, size: 0.1 } },
    protection: { default: { tradeAmount: 1000, quoteAmount: 1000 }, maxTrips: 1000 },
    risk: { maxPosition: 1e6, maxProductPosition: 1e6, maxQuoteAmount: 1000, maxOpenExposure: 1e6 },
    quoting: { maxInFlight: 16 },
  });
  engine.on('engineError', () => {});
  await engine.start();
  await new Promise((r) => setTimeout(r, o.warmupSec * 1000));
  engine.resetMetrics(); // warm-up samples out
  const before = engine.metrics();
  const heapBefore = process.memoryUsage().heapUsed;
  const gc = new GcCounter();
  await new Promise((r) => setTimeout(r, o.durationSec * 1000));
  gc.stop();
  const heapAfter = process.memoryUsage().heapUsed;
  const after = engine.metrics();
  // Cancel RTT: the kill switch's cancel_mass_quote, then resume and wait for the next quote
  // (resume re-arms protection first: cancel_mass_quote reset the groups).
  for (let k = 0; k < (o.cancels ?? 0); k++) {
    await engine.kill();
    const sent = engine.metrics().quotesSent;
    engine.resume();
    for (let w = 0; w < 2000 && engine.metrics().quotesSent === sent; w++) await new Promise((r) => setTimeout(r, 1));
  }
  const cancels = engine.metrics();
  const hdrLog = engine.hdrLog();
  await engine.stop();
  await sim.stop();
  const quotes = after.quotesSent - before.quotesSent;
  const label = `${o.mode}, ${o.instruments} instr, ${o.rate}/s`;
  return {
    rtt: {
      name: `engine quote RTT (${label})`,
      unit: 'µs',
      summary: summary(after.quoteRtt),
      extra: { quotes, ticks: after.ticks - before.ticks, 'heap MB before': heapBefore / 2 ** 20, 'heap MB after': heapAfter / 2 ** 20 },
    },
    cancel: { name: `engine cancel RTT (${label})`, unit: 'µs', summary: summary(cancels.cancelRtt) },
    t2w: { name: `engine tick-to-wire (${label})`, unit: 'µs', summary: summary(after.tickToWire) },
    gc: { young: gc.young, old: gc.old, quotes },
    hdrLog,
  };
}

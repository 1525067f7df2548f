import { afterEach, describe, expect, it } from 'vitest';
import { BusyPoll } from '../../src/engine/busy-poll.js';
import { Engine } from '../../src/engine/engine.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { engineConfig, simulator, until } from '../helpers/venue.js';

const immediates = () => process.getActiveResourcesInfo().filter((r) => r === 'Immediate').length;
const turn = () => new Promise<void>((r) => setImmediate(r));

describe('busy-poll mode', () => {
  const open: Array<{ engine: Engine; sim: SimulatorHandle }> = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.engine.stop();
      await o.sim.stop();
    }
  });

  it('keeps exactly one immediate armed while running, and none once stopped', async () => {
    const b = new BusyPoll();
    expect(immediates()).toBe(0);
    b.start();
    b.start(); // idempotent
    await turn();
    await turn();
    expect(immediates()).toBe(1);
    b.stop();
    await turn();
    await turn();
    expect(immediates()).toBe(0);
  });

  it('the engine spins only while quoting: from resume to kill, and not after stop', async () => {
    const sim = await simulator({ stepsPerSecond: 0, takerProbability: 0 });
    const engine = new Engine(engineConfig(sim, { instruments: ['BTC-PERPETUAL'], quoting: { busyPoll: true } }));
    engine.on('engineError', () => {});
    open.push({ engine, sim });
    await engine.start();
    sim.step();
    await until(() => engine.metrics().quotesSent >= 1, 'a quote');
    await turn();
    expect(immediates()).toBe(1);
    await engine.kill(); // paused: no quoting, no spinning
    await turn();
    await turn();
    expect(immediates()).toBe(0);
    engine.resume();
    await until(() => immediates() === 1, 'spinning again after resume', 2_000);
    await engine.stop();
    await turn();
    await turn();
    expect(immediates()).toBe(0);
  });
});

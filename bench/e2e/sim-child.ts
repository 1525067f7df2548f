/*
 * The simulator as the e2e bench runs it: its own process on 127.0.0.1 (as the venue would be),
 * optionally measuring every client's reaction from the venue's side. Options come as JSON in
 * argv[2]; the parent reads the reaction histogram and this process's CPU time over IPC.
 */
import { startSimulator } from '../../src/sim/index.js';
import { summarize } from './tcp-floor.js';

export interface SimChildOptions {
  rate: number;
  instruments: number;
  seed: number;
  messageRate: number;
  throttle: boolean;
  measureReaction: boolean;
  /** The BTC option chain next to the default perpetuals, instead of `instruments` synthetic ones. */
  optionChain: boolean;
  keyId: string;
  publicKeyPem: string;
}

export type SimChildRequest = { t: 'reset' } | { t: 'read' };
export type SimChildReply = { t: 'reset' } | { t: 'read'; reaction: ReturnType<typeof summarize> | undefined; cpuUs: number; wallMs: number };

const o = JSON.parse(process.argv[2] ?? '{}') as SimChildOptions;
const sim = await startSimulator({
  port: 0,
  seed: o.seed,
  keys: [{ keyId: o.keyId, publicKeyPem: o.publicKeyPem }],
  stepsPerSecond: o.rate,
  ...(o.optionChain ? { optionChain: true } : { instruments: o.instruments }),
  messageRate: o.messageRate,
  throttle: o.throttle,
  measureReaction: o.measureReaction,
  // Every ticker moves the price, so every client has a reason to answer every one.
  alwaysMove: o.measureReaction,
  // No taker: fills would make positions, risk and requests differ between clients.
  takerProbability: 0,
});
let cpu0 = process.cpuUsage();
let wall0 = performance.now();
process.on('message', (m: SimChildRequest) => {
  if (m.t === 'reset') {
    sim.reaction?.reset();
    cpu0 = process.cpuUsage();
    wall0 = performance.now();
    process.send?.({ t: 'reset' } satisfies SimChildReply);
    return;
  }
  const c = process.cpuUsage(cpu0);
  const reaction = sim.reaction !== undefined ? summarize(sim.reaction.histogram) : undefined;
  process.send?.({ t: 'read', reaction, cpuUs: c.user + c.system, wallMs: performance.now() - wall0 } satisfies SimChildReply);
});
process.once('disconnect', () => {
  void sim.stop().then(() => process.exit(0));
});
process.send?.({ url: sim.url, server: sim.server });

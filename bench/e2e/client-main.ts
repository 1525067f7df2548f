/*
 * One e2e client in a process of its own (argv[2]: ClientPhaseOptions as JSON): start, warm up,
 * measure one window bracketed with the parent (which reads the simulator's side at the same
 * moments), then the cancels, then one `result` message.
 */
import { GcCounter } from './gc-counter.js';
import { EngineBenchClient } from './engine-client.js';
import { IdealBenchClient } from './ideal-client.js';
import { WsBenchClient } from './ws-client.js';
import type { BenchClient, ClientMessage, ClientPhaseOptions, ParentMessage } from './client-protocol.js';

const o = JSON.parse(process.argv[2] ?? '{}') as ClientPhaseOptions;
const send = (m: ClientMessage): Promise<void> =>
  new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(m, () => resolve());
  });
const go = (): Promise<void> =>
  new Promise((resolve) => {
    process.once('message', (m: ParentMessage) => {
      if (m.t === 'go') resolve();
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function make(): BenchClient {
  if (o.kind === 'ideal') return new IdealBenchClient(o);
  if (o.kind === 'ws') return new WsBenchClient(o);
  return new EngineBenchClient(o);
}

async function main(): Promise<void> {
  // From the process's start, so that start-up and warm-up collections are seen too.
  const gc = new GcCounter();
  const client = make();
  await client.start();
  await sleep(o.warmupSec * 1000);
  client.resetMetrics();
  const started = go();
  await send({ t: 'measure' });
  await started;
  const s0 = client.snapshot();
  const gc0 = { young: gc.young, old: gc.old, markCompacts: gc.markCompacts };
  const cpu0 = process.cpuUsage();
  const mem0 = process.memoryUsage();
  await sleep(o.durationSec * 1000);
  const cpu = process.cpuUsage(cpu0);
  const mem1 = process.memoryUsage();
  const s = client.snapshot();
  const ended = go();
  await send({ t: 'measured' });
  await ended;
  await sleep(20); // GC entries are delivered asynchronously
  gc.stop();
  const quotes = s.quotes - s0.quotes;
  const cancelRtt = await client.cancels(o.cancels);
  await client.stop();
  await send({
    t: 'result',
    result: {
      ...s,
      quotes,
      ticks: s.ticks - s0.ticks,
      cancelRtt,
      cpuUsPerQuote: quotes > 0 ? (cpu.user + cpu.system) / quotes : Number.NaN,
      youngGcs: gc.young - gc0.young,
      oldGcs: gc.old - gc0.old,
      markCompacts: gc.markCompacts - gc0.markCompacts,
      markCompactsBefore: gc0.markCompacts,
      externalMbStart: mem0.external / 2 ** 20,
      externalMbEnd: mem1.external / 2 ** 20,
      heapMbStart: mem0.heapUsed / 2 ** 20,
      heapMbEnd: mem1.heapUsed / 2 ** 20,
    },
  });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    void send({ t: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) }).then(() => process.exit(1));
  },
);

/**
 * The soak's venue: the simulator in its own process (so the engine's heap is measured alone),
 * steered over IPC: `{ fault, ms? }` injects a fault, `{ query: 'state' }` answers with what
 * the venue holds. Started by bench/soak/main.ts with fork(); stops when the parent goes away.
 */
import { startSimulator, DEFAULT_ACCOUNT } from '../../src/sim/index.js';

export type SoakFault =
  | 'drop'
  | 'close1001'
  | 'close1011'
  | 'reconnectNotice'
  | 'dropReplies'
  | 'delayReplies'
  | 'throttleStorm'
  | 'malformed'
  | 'invalidFrame'
  | 'feedPause'
  | 'rejectLogins';

export const SOAK_FAULTS: readonly SoakFault[] = ['drop', 'close1001', 'close1011', 'reconnectNotice', 'dropReplies', 'delayReplies', 'throttleStorm', 'malformed', 'invalidFrame', 'feedPause', 'rejectLogins'];

export interface VenueState {
  liveQuotes: number;
  sessions: number;
  positions: Record<string, number>;
  connections: number;
}

async function main(): Promise<void> {
  const [publicKeyPem, rate, instruments, seed, taker] = [process.env['SOAK_PUB']!, Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
  const sim = await startSimulator({
    keys: [{ keyId: 'soak', publicKeyPem }],
    stepsPerSecond: rate,
    instruments,
    seed,
    throttle: false,
    takerProbability: taker,
    takerMaxLots: 2,
  });
  const names = [...sim.venue.instruments.keys()];
  const later = (ms: number, f: () => void) => setTimeout(f, ms).unref();
  process.on('message', (m: { fault?: SoakFault; ms?: number; query?: string; id?: number }) => {
    const ms = m.ms ?? 1000;
    switch (m.fault) {
      case 'drop':
        sim.dropConnections();
        break;
      case 'close1001':
        sim.dropConnections(1001);
        break;
      case 'close1011':
        sim.dropConnections(1011);
        break;
      case 'reconnectNotice':
        sim.announceReconnect();
        break;
      case 'dropReplies':
        sim.faults.dropReplies('private/mass_quote');
        later(ms, () => sim.faults.clear());
        break;
      case 'delayReplies':
        sim.faults.delayReplies('*', ms);
        later(ms, () => sim.faults.delayReplies('*', 0));
        break;
      case 'throttleStorm':
        sim.faults.throttleNext('private/mass_quote', 25);
        break;
      case 'malformed':
        sim.sendMalformed();
        sim.sendRaw('{"id":"x","result":');
        sim.sendRaw('{"channel_name":"account.portfolio","notification":{}}');
        break;
      case 'invalidFrame':
        sim.sendInvalidFrame();
        break;
      case 'feedPause':
        sim.faults.feedPaused = true;
        later(ms, () => (sim.faults.feedPaused = false));
        break;
      case 'rejectLogins':
        sim.faults.rejectLogins = true;
        sim.dropConnections();
        later(ms, () => (sim.faults.rejectLogins = false));
        break;
    }
    if (m.query === 'state') {
      const positions: Record<string, number> = {};
      for (const n of names) positions[n] = sim.venue.position(DEFAULT_ACCOUNT, n);
      const state: VenueState = { liveQuotes: sim.venue.liveQuotes(DEFAULT_ACCOUNT).length, sessions: sim.venue.sessions().filter((s) => !s.ended).length, positions, connections: sim.connections() };
      process.send!({ id: m.id, state });
    }
  });
  process.once('disconnect', () => void sim.stop().then(() => process.exit(0)));
  process.send!({ url: sim.url, instruments: names });
}

if (process.send !== undefined) void main();

import { Authenticator, type RegisteredKey } from './auth.js';
import type { ServerChoice, ServerInfo } from '../server/index.js';
import { SimError } from './errors.js';
import type { Faults } from './faults.js';
import { defaultInstruments, syntheticInstruments, type SimInstrument } from './instruments.js';
import { ReactionMeter } from './reaction.js';
import { optionChainInstruments, type OptionChainOptions } from './option-chain.js';
import { SimServer } from './server.js';
import { Venue } from './venue.js';

export interface SimulatorOptions {
  /** Default 127.0.0.1: the simulator is for this machine unless told otherwise. */
  host?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** Seeds the market and the taker flow. Default 1. */
  seed?: number;
  /** API keys that may log in. `account` defaults to `A000000001`. */
  keys?: Array<Omit<RegisteredKey, 'account'> & { account?: string }>;
  /** The instruments, or a count of synthetic ones. Default: BTC and ETH perpetuals and a few BTC options. */
  instruments?: SimInstrument[] | number;
  /**
   * Add a BTC option chain (option-chain.ts: by default 3 weekly expiries × 40 strikes × calls and
   * puts, marked off a vol surface) next to the BTC perpetual, its underlying. With `instruments`
   * given, the chain comes after them; otherwise it replaces the default options.
   */
  optionChain?: boolean | Omit<OptionChainOptions, 'now'>;
  /** Market steps per second per instrument, each one ticker message per subscriber. 0: manual `step()` only. Default 10. */
  stepsPerSecond?: number;
  /** `message_rate` granted by set_cancel_on_disconnect. Default 1000. */
  messageRate?: number;
  /** Enforce message_rate with code 4. Default true. */
  throttle?: boolean;
  /** Accepted |now − iat| of login tokens, seconds. Default 60. */
  iatWindowSec?: number;
  /** Chance per step per instrument of a taker order. Default 0.05. */
  takerProbability?: number;
  /** Largest taker order in lots. Default 5. */
  takerMaxLots?: number;
  /**
   * `wall` (default): timestamps from the system clock. `simulated`: venue time starts at
   * 1 700 000 000 s and advances 0.1 s per market step, so the same seed and the same requests
   * give byte-identical notifications (login tokens are still checked against the wall clock).
   */
  clock?: 'wall' | 'simulated';
  /** Serve wss:// with this certificate and key (PEM files). */
  tls?: { certFile: string; keyFile: string };
  /** Every market step moves every perpetual's best bid by at least a tick (bench: every ticker is news). */
  alwaysMove?: boolean;
  /** Measure each connection's reaction (ticker handed to the kernel → next mass_quote received); read it from `reaction`. */
  measureReaction?: boolean;
  /**
   * `auto` (default, or THALEX_QUOTER_SERVER): native uWebSockets.js where a build loads, else the
   * JS server (ws + node:http) with one warning; `native` refuses the JS server (UWS_ERR_NOT_NATIVE).
   */
  server?: ServerChoice;
}

export interface SimulatorHandle {
  readonly url: string;
  readonly port: number;
  /** Which server serves: native uWebSockets.js (and its package) or the JS one. */
  readonly server: ServerInfo;
  readonly venue: Venue;
  readonly faults: Faults;
  /** Registers another API key. */
  addKey(key: Omit<RegisteredKey, 'account'> & { account?: string }): void;
  /** Advances the market `n` steps now and publishes the tickers. */
  step(n?: number): void;
  /** Publishes the current tickers again without moving the market. */
  republish(): void;
  /** Closes every connection: with a close frame and `code`, or abruptly (no code). */
  dropConnections(code?: number): void;
  /** Sends `{"event":"reconnect"}` on the `system` channel. */
  announceReconnect(): void;
  /** Sends a frame that is not JSON to every connection. */
  sendMalformed(): void;
  /** Sends a text frame that is not valid UTF-8 (a protocol violation the client must close on, 1007). */
  sendInvalidFrame(): void;
  /** Sends `payload` as it is (text frame, or binary) to every connection: for bad-input tests. */
  sendRaw(payload: string | Uint8Array, binary?: boolean): void;
  /** Requests served, by method. */
  calls(method: string): number;
  /** Reaction times, when started with `measureReaction`. */
  readonly reaction: ReactionMeter | undefined;
  connections(): number;
  stop(): Promise<void>;
}

export const DEFAULT_ACCOUNT = 'A000000001';

/** Starts a Thalex-compatible exchange simulator in this process. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  let simNow = 1_700_000_000;
  const simulated = options.clock === 'simulated';
  let instruments = typeof options.instruments === 'number' ? syntheticInstruments(options.instruments) : (options.instruments ?? defaultInstruments());
  if (options.optionChain !== undefined && options.optionChain !== false) {
    const base = options.instruments === undefined ? instruments.filter((i) => i.type !== 'option') : instruments;
    const chain = optionChainInstruments({ ...(options.optionChain === true ? {} : options.optionChain), now: simulated ? simNow : Date.now() / 1000 });
    instruments = [...base, ...chain];
  }
  if (instruments.length === 0) throw new SimError('SIM_ERR_CONFIG', 'at least one instrument');
  const venue = new Venue({
    seed: options.seed ?? 1,
    instruments,
    takerProbability: options.takerProbability ?? 0.05,
    takerMaxLots: options.takerMaxLots ?? 5,
    ...(options.alwaysMove === true ? { alwaysMove: true } : {}),
    now: simulated ? () => simNow : () => Date.now() / 1000,
  });
  const withAccount = (k: Omit<RegisteredKey, 'account'> & { account?: string }): RegisteredKey => ({ ...k, account: k.account ?? DEFAULT_ACCOUNT });
  const auth = new Authenticator((options.keys ?? []).map(withAccount), options.iatWindowSec ?? 60);
  const reaction = options.measureReaction === true ? new ReactionMeter() : undefined;
  const server = new SimServer(venue, auth, {
    ...(reaction !== undefined ? { reaction } : {}),
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    messageRate: options.messageRate ?? 1000,
    throttle: options.throttle ?? true,
    account: DEFAULT_ACCOUNT,
    ...(options.tls !== undefined ? { tls: options.tls } : {}),
    ...(options.server !== undefined ? { server: options.server } : {}),
  });
  const port = await server.listen();
  const step = (n = 1): void => {
    for (let k = 0; k < n; k++) {
      if (simulated) simNow = Math.round((simNow + 0.1) * 10) / 10;
      server.publishTickers(venue.step(), Date.now());
    }
  };
  const sps = options.stepsPerSecond ?? 10;
  let feed: NodeJS.Timeout | undefined;
  if (sps > 0) {
    // A 1 ms timer that catches up on the steps due, so high rates do not need sub-ms timers.
    let due = 0;
    let last = Date.now();
    const period = Math.max(1, Math.floor(1000 / sps));
    feed = setInterval(() => {
      const now = Date.now();
      due += ((now - last) * sps) / 1000;
      last = now;
      const n = Math.min(Math.floor(due), 1000);
      due -= n;
      if (n > 0) step(n);
    }, period);
  }
  const sweep = setInterval(() => server.sweepSilent(Date.now()), 100);
  const scheme = options.tls !== undefined ? 'wss' : 'ws';
  const host = options.host ?? '127.0.0.1';
  return {
    url: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/ws/api/v2`,
    port,
    server: server.server!,
    venue,
    faults: server.faults,
    addKey: (k) => auth.addKey(withAccount(k)),
    step,
    republish: () => server.publishTickers([...venue.instruments.keys()], Date.now(), true),
    dropConnections(code?: number) {
      for (const ws of [...server.conns]) {
        if (ws.getUserData().closed) continue;
        if (code === undefined) ws.close();
        else ws.end(code, 'simulator fault');
      }
    },
    announceReconnect: () => server.broadcastSystem({ event: 'reconnect' }),
    sendMalformed() {
      for (const ws of server.conns) server.send(ws, '{"channel_name":"ticker.BTC-PERPETUAL.raw","notification":{"mark_price":');
    },
    sendRaw(payload, binary = false) {
      for (const ws of server.conns) if (!ws.getUserData().closed) ws.send(payload, binary);
    },
    sendInvalidFrame() {
      for (const ws of server.conns) if (!ws.getUserData().closed) ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), false);
    },
    calls: (m) => server.calls.get(m) ?? 0,
    reaction,
    connections: () => server.conns.size,
    async stop() {
      clearInterval(feed);
      clearInterval(sweep);
      server.close();
      await new Promise((r) => setTimeout(r, 10));
    },
  };
}

export type { SimInstrument } from './instruments.js';
export { defaultInstruments, syntheticInstruments } from './instruments.js';
export type { Venue } from './venue.js';
export type { ServerChoice, ServerInfo } from '../server/index.js';
export { serverLabel } from '../server/index.js';

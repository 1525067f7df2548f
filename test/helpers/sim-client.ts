import { afterEach, expect } from 'vitest';
import { makeLoginToken, parsePrivateKey } from '../../src/protocol/login-token.js';
import { RpcSession } from '../../src/rpc/session.js';
import { WsClient } from '../../src/ws/client.js';
import { validateErrorReply, validateNotificationFrame, validateReply } from './spec.js';
import type { SimulatorHandle, SimulatorOptions } from '../../src/sim/index.js';
import { TEST_KEY_ID, TEST_PRIVATE_PEM, simulator } from './venue.js';

/** Our client on the simulator, recording every frame it receives for schema validation. */
export class SimClient {
  readonly frames: string[] = [];
  readonly rpc = new RpcSession({ timeoutMs: 3000 });
  readonly methods = new Map<number, string>();
  readonly notes = new Map<string, unknown[]>();
  ws!: WsClient;
  closes: number[] = [];

  async open(url: string): Promise<this> {
    this.ws = new WsClient({ url, pingIntervalMs: 0 }, {
      onOpen: () => {},
      onMessage: (d, s, e) => {
        this.frames.push(d.toString('utf8', s, e));
        this.rpc.handleMessage(d, s, e);
      },
      onClose: (c) => {
        this.closes.push(c);
        this.rpc.detach('closed');
      },
    });
    for (const p of ['ticker.', 'session.', 'account.', 'system']) {
      this.rpc.channels.addParsed(p, (ch, n) => {
        const list = this.notes.get(ch) ?? [];
        list.push(n);
        this.notes.set(ch, list);
      });
    }
    await this.ws.connect();
    this.rpc.attach({ sendText: (t) => {
      const m = JSON.parse(t) as { id: number; method: string };
      this.methods.set(m.id, m.method);
      return this.ws.sendText(t);
    } });
    return this;
  }

  call<T = unknown>(method: string, params: object = {}): Promise<T> {
    return this.rpc.call<T>(method, params);
  }

  async login(): Promise<void> {
    await this.call('public/login', { token: await makeLoginToken(parsePrivateKey(TEST_PRIVATE_PEM, 'test'), TEST_KEY_ID) });
  }

  /** Every frame received validates against Thalex's spec. */
  assertAllValid(): void {
    expect(this.frames.length).toBeGreaterThan(0);
    for (const text of this.frames) {
      const f = JSON.parse(text) as { id?: number | null; error?: unknown; channel_name?: string };
      let errors: string[];
      if (typeof f.channel_name === 'string') errors = validateNotificationFrame(f);
      else if (f.error !== undefined) errors = validateErrorReply(f);
      else {
        // public/ and private/unsubscribe are the SDKs' spellings of the spec's `unsubscribe`.
        const method = (this.methods.get(f.id as number) ?? '').replace(/^(public|private)\/unsubscribe$/, 'unsubscribe');
        errors = validateReply(method, f);
      }
      expect(errors, text.slice(0, 300)).toEqual([]);
    }
  }

  close(): void {
    this.rpc.dispose();
    this.ws.destroy();
  }
}

/** The venue error code a call was refused with (0: it succeeded; -1: refused without one). */
export const code = (p: Promise<unknown>): Promise<number> => p.then(() => 0, (e: { venueCode?: number }) => e.venueCode ?? -1);

/**
 * Simulators and clients for one test file, closed after each test (clients first). Call at the
 * file's top level. `setup` starts a simulator with no feed (unless told) and one client on it.
 */
export function simRig(): {
  setup(opts?: SimulatorOptions): Promise<{ sim: SimulatorHandle; c: SimClient }>;
  client(sim: SimulatorHandle): Promise<SimClient>;
} {
  const open: Array<SimulatorHandle | SimClient> = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      if (o instanceof SimClient) o.close();
      else await o.stop();
    }
  });
  const client = async (sim: SimulatorHandle): Promise<SimClient> => {
    const c = await new SimClient().open(sim.url);
    open.push(c);
    if (!open.includes(sim)) open.push(sim);
    return c;
  };
  return {
    client,
    async setup(opts: SimulatorOptions = {}) {
      const sim = await simulator({ stepsPerSecond: 0, ...opts });
      return { sim, c: await client(sim) };
    },
  };
}

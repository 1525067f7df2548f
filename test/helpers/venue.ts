import { generateKeyPairSync } from 'node:crypto';
import { Engine } from '../../src/engine/engine.js';
import type { EngineConfigInput } from '../../src/engine/config.js';
import type { EngineState } from '../../src/engine/events.js';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../src/sim/index.js';

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export const TEST_KEY_ID = 'test-key';
export const TEST_PRIVATE_PEM = keys.privateKey;
export const TEST_PUBLIC_PEM = keys.publicKey;

/** A simulator on a free 127.0.0.1 port that accepts the test key. */
export function simulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  return startSimulator({ seed: 7, keys: [{ keyId: TEST_KEY_ID, publicKeyPem: TEST_PUBLIC_PEM }], ...options });
}

/** An engine config for a simulator, with fast reconnects; `over` wins. */
export function engineConfig(sim: SimulatorHandle, over: Partial<EngineConfigInput> = {}): EngineConfigInput {
  return {
    url: sim.url,
    credentials: { keyId: TEST_KEY_ID, privateKeyPem: TEST_PRIVATE_PEM },
    instruments: ['BTC-PERPETUAL', 'ETH-PERPETUAL'],
    pricing: { mode: 'inline', params: { spreadBps: 10, size: 0.01 } },
    protection: { default: { tradeAmount: 1, quoteAmount: 1 } },
    reconnect: { initialMs: 20, maxMs: 200 },
    ...over,
  };
}

/** Polls `cond` every 10 ms until true or `timeoutMs` passes (then throws with `what`). */
export async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Runs `act` (e.g. a market step) then checks `cond`, every `everyMs`, until `cond` holds or
 * `timeoutMs` passes (then throws with `what`). Bounded by the clock, not by a count of fixed
 * sleeps, so a loaded machine gets as long as an idle one.
 */
export async function actUntil(cond: () => boolean, act: () => void, what: string, timeoutMs = 10_000, everyMs = 10): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    act();
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function waitState(engine: Engine, state: EngineState, timeoutMs = 10_000): Promise<void> {
  return until(() => engine.state === state, `engine state ${state}`, timeoutMs);
}

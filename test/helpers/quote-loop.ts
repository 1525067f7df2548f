import { EventEmitter } from 'node:events';
import { parseEngineConfig, type EngineConfigInput } from '../../src/engine/config.js';
import { LiveQuotes } from '../../src/engine/live-quotes.js';
import { silentLogger } from '../../src/engine/logger.js';
import { Positions } from '../../src/engine/positions.js';
import { Protection } from '../../src/engine/protection.js';
import { QuoteLoop } from '../../src/engine/quote-loop.js';
import { RpcSession } from '../../src/rpc/session.js';
import { FRAME_HEADER_ROOM } from '../../src/ws/types.js';

/**
 * The engine's quote loop on its own, quoting BTC-PERPETUAL (or `names`, all of product FBTCUSD; tick 1, lot 0.001) inline with
 * protection armed, its ticker route registered on an RpcSession that nothing is attached to:
 * tests feed it frames with `rpc.handleMessage` and give it a sink of their own.
 */
export async function standaloneLoop(over: Partial<EngineConfigInput> = {}, names: readonly string[] = ['BTC-PERPETUAL']): Promise<{ loop: QuoteLoop; rpc: RpcSession }> {
  const config = parseEngineConfig({
    url: 'ws://127.0.0.1:1/ws/api/v2',
    credentials: { keyId: 'k', privateKeyPem: 'unused' },
    instruments: [...names],
    pricing: { mode: 'inline', params: { spreadTicks: 4, size: 0.01 } },
    quoting: { maxInFlight: 64 },
    risk: { maxPosition: 10, maxProductPosition: 10, staleMs: 3_600_000 },
    ...over,
  });
  const rpc = new RpcSession({ hotCapacity: 1024 });
  const protection = new Protection({}, () => {});
  protection.track('FBTCUSD');
  protection.armed('FBTCUSD', 1);
  const loop = await QuoteLoop.create({
    config,
    instruments: names.map((name) => ({ name, product: 'FBTCUSD', tickSize: 1, volumeTickSize: 0.001, minOrderAmount: 0.001, type: 'perpetual' as const })),
    rpc,
    live: new LiveQuotes(names.length),
    positions: new Positions(),
    protection,
    logger: silentLogger,
    events: new EventEmitter(),
    onReplyTimeout: () => {},
  });
  rpc.channels.addRaw('ticker.', loop.hot);
  return { loop, rpc };
}

/** A sink for a standalone loop that keeps every frame it is asked to send, as text. */
export function recordingSink(): { sink: { frame: Buffer; bufferedAmount: number; rxAt: number; sendFrame(len: number): number }; frames: string[] } {
  const frames: string[] = [];
  const sink = {
    frame: Buffer.alloc(64 * 1024),
    bufferedAmount: 0,
    rxAt: 0,
    sendFrame(len: number) {
      frames.push(sink.frame.toString('utf8', FRAME_HEADER_ROOM, FRAME_HEADER_ROOM + len));
      return 0;
    },
  };
  return { sink, frames };
}

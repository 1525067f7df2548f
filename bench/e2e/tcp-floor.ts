import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { nsHistogram, summarize } from '../lib/hist.js';
import { startChild, stopChild } from '../lib/child.js';
import type { CaseResult, LatencySummary } from '../lib/types.js';

export interface FloorOptions {
  requestBytes: number;
  replyBytes: number;
  /** Requests per second, fixed schedule. */
  rate: number;
  durationSec: number;
  warmupSec?: number;
}

/**
 * Raw TCP ping-pong between this process and a separate one on 127.0.0.1, one request in flight,
 * at a fixed rate. Latency runs from just before the write (as for the clients), but from its
 * SCHEDULED time when it went out a whole interval late, so a stall is charged to the requests it
 * delays (coordinated omission corrected).
 */
export async function measureTcpFloor(o: FloorOptions): Promise<{ summary: LatencySummary; distribution: Array<[number, number]> }> {
  const { child, hello } = await startChild<{ port: number }>(new URL('./floor-server.js', import.meta.url), [String(o.requestBytes), String(o.replyBytes)]);
  const sock = connect({ port: hello.port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((r, j) => sock.once('connect', r).once('error', j));
  const h = nsHistogram();
  const req = Buffer.alloc(o.requestBytes, 0x62);
  const intervalMs = 1000 / o.rate;
  const warmupEnd = (o.warmupSec ?? 1) * o.rate;
  const total = warmupEnd + Math.round(o.durationSec * o.rate);
  let sent = 0;
  let received = 0;
  let pendingBytes = 0;
  let intended = 0;
  const t0 = performance.now();

  await new Promise<void>((resolve) => {
    const sendNext = (): void => {
      intended = t0 + sent * intervalMs;
      const wait = intended - performance.now();
      if (wait > 1) {
        setTimeout(sendNext, wait - 0.5);
        return;
      }
      // Busy-wait the last stretch: timers are ms-grained, the schedule is µs-grained.
      while (performance.now() < intended) {
        /* spin */
      }
      sent++;
      // Like the clients: the round trip starts just before the write, or at its scheduled time
      // if it went out a whole interval late (coordinated omission).
      const before = performance.now();
      if (before - intended < intervalMs) intended = before;
      sock.write(req);
    };
    sock.on('data', (chunk: Buffer) => {
      pendingBytes += chunk.length;
      while (pendingBytes >= o.replyBytes) {
        pendingBytes -= o.replyBytes;
        const now = performance.now();
        if (received >= warmupEnd) h.recordValue(Math.max(1, Math.round((now - intended) * 1e6)));
        received++;
        if (received >= total) {
          resolve();
          return;
        }
        sendNext();
      }
    });
    sendNext();
  });
  sock.destroy();
  await stopChild(child);
  return summarize(h);
}

export interface PushedFloorOptions {
  /** Bytes of one pushed message (a ticker notification). */
  pushBytes: number;
  requestBytes: number;
  replyBytes: number;
  /** Pushes per second, on the simulator's schedule. */
  rate: number;
  durationSec: number;
  warmupSec?: number;
}

/**
 * The floor for the quoting pattern: the far end pushes ticker-sized messages at a fixed rate
 * (as the simulator does) and this side answers a push with a request whenever none is in
 * flight, the way the engine answers a ticker with a mass quote; latency runs from just before
 * the write to the reply read, as for the clients. Unlike the scheduled ping-pong above, the far end has
 * just been busy sending when the request arrives, as the simulator has: on this VM a peer
 * woken from idle costs tens of µs more, and the clients should be compared with a floor that
 * pays what they pay, no more.
 */
export async function measurePushedFloor(o: PushedFloorOptions): Promise<{ summary: LatencySummary; distribution: Array<[number, number]>; extra: Record<string, number> }> {
  const { child, hello } = await startChild<{ port: number }>(new URL('./floor-server.js', import.meta.url), [
    String(o.requestBytes),
    String(o.replyBytes),
    String(o.pushBytes),
    String(o.rate),
  ]);
  const sock = connect({ port: hello.port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((r, j) => sock.once('connect', r).once('error', j));
  const h = nsHistogram();
  const req = Buffer.alloc(o.requestBytes, 0x62);
  let measuring = false;
  let inFlight = false;
  let sentAt = 0;
  let pushes = 0;
  let skipped = 0;
  // Fixed-size messages told apart by their first byte: 't' a push, 'r' a reply.
  let need = 0;
  let kind = 0;
  sock.on('data', (chunk: Buffer) => {
    let p = 0;
    while (p < chunk.length) {
      if (need === 0) {
        kind = chunk[p]!;
        need = kind === 0x74 ? o.pushBytes : o.replyBytes;
      }
      const take = Math.min(need, chunk.length - p);
      need -= take;
      p += take;
      if (need !== 0) break;
      if (kind === 0x74) {
        pushes++;
        if (inFlight) {
          skipped++;
          continue;
        }
        inFlight = true;
        sentAt = performance.now();
        sock.write(req);
      } else {
        const now = performance.now();
        inFlight = false;
        if (measuring) h.recordValue(Math.max(1, Math.round((now - sentAt) * 1e6)));
      }
    }
  });
  await new Promise((r) => setTimeout(r, (o.warmupSec ?? 1) * 1000));
  measuring = true;
  const p0 = pushes;
  const s0 = skipped;
  await new Promise((r) => setTimeout(r, o.durationSec * 1000));
  measuring = false;
  sock.destroy();
  await stopChild(child);
  return { ...summarize(h), extra: { pushes: pushes - p0, 'pushes not answered (request in flight)': skipped - s0 } };
}

export { summarize } from '../lib/hist.js';

export async function floorCase(name: string, o: FloorOptions): Promise<CaseResult> {
  const r = await measureTcpFloor(o);
  return { name, unit: 'µs', ...r };
}

export async function pushedFloorCase(name: string, o: PushedFloorOptions): Promise<CaseResult> {
  const r = await measurePushedFloor(o);
  return { name, unit: 'µs', ...r };
}

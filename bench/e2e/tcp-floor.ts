import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
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
 * at a fixed rate. Latency runs from the moment the request is written (as for the clients), but
 * from its SCHEDULED time when it went out a whole interval late, so a stall is charged to the
 * requests it delays (coordinated omission corrected).
 */
export async function measureTcpFloor(o: FloorOptions): Promise<{ summary: LatencySummary; distribution: Array<[number, number]> }> {
  const { child, hello } = await startChild<{ port: number }>(new URL('./floor-server.js', import.meta.url), [String(o.requestBytes), String(o.replyBytes)]);
  const sock = connect({ port: hello.port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((r, j) => sock.once('connect', r).once('error', j));
  const h = hdr.build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, autoResize: false });
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
      sock.write(req);
      // Like the clients: the round trip starts once the request is written, or at its
      // scheduled time if it went out late (coordinated omission).
      const written = performance.now();
      if (written - intended < intervalMs) intended = written;
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

/** µs summary and a percentile distribution of an HDR histogram recorded in ns. */
export function summarize(h: hdr.Histogram): { summary: LatencySummary; distribution: Array<[number, number]> } {
  const us = (v: number) => v / 1000;
  const distribution: Array<[number, number]> = [];
  for (const p of [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100]) distribution.push([p, us(h.getValueAtPercentile(p))]);
  return {
    summary: {
      count: h.totalCount,
      p50: us(h.getValueAtPercentile(50)),
      p90: us(h.getValueAtPercentile(90)),
      p99: us(h.getValueAtPercentile(99)),
      p999: us(h.getValueAtPercentile(99.9)),
      max: us(h.maxValue),
      mean: us(h.mean),
    },
    distribution,
  };
}

export async function floorCase(name: string, o: FloorOptions): Promise<CaseResult> {
  const r = await measureTcpFloor(o);
  return { name, unit: 'µs', ...r };
}

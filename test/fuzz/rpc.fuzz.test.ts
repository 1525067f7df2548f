/**
 * Fuzzing the RPC layer's incoming side (RpcSession.handleMessage: byte peeks, hot table, JSON
 * fallback, channel router) with replies and notifications that are right, wrong, or broken.
 * The transport is an in-memory recorder: this is about what comes in, at 10^5 cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuoterError } from '../../src/errors.js';
import { RpcSession } from '../../src/rpc/session.js';
import { heapAfterGc, runs, timeoutFor } from './budget.js';

const id = fc.oneof(fc.nat(40), fc.constantFrom('"3"', '3.5', '-1', 'null', '1e3', '99999999999999999999', '007', 'true'));
const jsonish = fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.constantFrom('', '{', '}', '"', 'nul', '[', '{"code":4}', '{"code":"x","message":7}'));
const channel = fc.constantFrom('ticker.BTC-PERPETUAL.raw', 'ticker.', 'ticker', 'session.orders', 'system', 'nobody', '', 'ticker.BTC-PERPETUAL.raw"x', 'SESSION.ORDERS');

const message = fc.oneof(
  fc.tuple(id, jsonish).map(([i, r]) => `{"id":${i},"result":${r}}`),
  fc.tuple(id, jsonish).map(([i, e]) => `{"id":${i},"error":${e}}`),
  fc.tuple(id, jsonish, jsonish).map(([i, r, e]) => `{"result":${r},"id":${i},"error":${e}}`),
  fc.tuple(channel, jsonish).map(([c, n]) => `{"channel_name":${JSON.stringify(c)},"notification":${n}}`),
  fc.tuple(channel, jsonish).map(([c, n]) => `{"notification":${n},"channel_name":${JSON.stringify(c)}}`),
  fc.string({ maxLength: 60 }),
  jsonish,
);
const damaged = fc.tuple(message, fc.nat(), fc.nat(3)).map(([m, at, k]) => {
  const p = at % (m.length + 1);
  return k === 0 ? m.slice(0, p) : k === 1 ? m.slice(0, p) + m.slice(p + 1) : m;
});

const CI = 100_000;

describe('fuzz: RPC session, incoming', () => {
  it(
    `random and damaged replies and notifications (${runs(CI)} messages): nothing thrown, every call settles exactly once with a result or a coded error, routes see only their own channels`,
    async () => {
      const before = heapAfterGc();
      const bad: string[] = [];
      let strays = 0;
      let badFrames = 0;
      let unrouted = 0;
      const s = new RpcSession({ timeoutMs: 60_000, hotTimeoutMs: 60_000, diagnostics: { onStrayReply: () => strays++, onBadFrame: (e) => (expect(e.code).toBe('RPC_ERR_BAD_REPLY'), badFrames++), onUnroutedNotification: () => unrouted++ } });
      s.channels.addRaw('ticker.', {
        onRawNotification(data, start, end, chStart, chEnd) {
          expect(start >= 0 && end <= data.length && start < end).toBe(true);
          if (chStart >= 0) {
            expect(chStart >= start && chEnd <= end && chStart <= chEnd).toBe(true);
            expect(data.toString('utf8', chStart, chEnd).startsWith('ticker.')).toBe(true);
          }
        },
      });
      s.channels.addParsed('session.orders', (c) => {
        if (c !== 'session.orders') bad.push(c);
      });
      let hotReplies = 0;
      s.setHotHandler({ onHotReply: () => hotReplies++, onHotLost: () => {} });
      s.attach({ sendText: () => 0 });
      // Calls 1..20 cold, ids 21..40 hot: replies for them may or may not arrive, more than once.
      const settled = new Map<number, number>();
      const calls: Array<Promise<void>> = [];
      for (let k = 1; k <= 20; k++) {
        calls.push(
          s.call('public/x', {}).then(
            () => void settled.set(k, (settled.get(k) ?? 0) + 1),
            (e: unknown) => {
              expect(e).toBeInstanceOf(QuoterError);
              expect((e as QuoterError).code).toMatch(/^(PROTO_ERR_VENUE|RPC_ERR_[A-Z_]+)$/);
              settled.set(k, (settled.get(k) ?? 0) + 1);
            },
          ),
        );
      }
      for (let k = 21; k <= 40; k++) {
        expect(s.nextId()).toBe(k);
        s.trackHot(k, 1, 0);
      }
      let n = 0;
      fc.assert(
        fc.property(fc.oneof(message, damaged), fc.nat(3), (text, pad) => {
          n++;
          const buf = Buffer.from(`${'{'.repeat(pad)}${text}${'}'.repeat(pad)}`);
          s.handleMessage(buf, pad, buf.length - pad);
        }),
        { numRuns: runs(CI) },
      );
      s.dispose(); // what is still in flight fails with RPC_ERR_DISCONNECTED
      await Promise.all(calls);
      for (let k = 1; k <= 20; k++) expect(settled.get(k), `call ${k}`).toBe(1);
      expect(s.inFlight).toBe(0);
      const o = s.outcomes;
      expect(o.registered).toBe(40);
      expect(o.answered + o.timedOut + o.disconnected + o.withdrawn).toBe(40);
      expect(hotReplies).toBeLessThanOrEqual(20);
      expect(bad).toEqual([]);
      expect(n).toBe(runs(CI));
      expect(strays + badFrames + unrouted).toBeGreaterThan(n / 10); // it was fed nonsense, and said so
      expect(heapAfterGc() - before).toBeLessThan(32 * 1024 * 1024);
    },
    timeoutFor(CI, 0.05),
  );
});

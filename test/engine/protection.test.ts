import { describe, expect, it } from 'vitest';
import { Protection, type ProtectionTransition } from '../../src/engine/protection.js';

function make(opts = {}) {
  const log: ProtectionTransition[] = [];
  const p = new Protection({ cooldownMs: 1000, maxTrips: 2, tripWindowMs: 10_000, ...opts }, (t) => log.push(t));
  return { p, log, path: () => log.map((t) => `${t.product}:${t.to}`) };
}

describe('Protection', () => {
  it('a refused arming backs off (100 ms, doubling, at most 5 s) while other products stay due; an ack ends the back-off', () => {
    const { p } = make();
    p.track('A');
    p.track('B');
    let t = 0;
    const waits: number[] = [];
    for (let k = 0; k < 8; k++) {
      expect(p.due(t, [])).toContain('A');
      p.arming('A');
      p.armFailed('A', 'refused', t);
      const from = t;
      while (!p.due(t, []).includes('A')) t += 10;
      waits.push(t - from);
      expect(p.due(t - 10, [])).toEqual(['B']); // B is never held back by A's failures
    }
    expect(waits).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    p.arming('A');
    p.armed('A', 5);
    p.onNotification('A', 0, 'client_cancel', t); // reset by the venue: due at once again
    expect(p.due(t, [])).toEqual(['A', 'B']);
    p.arming('A');
    p.armFailed('A', 'refused', t);
    expect(p.due(t + 99, [])).toEqual(['B']); // the back-off starts over at 100 ms
    expect(p.due(t + 100, [])).toEqual(['A', 'B']);
  });

  it('arms, trips on remaining ≤ 0, cools down, and is due for re-arming after the cool-down', () => {
    const { p, path } = make();
    p.track('FBTCUSD');
    expect(p.due(0, [])).toEqual(['FBTCUSD']);
    p.arming('FBTCUSD');
    p.armed('FBTCUSD', 5);
    expect(p.canQuote('FBTCUSD')).toBe(true);
    p.onNotification('FBTCUSD', 2, 'executions', 100);
    expect(p.canQuote('FBTCUSD')).toBe(true);
    expect(p.remaining('FBTCUSD')).toBe(2);
    p.onNotification('FBTCUSD', -0.5, 'executions', 200);
    expect(p.canQuote('FBTCUSD')).toBe(false);
    expect(p.due(1199, [])).toEqual([]);
    expect(p.due(1200, [])).toEqual(['FBTCUSD']);
    p.arming('FBTCUSD');
    p.onNotification('FBTCUSD', 5, 'refill', 1300);
    expect(p.canQuote('FBTCUSD')).toBe(true);
    expect(path()).toEqual(['FBTCUSD:arming', 'FBTCUSD:armed', 'FBTCUSD:cooling', 'FBTCUSD:arming', 'FBTCUSD:armed']);
  });

  it('trips on a quote deleted by protection, per product only', () => {
    const { p } = make();
    for (const prod of ['FBTCUSD', 'FETHUSD']) {
      p.arming(prod);
      p.armed(prod, 1);
    }
    p.onQuoteDeletedByProtection('FETHUSD', 0);
    expect(p.state('FETHUSD')).toBe('cooling');
    expect(p.canQuote('FBTCUSD')).toBe(true);
  });

  it('disarms after too many trips in the window until a human enables it', () => {
    const { p } = make();
    for (let i = 0; i < 3; i++) {
      p.arming('X');
      p.armed('X', 1);
      p.onNotification('X', 0, 'executions', i * 2000);
    }
    expect(p.state('X')).toBe('disarmed');
    expect(p.due(1e9, [])).toEqual([]);
    p.armed('X', 1); // a late ack changes nothing
    expect(p.state('X')).toBe('disarmed');
    p.enable('X');
    expect(p.due(1e9, [])).toEqual(['X']);
  });

  it('trips outside the window do not add up', () => {
    const { p } = make();
    for (let i = 0; i < 5; i++) {
      p.arming('X');
      p.armed('X', 1);
      p.onNotification('X', 0, 'executions', i * 20_000);
    }
    expect(p.state('X')).toBe('cooling');
  });

  it('cancel-all and session end reset groups, so quoting re-arms first', () => {
    const { p } = make();
    p.arming('A');
    p.armed('A', 1);
    p.arming('B');
    p.armed('B', 1);
    p.onCancelAll('A');
    expect(p.state('A')).toBe('unset');
    expect(p.canQuote('B')).toBe(true);
    p.onSessionEnd();
    expect(p.state('B')).toBe('unset');
    p.arming('A');
    p.armed('A', 1);
    p.onNotification('A', 0, 'client_cancel', 0);
    expect(p.state('A')).toBe('unset');
  });

  it('a cooling product stays cooling through session end, cancel-all and the venue\'s reset notices, until the cool-down is over', () => {
    const { p } = make({ cooldownMs: 1000 });
    p.arming('A');
    p.armed('A', 1);
    p.onNotification('A', 0, 'executions', 100); // trip: cooling until 1100
    for (const reset of [() => p.onSessionEnd(), () => p.onCancelAll(), () => p.onCancelAll('A'), () => p.onNotification('A', 0, 'session_end', 200), () => p.onNotification('A', 0, 'client_cancel', 200), () => p.onNotification('A', 1, 'refill', 200)]) {
      reset();
      expect(p.state('A')).toBe('cooling');
    }
    expect(p.due(1099, [])).toEqual([]);
    expect(p.mayArm('A', 1099)).toBe(false);
    expect(p.mayArm('A', 1100)).toBe(true);
    expect(p.due(1100, [])).toEqual(['A']);
    // Disarmed stays disarmed too; unset and armed groups are reset as before.
    expect(p.mayArm('B', 0)).toBe(true);
  });

  it('trips separated by session ends still count toward disarming', () => {
    const { p } = make({ cooldownMs: 1000, maxTrips: 2, tripWindowMs: 10_000 });
    for (let i = 0; i < 3; i++) {
      const t = i * 1000;
      expect(p.mayArm('X', t)).toBe(true);
      p.arming('X');
      p.armed('X', 1);
      p.onQuoteDeletedByProtection('X', t);
      p.onSessionEnd();
    }
    expect(p.state('X')).toBe('disarmed');
    expect(p.mayArm('X', 1e9)).toBe(false);
  });
});

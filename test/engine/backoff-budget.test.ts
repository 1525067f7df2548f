import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/engine/backoff.js';
import { SendBudget } from '../../src/engine/send-budget.js';

describe('Backoff', () => {
  it('grows exponentially within [nominal/2, nominal], capped, and resets', () => {
    const lo = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    const hi = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
    const a = [1, 2, 3, 4, 5, 6].map(() => lo.next());
    const b = [1, 2, 3, 4, 5, 6].map(() => hi.next());
    expect(a).toEqual([50, 100, 200, 400, 500, 500]);
    b.forEach((v, i) => expect(v).toBeCloseTo([100, 200, 400, 800, 1000, 1000][i]!, 2));
    lo.reset();
    expect(lo.attempt).toBe(0);
    expect(lo.next()).toBe(50);
  });

  it('rejects nonsense settings', () => {
    expect(() => new Backoff({ initialMs: 0 })).toThrow(expect.objectContaining({ code: 'ENGINE_ERR_ARGUMENT' }));
    expect(() => new Backoff({ initialMs: 10, maxMs: 5 })).toThrow(expect.objectContaining({ code: 'ENGINE_ERR_ARGUMENT' }));
  });
});

describe('SendBudget', () => {
  it('allows the granted rate (times the safety fraction) and no more', () => {
    const budget = new SendBudget({ messageRate: 100, fraction: 0.5 }, 0);
    let sent = 0;
    // One simulated second in 1 ms steps: burst of 50 plus 50 refilled.
    for (let t = 0; t <= 1000; t++) while (budget.tryTake(t)) sent++;
    expect(sent).toBeGreaterThanOrEqual(99);
    expect(sent).toBeLessThanOrEqual(101);
  });

  it('says how long to wait when empty', () => {
    const budget = new SendBudget({ messageRate: 10, fraction: 1, burstSeconds: 0.1 }, 0);
    expect(budget.tryTake(0)).toBe(true);
    expect(budget.tryTake(0)).toBe(false);
    expect(budget.waitMs(0)).toBeCloseTo(100, 5);
    expect(budget.tryTake(100)).toBe(true);
  });

  it('halves the rate on throttle and recovers to the full rate', () => {
    const budget = new SendBudget({ messageRate: 100, fraction: 1, recoverySeconds: 2 }, 0);
    budget.onThrottled(0);
    expect(budget.rate).toBe(50);
    expect(budget.tryTake(0)).toBe(false);
    budget.onThrottled(0);
    expect(budget.rate).toBe(25);
    budget.tryTake(10_000);
    expect(budget.rate).toBe(100);
  });

  it('spend() counts messages that go out anyway: the bucket goes into debt, at most one bucket deep, and refills from there', () => {
    const b = new SendBudget({ messageRate: 100, fraction: 1 }, 0); // 100 tokens, 100 per second
    b.spend(0, 30);
    expect(b.tokens).toBe(70);
    b.spend(0, 500);
    expect(b.tokens).toBe(-100);
    expect(b.tryTake(0)).toBe(false);
    expect(b.waitMs(0)).toBeCloseTo(1010, 6); // 101 tokens to earn at 100 per second
    expect(b.tryTake(1011)).toBe(true);
  });

  it('reserve(n): quotes leave the next n tokens to the reserved requests, each of which takes one reservation with its token', () => {
    const b = new SendBudget({ messageRate: 10, fraction: 1, burstSeconds: 0.3 }, 0); // 3 tokens, 10 per second
    b.reserve(2);
    expect(b.tryTake(0)).toBe(true); // 3 tokens: one beyond the 2 reserved
    expect(b.tryTake(0)).toBe(false); // 2 left, both reserved
    expect(b.waitMs(0)).toBeCloseTo(100, 6); // a third token: 1 at 10 per second
    expect(b.tryTakeReserved(0)).toBe(true);
    expect(b.reserved).toBe(1);
    expect(b.tryTake(0)).toBe(false);
    expect(b.tryTakeReserved(0)).toBe(true);
    expect(b.reserved).toBe(0);
    expect(b.tryTakeReserved(0)).toBe(false); // no token at all: a reserved request waits too
    expect(b.tryTake(100)).toBe(true); // reservations used up: quotes take every token again
    b.reserve(5);
    expect(b.tryTake(10_000)).toBe(false); // a full bucket (3) does not cover 1 + 5
    b.reserve(0);
    expect(b.tryTake(10_000)).toBe(true);
  });

  it('refuses a non-positive rate', () => {
    expect(() => new SendBudget({ messageRate: 0 }, 0)).toThrow(expect.objectContaining({ code: 'ENGINE_ERR_ARGUMENT' }));
    expect(() => new SendBudget({ messageRate: Number.NaN }, 0)).toThrow(expect.objectContaining({ code: 'ENGINE_ERR_ARGUMENT' }));
  });
});

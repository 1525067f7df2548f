import { describe, expect, it } from 'vitest';
import { ASK, BID, LiveQuotes, SIDE_KEEP, SIDE_SEND } from '../../src/engine/live-quotes.js';

const f = (...v: number[]) => Float64Array.from(v);

describe('LiveQuotes', () => {
  it('starts with nothing live: levels are sent, an empty side needs nothing', () => {
    const q = new LiveQuotes(2);
    expect(q.diff(0, BID, f(100), f(1), 1, 0)).toBe(SIDE_SEND);
    expect(q.diff(0, ASK, f(), f(), 0, 0)).toBe(SIDE_KEEP);
    expect(q.hasLive(0)).toBe(false);
  });

  it('an unknown side (partly filled, refused) is always sent, `[]` included, so a pull deletes what may remain', () => {
    const q = new LiveQuotes(1);
    q.commit(0, BID, f(100), f(1), 1);
    q.forget(0, BID);
    expect(q.count(0, BID)).toBe(-1);
    expect(q.hasLive(0)).toBe(true); // the stale scan must still look at it
    expect(q.diff(0, BID, f(), f(), 0, 0)).toBe(SIDE_SEND);
    expect(q.diff(0, BID, f(100), f(1), 1, 0)).toBe(SIDE_SEND);
    // Known empty (the venue deleted everything): nothing to send for an empty side.
    q.clearInstrument(0);
    expect(q.diff(0, BID, f(), f(), 0, 0)).toBe(SIDE_KEEP);
    expect(q.hasLive(0)).toBe(false);
  });

  it('counts an unknown side as the larger of its last two sends (a refused replacement leaves the older one)', () => {
    const q = new LiveQuotes(2);
    q.commit(0, BID, f(100), f(0.5), 1);
    q.commit(0, BID, f(101), f(0.2), 1);
    q.commit(0, ASK, f(102), f(0.3), 1);
    expect(q.totalExposure).toBeCloseTo(0.5, 12);
    q.forget(0, ASK); // partly filled: at most what was sent remains
    expect(q.sideExposure(0, ASK)).toBeCloseTo(0.3, 12);
    q.forgetInstrument(0); // refused: the venue may still hold the 0.5 bid
    expect(q.sideExposure(0, BID)).toBeCloseTo(0.5, 12);
    expect(q.exposure(0)).toBeCloseTo(0.8, 12);
    expect(q.totalExposure).toBeCloseTo(0.8, 12);
    q.commit(0, BID, f(101), f(0.1), 1);
    expect(q.sideExposure(0, BID)).toBeCloseTo(0.1, 12);
    q.clearAll();
    expect(q.totalExposure).toBe(0);
    q.forget(0, BID); // nothing was sent in this session: nothing to count
    expect(q.totalExposure).toBe(0);
  });

  it('keeps an identical side (queue priority) and sends any change', () => {
    const q = new LiveQuotes(1);
    q.commit(0, BID, f(100, 99), f(1, 2), 2);
    expect(q.diff(0, BID, f(100, 99), f(1, 2), 2, 0)).toBe(SIDE_KEEP);
    expect(q.diff(0, BID, f(100, 98), f(1, 2), 2, 0)).toBe(SIDE_SEND);
    expect(q.diff(0, BID, f(100, 99), f(1, 3), 2, 0)).toBe(SIDE_SEND);
    expect(q.diff(0, BID, f(100), f(1), 1, 0)).toBe(SIDE_SEND);
    // Removing all levels of a live side must be sent (as `[]`).
    expect(q.diff(0, BID, f(), f(), 0, 0)).toBe(SIDE_SEND);
  });

  it('skips price moves below the threshold but never amount changes', () => {
    const q = new LiveQuotes(1);
    q.commit(0, ASK, f(100), f(1), 1);
    expect(q.diff(0, ASK, f(101), f(1), 1, 2)).toBe(SIDE_KEEP);
    expect(q.diff(0, ASK, f(98), f(1), 1, 2)).toBe(SIDE_SEND);
    expect(q.diff(0, ASK, f(100), f(0.5), 1, 2)).toBe(SIDE_SEND);
  });

  it('keeps the live exposure per instrument and in total', () => {
    const q = new LiveQuotes(2);
    q.commit(0, BID, f(1, 2), f(0.1, 0.2), 2);
    q.commit(1, ASK, f(3), f(0.5), 1);
    expect(q.exposure(0)).toBeCloseTo(0.3, 12);
    expect(q.totalExposure).toBeCloseTo(0.8, 12);
    q.commit(0, BID, f(), f(), 0);
    expect(q.totalExposure).toBeCloseTo(0.5, 12);
    q.clearAll();
    expect(q.totalExposure).toBe(0);
  });

  it('forgets sides the venue deleted, so they are sent again', () => {
    const q = new LiveQuotes(3);
    q.commit(1, BID, f(5), f(1), 1);
    q.commit(1, ASK, f(6), f(1), 1);
    expect(q.hasLive(1)).toBe(true);
    q.forget(1, BID);
    expect(q.diff(1, BID, f(5), f(1), 1, 0)).toBe(SIDE_SEND);
    expect(q.diff(1, ASK, f(6), f(1), 1, 0)).toBe(SIDE_KEEP);
    q.clearAll();
    expect(q.hasLive(1)).toBe(false);
    expect(q.count(1, ASK)).toBe(0);
  });
});

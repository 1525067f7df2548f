import { describe, expect, it } from 'vitest';
import { HotTable } from '../../src/rpc/hot-table.js';

describe('HotTable', () => {
  it('tracks, finds and releases ids', () => {
    const t = new HotTable(8);
    expect(t.add(5, 1, 100, 200)).toBe(true);
    const s = t.find(5);
    expect(s).toBeGreaterThanOrEqual(0);
    expect([t.tagAt(s), t.sentAt(s), t.deadlineAt(s), t.size]).toEqual([1, 100, 200, 1]);
    expect(t.find(13)).toBe(-1); // same slot, other id
    t.release(s);
    expect(t.size).toBe(0);
    expect(t.find(5)).toBe(-1);
  });

  it('refuses a slot still taken by an older request (table full)', () => {
    const t = new HotTable(4);
    for (let id = 1; id <= 4; id++) expect(t.add(id, 0, 0, 0)).toBe(true);
    expect(t.add(5, 0, 0, 0)).toBe(false);
    t.release(t.find(1));
    expect(t.add(5, 0, 0, 0)).toBe(true);
  });

  it('keeps ids above 2^31 exact', () => {
    const t = new HotTable(16);
    const id = 2 ** 40 + 3;
    expect(t.add(id, 2, 0, 0)).toBe(true);
    expect(t.idAt(t.find(id))).toBe(id);
  });

  it('rejects capacities that are not powers of two', () => {
    expect(() => new HotTable(12)).toThrow(expect.objectContaining({ code: 'RPC_ERR_CONFIG' }));
  });
});

describe('HotTable, a reply with id 0', () => {
  it('finds no slot (0 marks a free slot; ids start at 1)', () => {
    const t = new HotTable(8);
    expect(t.find(0)).toBe(-1);
    t.add(8, 1, 0, 100); // lands in slot 0
    expect(t.find(0)).toBe(-1);
    expect(t.find(8)).toBe(0);
  });
});

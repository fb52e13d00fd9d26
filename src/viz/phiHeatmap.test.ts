import { describe, expect, it } from 'vitest';
import { phiTicks } from './phiHeatmap';

describe('phiTicks', () => {
  it('labels every index when they fit, else about max of them with 1 and n', () => {
    expect(phiTicks(8, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const t = phiTicks(64, 10);
    expect(t[0]).toBe(1);
    expect(t[t.length - 1]).toBe(64);
    expect(t.length).toBeLessThanOrEqual(12);
    expect([...t].sort((a, b) => a - b)).toEqual(t);
    expect(new Set(t).size).toBe(t.length);
    expect(phiTicks(1, 4)).toEqual([1]);
  });
});

import { describe, expect, it } from 'vitest';
import { fullCount, loraBreakEvenRank, loraCount } from './counts';

describe('when factors save numbers', () => {
  it('break-even rank: the largest r with r·(m + n) < m·n', () => {
    for (const [m, n] of [
      [3, 3],
      [1, 5],
      [2, 2],
      [4, 6],
      [768, 768],
      [4096, 11008],
    ]) {
      const r = loraBreakEvenRank(m, n);
      if (r > 0) expect(loraCount(m, n, r)).toBeLessThan(fullCount(m, n));
      expect(loraCount(m, n, r + 1)).toBeGreaterThanOrEqual(fullCount(m, n));
    }
    expect(loraBreakEvenRank(3, 3)).toBe(1); // 6 < 9, but 12 > 9
    expect(loraBreakEvenRank(2, 2)).toBe(0); // 4 = 4: rank 1 saves nothing
    expect(loraBreakEvenRank(768, 768)).toBe(383);
  });
});

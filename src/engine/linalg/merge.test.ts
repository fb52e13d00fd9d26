import { describe, expect, it } from 'vitest';
import { matmul, maxAbsDiff, type Mat } from './dense';
import { fullCount, loraCount, mergedCost, unmergedCost } from './counts';
import { formatInt, formatNum, formatPercent } from './format';
import { loraScaling, mergeWeights, mergedForward, unmergedForward } from './merge';
import { lowRankPlusNoise } from './presets';

const W0: Mat = [
  [2, 4, 6],
  [3, 6, 9],
  [4, 8, 12],
];
const B: Mat = [[2.1], [3.3], [4.8]]; // the worked example's tall factor (some texts' "A")
const A: Mat = [[1.0, 2.2, 3.6]]; // its wide factor (some texts' "B")
const fmt = (m: Mat) => m.map((row) => row.map((v) => formatNum(v)).join(' ')).join(' / ');

describe('the worked merge example, exactly (formatted)', () => {
  it('product B·A', () => {
    expect(fmt(matmul(B, A))).toBe('2.1 4.62 7.56 / 3.3 7.26 11.88 / 4.8 10.56 17.28');
  });
  it('W0 + s·B·A with s = α/r = 1/1', () => {
    const s = loraScaling(1, 1);
    expect(s).toBe(1);
    expect(fmt(mergeWeights(W0, B, A, s))).toBe('4.1 8.62 13.56 / 6.3 13.26 20.88 / 8.8 18.56 29.28');
  });
});

describe('merge equivalence', () => {
  it('W0·x + s·B·(A·x) = (W0 + s·B·A)·x for the worked example', () => {
    const x = [1, -2, 0.5];
    const d = unmergedForward(W0, B, A, 1, x).map((v, i) => v - mergedForward(W0, B, A, 1, x)[i]);
    expect(Math.max(...d.map(Math.abs))).toBeLessThan(1e-12);
  });
  it('holds for random layers, ranks and scalings (incl. rsLoRA)', () => {
    for (const [dOut, dIn, r, alpha, rs] of [
      [5, 7, 2, 16, false],
      [8, 3, 3, 4, true],
      [6, 6, 4, 1, false],
    ] as const) {
      const W = lowRankPlusNoise(Math.max(dOut, dIn), 3, 0.5, dOut)
        .slice(0, dOut)
        .map((row) => row.slice(0, dIn));
      const b = lowRankPlusNoise(Math.max(dOut, r), r, 0.2, 11)
        .slice(0, dOut)
        .map((row) => row.slice(0, r));
      const a = lowRankPlusNoise(Math.max(dIn, r), r, 0.2, 12)
        .slice(0, r)
        .map((row) => row.slice(0, dIn));
      const x = lowRankPlusNoise(dIn, 1, 0.3, 13).map((row) => row[0]);
      const s = loraScaling(alpha, r, rs);
      const u = unmergedForward(W, b, a, s, x);
      const m = mergedForward(W, b, a, s, x);
      expect(maxAbsDiff([u], [m])).toBeLessThan(1e-10);
    }
  });
  it('scaling: α/r and α/√r', () => {
    expect(loraScaling(16, 8)).toBe(2);
    expect(loraScaling(16, 4, true)).toBe(8);
  });
});

describe('counts and costs', () => {
  it('seed: 9 vs 6 numbers', () => {
    expect(fullCount(3, 3)).toBe(9);
    expect(loraCount(3, 3, 1)).toBe(6);
  });
  it('4096×4096 at r = 8: 65,536 of 16,777,216 = 0.39 %', () => {
    expect(formatInt(loraCount(4096, 4096, 8))).toBe('65,536');
    expect(formatInt(fullCount(4096, 4096))).toBe('16,777,216');
    expect(formatPercent(loraCount(4096, 4096, 8) / fullCount(4096, 4096))).toBe('0.39 %');
    expect(formatPercent(6 / 9)).toBe('66.7 %');
  });
  it('merged vs unmerged FLOPs and storage', () => {
    expect(mergedCost(4096, 4096)).toEqual({ flops: 33_554_432, stored: 16_777_216 });
    // extra: 2·8·4096 (A·x) + 2·4096·8 (B·…) + 2·4096 (scale, add)
    expect(unmergedCost(4096, 4096, 8)).toEqual({
      flops: 33_554_432 + 65_536 + 65_536 + 8_192,
      stored: 16_777_216 + 65_536,
    });
    expect(unmergedCost(3, 3, 1)).toEqual({ flops: 18 + 6 + 6 + 6, stored: 15 });
  });
});

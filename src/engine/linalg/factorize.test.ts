import { describe, expect, it } from 'vitest';
import { matmul, maxAbsDiff, type Mat } from './dense';
import { crFactorization, factorAtRank } from './factorize';
import { lowRankPlusNoise } from './presets';
import { thinSvd, truncate } from './svd';

const SEED_W: Mat = [
  [2, 4, 6],
  [3, 6, 9],
  [4, 8, 12],
];

describe('factorAtRank', () => {
  it('gives exactly [2;3;4]·[1 2 3] (B tall, A wide)', () => {
    const f = factorAtRank(SEED_W, 1);
    expect(f.method).toBe('cr');
    expect(f.B).toEqual([[2], [3], [4]]);
    expect(f.A).toEqual([[1, 2, 3]]);
    expect(f.product).toEqual(SEED_W);
    expect(f.maxError).toBe(0);
  });
  it('pads with zero columns when r exceeds the rank, still exact', () => {
    const f = factorAtRank(SEED_W, 3);
    expect(f.B).toEqual([
      [2, 0, 0],
      [3, 0, 0],
      [4, 0, 0],
    ]);
    expect(f.A).toHaveLength(3);
    expect(f.maxError).toBe(0);
  });
  it('after editing a cell, rank 2: r = 1 no longer reproduces W, r = 2 does', () => {
    const W = SEED_W.map((row) => row.slice());
    W[1][1] = 7;
    const one = factorAtRank(W, 1);
    expect(one.rank).toBe(2);
    expect(one.method).toBe('svd-truncated');
    expect(one.maxError).toBeGreaterThan(0.1);
    // The truncation is the best rank-1 matrix: its error is σ₂ (σ₃ = 0).
    expect(one.froError).toBeCloseTo(thinSvd(W).sigma[1], 10);
    const two = factorAtRank(W, 2);
    expect(two.method).toBe('cr');
    expect(two.maxError).toBeLessThan(1e-12);
  });
  it('reproduces random low-rank matrices of many shapes at their rank', () => {
    for (const [m, n, r] of [
      [6, 4, 2],
      [4, 6, 3],
      [8, 8, 5],
      [5, 5, 5],
      [3, 7, 1],
    ]) {
      const W = lowRankPlusNoise(Math.max(m, n), r, 0, m * 10 + n)
        .slice(0, m)
        .map((row) => row.slice(0, n));
      const f = factorAtRank(W, r);
      expect(f.rank).toBe(r);
      expect(f.B[0]).toHaveLength(r);
      expect(f.A).toHaveLength(r);
      expect(maxAbsDiff(matmul(f.B, f.A), W)).toBeLessThan(1e-9);
    }
  });
  it('for r < rank matches the SVD truncation', () => {
    const W = lowRankPlusNoise(6, 4, 0.1, 3);
    const f = factorAtRank(W, 2);
    expect(maxAbsDiff(f.product, truncate(thinSvd(W), 2))).toBeLessThan(1e-12);
  });
  it('handles the zero matrix (rank 0)', () => {
    const f = factorAtRank(
      [
        [0, 0],
        [0, 0],
      ],
      1,
    );
    expect(f.rank).toBe(0);
    expect(f.maxError).toBe(0);
  });
});

describe('crFactorization', () => {
  it('picks the pivot columns of W', () => {
    const W = [
      [1, 2, 1],
      [2, 4, 0],
      [3, 6, 1],
    ];
    const cr = crFactorization(W, 1e-12);
    expect(cr.pivots).toEqual([0, 2]);
    expect(cr.B).toEqual([
      [1, 1],
      [2, 0],
      [3, 1],
    ]);
    expect(maxAbsDiff(matmul(cr.B, cr.A), W)).toBeLessThan(1e-12);
  });
});

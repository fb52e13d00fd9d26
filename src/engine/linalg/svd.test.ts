import { describe, expect, it } from 'vitest';
import { matmul, maxAbsDiff, frobenius, sub, transpose, type Mat } from './dense';
import { eckartYoung, numericalRank, thinSvd, truncate } from './svd';
import { lowRankPlusNoise, proceduralImage } from './presets';

const SEED_W: Mat = [
  [2, 4, 6],
  [3, 6, 9],
  [4, 8, 12],
];

function identityError(Q: Mat): number {
  const QtQ = matmul(transpose(Q), Q);
  return maxAbsDiff(
    QtQ,
    QtQ.map((row, i) => row.map((_, j) => (i === j ? 1 : 0))),
  );
}

describe('numerical rank', () => {
  it('finds rank 1 for the seed matrix, with numpy’s tolerance', () => {
    const r = numericalRank(SEED_W);
    expect(r.rank).toBe(1);
    // σ_max = √(29·14) = ‖[2;3;4]‖·‖[1 2 3]‖; tol = 3·σ_max·ε.
    expect(r.sigma[0]).toBeCloseTo(Math.sqrt(29 * 14), 12);
    expect(r.tol).toBeCloseTo(3 * Math.sqrt(29 * 14) * Number.EPSILON, 25);
  });
  it('rises to 2 when one cell changes', () => {
    const W = SEED_W.map((row) => row.slice());
    W[2][2] = 13;
    expect(numericalRank(W).rank).toBe(2);
  });
  it('handles identity, zero and wide matrices', () => {
    expect(
      numericalRank([
        [1, 0],
        [0, 1],
      ]).rank,
    ).toBe(2);
    expect(
      numericalRank([
        [0, 0],
        [0, 0],
      ]).rank,
    ).toBe(0);
    expect(
      numericalRank([
        [1, 2, 3, 4],
        [2, 4, 6, 8],
      ]).rank,
    ).toBe(1);
    expect(
      numericalRank([
        [1, 2, 3, 4],
        [2, 4, 6, 9],
      ]).rank,
    ).toBe(2);
  });
});

describe('thin SVD properties', () => {
  const cases: [string, Mat][] = [
    ['square noise 32×32', lowRankPlusNoise(32, 4, 0.05, 7)],
    ['tall 7×4', lowRankPlusNoise(7, 3, 0.1, 1).map((row) => row.slice(0, 4))],
    ['wide 4×7', lowRankPlusNoise(7, 3, 0.1, 2).slice(0, 4)],
    ['image 64×64', proceduralImage(64)],
  ];
  for (const [name, W] of cases) {
    it(`${name}: orthonormal U and V, σ descending ≥ 0, U·Σ·Vᵀ = W`, () => {
      const { U, sigma, V } = thinSvd(W);
      const p = Math.min(W.length, W[0].length);
      expect(sigma).toHaveLength(p);
      expect(U[0]).toHaveLength(p);
      expect(V[0]).toHaveLength(p);
      expect(identityError(U)).toBeLessThan(1e-10);
      expect(identityError(V)).toBeLessThan(1e-10);
      for (let i = 0; i < p; i++) {
        expect(sigma[i]).toBeGreaterThanOrEqual(0);
        if (i > 0) expect(sigma[i]).toBeLessThanOrEqual(sigma[i - 1]);
      }
      expect(maxAbsDiff(truncate({ U, sigma, V }, p), W)).toBeLessThan(1e-10);
    });
  }
});

describe('Eckart–Young', () => {
  const W = lowRankPlusNoise(48, 5, 0.1, 42);
  const svd = thinSvd(W);
  for (const k of [0, 1, 3, 5, 10, 47, 48]) {
    it(`k = ${k}: ‖W − W_k‖_F² equals the sum of the dropped σ² (1e-9 relative)`, () => {
      const err = frobenius(sub(W, truncate(svd, k)));
      const ey = eckartYoung(svd.sigma, k);
      const scaleRef = Math.max(ey.droppedSigmaSq, 1e-12 * ey.totalSigmaSq);
      expect(Math.abs(err * err - ey.droppedSigmaSq) / scaleRef).toBeLessThan(1e-9);
      expect(ey.totalSigmaSq).toBeCloseTo(frobenius(W) ** 2, 8);
    });
  }
  it('energy kept grows with k and reaches 1', () => {
    const e = [1, 2, 5, 20, 48].map((k) => eckartYoung(svd.sigma, k).energyKept);
    for (let i = 1; i < e.length; i++) expect(e[i]).toBeGreaterThan(e[i - 1]);
    expect(e[e.length - 1]).toBeCloseTo(1, 12);
  });
  it('the truncation beats another rank-k matrix (a random rank-3 one, and the rank-3 part of the noise-free matrix)', () => {
    const k = 3;
    const best = frobenius(sub(W, truncate(svd, k)));
    const other = matmul(
      lowRankPlusNoise(48, 3, 0, 9).map((r) => r.slice(0, 3)),
      lowRankPlusNoise(48, 3, 0, 10).slice(0, 3),
    );
    expect(best).toBeLessThan(frobenius(sub(W, other)));
  });
});

describe('presets', () => {
  it('are deterministic per seed and differ between seeds', () => {
    expect(lowRankPlusNoise(8, 2, 0.1, 3)).toEqual(lowRankPlusNoise(8, 2, 0.1, 3));
    expect(lowRankPlusNoise(8, 2, 0.1, 3)).not.toEqual(lowRankPlusNoise(8, 2, 0.1, 4));
  });
  it('without noise have exactly the requested rank', () => {
    expect(numericalRank(lowRankPlusNoise(32, 4, 0, 1)).rank).toBe(4);
  });
  it('the image is 64×64 in [0, 1] and not low rank', () => {
    const img = proceduralImage(64);
    expect(img).toHaveLength(64);
    expect(img.flat().every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(numericalRank(img).rank).toBeGreaterThan(10);
  });
});

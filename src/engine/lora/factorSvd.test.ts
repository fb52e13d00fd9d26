import { Matrix, QrDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { lowRankDifferenceNorm, lowRankSvd, thinQr, applyQ, truncateLowRank } from './factorSvd';
import { frobenius, matmulHost, svdHost } from './hostMath';

function factors(seed: number, dOut: number, r: number, dIn: number) {
  const rng = new Rng(seed);
  return {
    B: { shape: [dOut, r], data: rng.normalArray(dOut * r, 1) },
    A: { shape: [r, dIn], data: rng.normalArray(r * dIn, 1) },
  };
}

const dense = (
  B: { data: ArrayLike<number> },
  A: { data: ArrayLike<number> },
  s: number,
  m: number,
  r: number,
  n: number,
) => matmulHost(B.data, A.data, m, r, n).map((v) => v * s);

describe('thin Householder QR', () => {
  it('X = Q·R with orthonormal Q, and RᵀR equals ml-matrix’s (R is unique up to row signs)', () => {
    const m = 9;
    const n = 4;
    const rng = new Rng(3);
    const rows = Array.from({ length: m }, () => Array.from({ length: n }, () => rng.normal()));
    const col = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) col[j * m + i] = rows[i][j];
    const qr = thinQr(col, m, n);
    const eye = new Float64Array(n * n).map((_, i) => (i % (n + 1) === 0 ? 1 : 0));
    const Q = applyQ(qr, eye, n); // [m, n] column-major
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += Q[a * m + i] * Q[b * m + i];
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let v = 0;
        for (let t = 0; t < n; t++) v += Q[t * m + i] * qr.R[t * n + j];
        expect(v).toBeCloseTo(rows[i][j], 12);
      }
    const ref = new QrDecomposition(new Matrix(rows)).upperTriangularMatrix;
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        let mine = 0;
        let theirs = 0;
        for (let t = 0; t < n; t++) {
          mine += qr.R[t * n + a] * qr.R[t * n + b];
          theirs += ref.get(t, a) * ref.get(t, b);
        }
        expect(mine).toBeCloseTo(theirs, 10);
      }
  });
});

describe('SVD of s·B·A from the factors', () => {
  it('matches the dense SVD of ΔW, for tall, wide and r > d shapes', () => {
    for (const [m, r, n, s] of [
      [12, 3, 7, 0.5],
      [5, 4, 20, 2],
      [6, 9, 4, 1.25], // r larger than both dims: at most min(d) singular values
    ]) {
      const { A, B } = factors(m + n, m, r, n);
      const { sigma, frobenius: fro } = lowRankSvd(B, A, s);
      const d = dense(B, A, s, m, r, n);
      const ref = svdHost(d, m, n).S;
      expect(sigma.length).toBe(Math.min(r, m, n));
      for (let i = 0; i < sigma.length; i++) expect(sigma[i]).toBeCloseTo(ref[i], 10);
      expect(fro).toBeCloseTo(frobenius(d), 10);
    }
  });

  it('a rank-3 ΔW stored at r = 8 has 3 non-zero singular values', () => {
    const rng = new Rng(5);
    const m = 30;
    const n = 20;
    const B3 = rng.normalArray(m * 3, 1);
    const mix = rng.normalArray(3 * 8, 1);
    const B = { shape: [m, 8], data: Float64Array.from(matmulHost(B3, mix, m, 3, 8)) };
    const A = { shape: [8, n], data: rng.normalArray(8 * n, 1) };
    const { sigma } = lowRankSvd(B, A, 1);
    expect(sigma.filter((v) => v > 1e-10 * sigma[0]).length).toBe(3);
  });

  it('truncation: B′·A′ is the best rank-k approximation and the error is √(Σ dropped σ²)', () => {
    const m = 14;
    const r = 6;
    const n = 11;
    const { A, B } = factors(9, m, r, n);
    const target = dense(B, A, 0.75, m, r, n);
    const ref = svdHost(target, m, n).S;
    for (const k of [1, 3, 6, 9]) {
      const t = truncateLowRank(B, A, 0.75, k);
      expect(t.k).toBe(Math.min(k, r));
      const approx = matmulHost(t.B, t.A, m, t.k, n);
      const err = frobenius(target.map((v, i) => v - approx[i]));
      const dropped = Math.sqrt(Array.from(ref.slice(t.k)).reduce((a, v) => a + v * v, 0));
      expect(t.droppedNorm).toBeCloseTo(dropped, 10);
      expect(Math.abs(err - dropped)).toBeLessThan(1e-5 * ref[0]);
      const measured = lowRankDifferenceNorm(
        B,
        A,
        0.75,
        { shape: [m, t.k], data: t.B },
        { shape: [t.k, n], data: t.A },
      );
      expect(Math.abs(measured - err)).toBeLessThan(1e-6 * ref[0]);
    }
  });

  it('zero factors give zero singular values without dividing by zero', () => {
    const B = { shape: [4, 2], data: new Float32Array(8) };
    const A = { shape: [2, 3], data: new Float32Array(6).fill(1) };
    const { sigma, frobenius: fro } = lowRankSvd(B, A, 1);
    expect(Array.from(sigma)).toEqual([0, 0]);
    expect(fro).toBe(0);
    const t = truncateLowRank(B, A, 1, 1);
    expect(Array.from(t.B).every((v) => v === 0)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { thinSvd } from '../linalg/svd';
import { Rng } from '../rng';
import { randomDirections } from './amplification';
import { rightSingular, topSingularValues, viewOf } from './linalg';

const random = (rows: number, cols: number, rng: Rng) => ({
  shape: [rows, cols],
  data: Float32Array.from({ length: rows * cols }, () => rng.normal()),
});
const rowsOf = (t: { shape: number[]; data: Float32Array }) =>
  Array.from({ length: t.shape[0] }, (_, i) => Array.from(t.data.subarray(i * t.shape[1], (i + 1) * t.shape[1])));

describe('paper linalg helpers', () => {
  it('topSingularValues equals the full SVD’s leading values, for a few (r = 3) or many (r = 30), tall or wide', () => {
    const rng = new Rng(1);
    for (const [m, n] of [
      [60, 200],
      [200, 60],
    ]) {
      const W = random(m, n, rng);
      const ref = thinSvd(rowsOf(W)).sigma;
      for (const r of [3, 30]) {
        const got = topSingularValues(viewOf(W), r);
        expect(got).toHaveLength(r);
        got.forEach((s, i) => expect(s).toBeCloseTo(ref[i], 6));
      }
    }
  });

  it('topSingularValues on a spectrum with a tight cluster at the top still gets the leading energy', () => {
    const m = 80;
    const n = 50;
    const P = randomDirections(m, n, new Rng(2));
    const Q = randomDirections(n, n, new Rng(3));
    const sigma = Array.from({ length: n }, (_, i) => (i < 10 ? 5 - 1e-4 * i : 1 / (i + 1)));
    const W = { shape: [m, n], data: new Float32Array(m * n) };
    for (let k = 0; k < n; k++)
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W.data[i * n + j] += sigma[k] * P.get(i, k) * Q.get(j, k);
    const got = topSingularValues(viewOf(W), 4);
    const energy = got.reduce((s, x) => s + x * x, 0);
    expect(energy).toBeCloseTo(
      sigma.slice(0, 4).reduce((s, x) => s + x * x, 0),
      4,
    );
  });

  it('rightSingular: orthonormal V whose σ match the SVD, for r ≤ d_in and r > d_in', () => {
    const rng = new Rng(4);
    for (const [r, d] of [
      [5, 30],
      [7, 4],
    ]) {
      const A = random(r, d, rng);
      const { V, sigma } = rightSingular(viewOf(A));
      const p = Math.min(r, d);
      expect([V.rows, V.columns]).toEqual([d, p]);
      const gramV = V.transpose().mmul(V);
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) expect(gramV.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 10);
      thinSvd(rowsOf(A)).sigma.forEach((s, i) => expect(sigma[i]).toBeCloseTo(s, 8));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { deltaWView, fullDeltaWView } from './deltaW';

function randomFactors(r: number, dIn: number, dOut: number, seed: number) {
  const rng = new Rng(seed);
  const A = Float32Array.from({ length: r * dIn }, () => rng.next() * 2 - 1);
  const B = Float32Array.from({ length: dOut * r }, () => rng.next() * 2 - 1);
  return { A: { shape: [r, dIn], data: A }, B: { shape: [dOut, r], data: B }, r, alpha: 2 * r, scaling: 2 };
}

describe('deltaWView', () => {
  it('computes ΔW = s·B·A and shows that its rank is at most r', () => {
    const w = randomFactors(3, 20, 12, 7);
    const v = deltaWView('m', w);
    expect(v.shape).toEqual([12, 20]);
    // one entry by hand
    let e = 0;
    for (let k = 0; k < 3; k++) e += w.B.data[5 * 3 + k] * w.A.data[k * 20 + 11];
    expect(v.data[5 * 20 + 11]).toBeCloseTo(2 * e, 5);
    expect(v.singularValues.length).toBe(12);
    expect(v.numericalRank).toBe(3);
    expect(v.singularValues[3] / v.singularValues[0]).toBeLessThan(1e-5);
    const sumSq = v.singularValues.reduce((a, s) => a + s * s, 0);
    expect(Math.sqrt(sumSq)).toBeCloseTo(v.frobenius, 3);
  });

  it('B = 0 gives ΔW = 0 with rank 0', () => {
    const w = randomFactors(4, 8, 8, 1);
    w.B.data.fill(0);
    const v = deltaWView('m', w);
    expect(v.frobenius).toBe(0);
    expect(v.numericalRank).toBe(0);
  });
});

describe('fullDeltaWView', () => {
  const rand = (n: number, seed: number) => {
    const rng = new Rng(seed);
    return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
  };
  it('is W_full − W₀ in [d_out, d_in] whatever the stored layout, and full rank for a dense change', () => {
    const dIn = 10;
    const dOut = 6;
    const w0 = { shape: [dIn, dOut], data: rand(dIn * dOut, 1) }; // Conv1D: [d_in, d_out]
    const change = rand(dIn * dOut, 2);
    const w1 = { shape: [dIn, dOut], data: w0.data.map((v, i) => v + 0.01 * change[i]) };
    const v = fullDeltaWView('h.0.attn.c_attn', w0, w1, true);
    expect(v.shape).toEqual([dOut, dIn]);
    expect(v.kind).toBe('full');
    // Entry (i, j) of ΔW is entry (j, i) of the Conv1D difference.
    expect(v.data[4 * dIn + 7]).toBeCloseTo(w1.data[7 * dOut + 4] - w0.data[7 * dOut + 4], 6);
    expect(v.r).toBe(6);
    expect(v.numericalRank).toBe(6);
  });
  it('sees a rank-1 change as rank 1, in nn.Linear layout too', () => {
    const u = rand(5, 3);
    const w = rand(7, 4);
    const w0 = { shape: [5, 7], data: rand(35, 5) };
    const w1 = { shape: [5, 7], data: w0.data.map((x, k) => x + u[Math.floor(k / 7)] * w[k % 7]) };
    const v = fullDeltaWView('m', w0, w1, false);
    expect(v.numericalRank).toBe(1);
    expect(v.data[2 * 7 + 3]).toBeCloseTo(u[2] * w[3], 5);
  });
  it('refuses weights of different shapes', () => {
    expect(() =>
      fullDeltaWView(
        'm',
        { shape: [2, 3], data: new Float32Array(6) },
        { shape: [3, 2], data: new Float32Array(6) },
        true,
      ),
    ).toThrow(/differ in shape/);
  });
});

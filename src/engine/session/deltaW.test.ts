import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { deltaWView } from './deltaW';

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

import { describe, expect, it } from 'vitest';
import { deltaWView } from '../engine/session/deltaW';
import { countAboveFloor, spectrumNoiseFloor } from './spectrumChart';

/** A seeded rank-r product B·A ([dOut, r]·[r, dIn]) as the engine's module weights. */
function factors(r: number, dIn: number, dOut: number) {
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const A = Float32Array.from({ length: r * dIn }, rand);
  const B = Float32Array.from({ length: dOut * r }, rand);
  return { A: { shape: [r, dIn], data: A }, B: { shape: [dOut, r], data: B }, r, alpha: 2 * r, scaling: 2 };
}

describe('spectrum noise floor', () => {
  it('counts exactly the numerical rank the engine reports: r for a random rank-r ΔW', () => {
    for (const r of [1, 3, 6]) {
      const view = deltaWView('m', factors(r, 24, 40));
      const floor = spectrumNoiseFloor(view.singularValues, ...view.shape);
      expect(countAboveFloor(view.singularValues, floor)).toBe(view.numericalRank);
      expect(view.numericalRank).toBe(r);
      expect(view.singularValues[r]).toBeLessThan(floor);
    }
  });

  it('is zero for an all-zero ΔW (B = 0 at step 0), so nothing counts as signal', () => {
    const z = factors(4, 8, 8);
    z.B.data.fill(0);
    const view = deltaWView('m', z);
    const floor = spectrumNoiseFloor(view.singularValues, 8, 8);
    expect(floor).toBe(0);
    expect(countAboveFloor(view.singularValues, floor)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { generateTwoD, TWO_D_DATASETS, twoDDatasetInfo, twoDSplits } from './twoD';

describe('2-D datasets', () => {
  for (const { id, spec } of TWO_D_DATASETS) {
    it(`${id}: shapes, exact label balance, determinism, points inside [−2.5, 2.5]²`, () => {
      const d = generateTwoD(spec, 400, 11);
      expect(d.n).toBe(400);
      expect(d.x).toHaveLength(800);
      expect(d.y).toHaveLength(400);
      expect(d.y.reduce((s, v) => s + v, 0)).toBe(200);
      expect(d.y.every((v) => v === 0 || v === 1)).toBe(true);
      expect(d.x.every((v) => Number.isFinite(v) && Math.abs(v) < 2.5)).toBe(true);
      expect(generateTwoD(spec, 400, 11)).toEqual(d);
      expect(generateTwoD(spec, 400, 12).x).not.toEqual(d.x);
      // Shuffled: the first half is not all one class.
      const firstHalf = d.y.slice(0, 200).reduce((s, v) => s + v, 0);
      expect(firstHalf).toBeGreaterThan(50);
      expect(firstHalf).toBeLessThan(150);
    });
  }

  it('rotating by θ rotates every point of the same draw by θ about the origin', () => {
    const base = generateTwoD({ shape: 'moons' }, 100, 3);
    const turned = generateTwoD({ shape: 'moons', rotateDeg: 90 }, 100, 3);
    for (let i = 0; i < 100; i++) {
      expect(turned.x[2 * i]).toBeCloseTo(-base.x[2 * i + 1], 5);
      expect(turned.x[2 * i + 1]).toBeCloseTo(base.x[2 * i], 5);
    }
    expect(turned.y).toEqual(base.y);
  });

  it('shifting moves the class means by the shift', () => {
    const base = generateTwoD({ shape: 'blobs' }, 1000, 4);
    const moved = generateTwoD({ shape: 'blobs', shift: [1, -0.5] }, 1000, 4);
    const mean = (d: typeof base, k: number) => d.x.filter((_, i) => i % 2 === k).reduce((s, v) => s + v, 0) / d.n;
    expect(mean(moved, 0) - mean(base, 0)).toBeCloseTo(1, 5);
    expect(mean(moved, 1) - mean(base, 1)).toBeCloseTo(-0.5, 5);
  });

  it('the classes are separable in the way each shape promises', () => {
    const circles = generateTwoD({ shape: 'circles', noise: 0 }, 200, 5);
    for (let i = 0; i < 200; i++)
      expect(Math.hypot(circles.x[2 * i], circles.x[2 * i + 1])).toBeCloseTo(circles.y[i] === 0 ? 0.5 : 1.3, 5);
    const xor = generateTwoD({ shape: 'xor', noise: 0 }, 200, 5);
    for (let i = 0; i < 200; i++) expect(Math.sign(xor.x[2 * i] * xor.x[2 * i + 1])).toBe(xor.y[i] === 0 ? 1 : -1);
  });

  it('train and validation splits are independent draws', () => {
    const { train, validation } = twoDSplits({ shape: 'moons' }, { nTrain: 200, nValidation: 100, seed: 1 });
    expect(train.n).toBe(200);
    expect(validation.n).toBe(100);
    expect(validation.x.slice(0, 10)).not.toEqual(train.x.slice(0, 10));
  });

  it('rejects an odd n and an unknown id', () => {
    expect(() => generateTwoD({ shape: 'moons' }, 101, 1)).toThrow(/even/);
    expect(() => twoDDatasetInfo('spiral')).toThrow(/Unknown 2-D dataset "spiral"; known: moons/);
  });
});

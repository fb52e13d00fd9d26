import { describe, expect, it } from 'vitest';
import { Rng, kaimingUniformBound, permutation } from './rng';

describe('Rng', () => {
  it('same seed ⇒ same stream; different seeds differ', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Rng(43).next()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('normal has mean 0 and the requested std', () => {
    const d = new Rng(1).normalArray(20000, 2);
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    const std = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(std).toBeCloseTo(2, 1);
  });

  it("Kaiming-uniform with PEFT's a = √5 has bound 1/√fan_in", () => {
    expect(kaimingUniformBound(64)).toBeCloseTo(1 / 8, 12);
    expect(kaimingUniformBound(64, 0)).toBeCloseTo(Math.sqrt(6 / 64), 12);
  });

  it('permutation is a seeded shuffle of 0..n-1', () => {
    const p = permutation(new Rng(3), 10);
    expect([...p].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(permutation(new Rng(3), 10)).toEqual(p);
  });
});

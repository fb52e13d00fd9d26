import { describe, expect, it } from 'vitest';
import {
  boxMuller,
  kaimingUniformBound,
  mixSeed,
  mulberry32,
  normalArray,
  permutation,
  randomInt,
  randomNormal,
  Rng,
  shuffled,
  uniformArray,
} from './rng';

const moments = (d: ArrayLike<number>) => {
  const xs = Array.from(d);
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
};

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
    const { mean, std } = moments(new Rng(1).normalArray(20000, 2));
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

describe('seeded randomness', () => {
  it('repeats exactly for the same seed and differs for another', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    expect(seqA.every((u) => u >= 0 && u < 1)).toBe(true);
  });

  it('mixSeed separates (seed, step) pairs', () => {
    const seeds = new Set<number>();
    for (let seed = 0; seed < 20; seed++) for (let step = 0; step < 50; step++) seeds.add(mixSeed(seed, step));
    expect(seeds.size).toBe(1000);
  });

  it('randomInt is uniform enough and randomNormal has mean 0, variance 1', () => {
    const r = mulberry32(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[randomInt(r, 4)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    const { mean, std } = moments(Array.from({ length: 40_000 }, () => randomNormal(r)));
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std * std - 1)).toBeLessThan(0.03);
  });

  it('normalArray and uniformArray have the requested spread', () => {
    const n = normalArray(mulberry32(2), 20_001, 0.5);
    expect(n).toHaveLength(20_001);
    const g = moments(n);
    expect(Math.abs(g.mean)).toBeLessThan(0.02);
    expect(g.std).toBeCloseTo(0.5, 1);
    const u = uniformArray(mulberry32(2), 20_000, 3);
    expect(u.every((v) => v >= -3 && v < 3)).toBe(true);
    expect(moments(u).std).toBeCloseTo(3 / Math.sqrt(3), 1);
  });

  it('one Box–Muller transform behind every gaussian draw', () => {
    const { r, theta } = boxMuller(Math.exp(-2), 0.25); // r = 2, θ = π/2
    expect(r).toBeCloseTo(2, 12);
    expect(r * Math.cos(theta)).toBeCloseTo(0, 12);
    expect(r * Math.sin(theta)).toBeCloseTo(2, 12);
    // randomNormal and normalArray draw the same pair from the same uniforms
    expect(normalArray(mulberry32(5), 1, 1)[0]).toBeCloseTo(randomNormal(mulberry32(5)), 6);
  });

  it('shuffled permutes a copy', () => {
    const items = [...Array(50).keys()];
    const out = shuffled(items, mulberry32(3));
    expect(out).not.toEqual(items);
    expect([...out].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled(items, mulberry32(3))).toEqual(out);
  });
});

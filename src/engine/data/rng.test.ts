import { describe, expect, it } from 'vitest';
import { mixSeed, mulberry32, randomInt, randomNormal, shuffled } from './rng';

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
    const z = Array.from({ length: 40_000 }, () => randomNormal(r));
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it('shuffled permutes a copy', () => {
    const items = [...Array(50).keys()];
    const out = shuffled(items, mulberry32(3));
    expect(out).not.toEqual(items);
    expect([...out].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled(items, mulberry32(3))).toEqual(out);
  });
});

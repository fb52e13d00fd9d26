import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { combineCat, combineSvd, weightedDelta, type WeightedAdapter } from './combine';
import { matmulHost, svdHost } from './hostMath';
import { DEFAULT_LORA_CONFIG, type AdapterWeights } from './types';

const dIn = 6;
const dOut = 5;

function randomAdapter(seed: number, r: number, alpha: number, paths: string[]): AdapterWeights {
  const rng = new Rng(seed);
  const modules = new Map(
    paths.map((p) => [
      p,
      {
        A: { shape: [r, dIn], data: rng.normalArray(r * dIn, 1) },
        B: { shape: [dOut, r], data: rng.normalArray(dOut * r, 1) },
        r,
        alpha,
        scaling: alpha / r,
      },
    ]),
  );
  return { config: { ...DEFAULT_LORA_CONFIG, r, lora_alpha: alpha, target_modules: paths }, modules };
}

const product = (a: AdapterWeights, path: string) => {
  const m = a.modules.get(path)!;
  return matmulHost(m.B.data, m.A.data, dOut, m.r, dIn).map((v) => v * m.scaling);
};

const inputs: WeightedAdapter[] = [
  { adapter: randomAdapter(1, 2, 4, ['m.q', 'm.v']), weight: 0.7 },
  { adapter: randomAdapter(2, 3, 3, ['m.q']), weight: -0.4 },
];

describe('weighted adapter combination', () => {
  it('cat: ranks add up and B·A equals Σ wᵢ·sᵢ·Bᵢ·Aᵢ (float32 exact up to rounding)', () => {
    const c = combineCat(inputs);
    expect(c.config).toMatchObject({ r: 5, lora_alpha: 5 });
    expect(c.modules.get('m.q')!.r).toBe(5);
    expect(c.modules.get('m.v')!.r).toBe(2); // only the first adapter touches m.v
    expect(c.config.rank_pattern).toEqual({ 'm\\.v': 2 });
    for (const path of ['m.q', 'm.v']) {
      const target = weightedDelta(inputs, path, dOut, dIn);
      const got = product(c, path);
      for (let i = 0; i < target.length; i++) expect(got[i]).toBeCloseTo(target[i], 5);
    }
  });

  it('svd: error equals √(Σ dropped σ²) of the target, and rank ≥ true rank is exact', () => {
    for (const k of [1, 2, 4, 5]) {
      const c = combineSvd(inputs, k);
      const target = weightedDelta(inputs, 'm.q', dOut, dIn);
      const { S } = svdHost(target, dOut, dIn);
      const dropped = Math.sqrt(Array.from(S.slice(k)).reduce((s, v) => s + v * v, 0));
      expect(c.droppedSigmaNorms.get('m.q')).toBeCloseTo(dropped, 10);
      expect(Math.abs(c.errors.get('m.q')! - dropped)).toBeLessThan(1e-5 * Math.max(1, S[0]));
      expect(c.adapter.modules.get('m.q')!.scaling).toBe(1);
    }
    // m.q's target has rank ≤ 5 (2 + 3): rank 5 reproduces it.
    expect(combineSvd(inputs, 5).errors.get('m.q')!).toBeLessThan(1e-5);
    // m.v has rank 2 (one rank-2 adapter): truncating to 1 drops exactly σ₂.
    const v = combineSvd(inputs, 1);
    expect(v.errors.get('m.v')!).toBeGreaterThan(0);
  });

  it('rejects bad input by name', () => {
    expect(() => combineCat([])).toThrow(/at least one adapter/);
    expect(() => combineSvd(inputs, 0)).toThrow(/positive integer/);
    expect(() => combineCat([{ ...inputs[0], weight: NaN }])).toThrow(/finite/);
    const other = randomAdapter(3, 2, 2, ['m.q']);
    other.modules.get('m.q')!.A = { shape: [2, 7], data: new Float32Array(14) };
    expect(() => combineCat([inputs[0], { adapter: other, weight: 1 }])).toThrow(/disagree on the shape of m\.q/);
  });
});

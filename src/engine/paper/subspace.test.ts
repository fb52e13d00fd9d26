import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { thinSvd } from '../linalg/svd';
import type { AdapterWeights, LoraModuleWeights } from '../lora/types';
import { DEFAULT_LORA_CONFIG } from '../lora/types';
import type { HostTensor } from '../types';
import { adapterSubspaceSimilarity, phiAt, subspaceSimilarity } from './subspace';

const tensor = (rows: number[][]): HostTensor => ({
  shape: [rows.length, rows[0].length],
  data: Float32Array.from(rows.flat()),
});

/** [r, d] with rows = random combinations of the given basis rows (so the row space is exactly theirs). */
function mixOf(basis: number[][], r: number, rng: Rng): number[][] {
  return Array.from({ length: r }, () => {
    const c = basis.map(() => rng.normal());
    return basis[0].map((_, k) => basis.reduce((s, b, i) => s + c[i] * b[k], 0));
  });
}
const unit = (d: number, k: number) => Array.from({ length: d }, (_, i) => (i === k ? 1 : 0));
const randomRows = (r: number, d: number, rng: Rng) =>
  Array.from({ length: r }, () => Array.from({ length: d }, () => rng.normal()));

describe('subspace similarity φ (LoRA §7.2)', () => {
  it('is 1 everywhere for the same A: each top-i subspace lies inside every larger one', () => {
    const A = tensor(randomRows(8, 40, new Rng(1)));
    const s = subspaceSimilarity(A, A);
    expect([s.rows, s.cols]).toEqual([8, 8]);
    for (const v of s.phi) expect(v).toBeCloseTo(1, 5);
  });

  it('is 1 at (r, r) for two different bases of the same row space', () => {
    const rng = new Rng(2);
    const basis = Array.from({ length: 4 }, (_, k) => unit(30, 3 * k));
    const s = subspaceSimilarity(tensor(mixOf(basis, 4, rng)), tensor(mixOf(basis, 4, rng)));
    expect(phiAt(s, 4, 4)).toBeCloseTo(1, 5);
  });

  it('is 0 everywhere for orthogonal subspaces', () => {
    const rng = new Rng(3);
    const first = Array.from({ length: 4 }, (_, k) => unit(24, k));
    const second = Array.from({ length: 8 }, (_, k) => unit(24, 4 + k));
    const s = subspaceSimilarity(tensor(mixOf(first, 4, rng)), tensor(mixOf(second, 8, rng)));
    expect([s.rows, s.cols]).toEqual([4, 8]);
    for (const v of s.phi) expect(Math.abs(v)).toBeLessThan(1e-10);
  });

  it('is cos²θ for two lines at angle θ', () => {
    const t = 0.7;
    const s = subspaceSimilarity(tensor([[2, 0, 0]]), tensor([[Math.cos(t), Math.sin(t), 0]]));
    expect(phiAt(s, 1, 1)).toBeCloseTo(Math.cos(t) ** 2, 6);
  });

  it('is symmetric (φ(A₁, A₂, i, j) = φ(A₂, A₁, j, i)), lies in [0, 1], and matches a direct reference', () => {
    const rng = new Rng(4);
    const A1 = tensor(randomRows(6, 20, rng));
    const A2 = tensor(randomRows(9, 20, rng));
    const s12 = subspaceSimilarity(A1, A2);
    const s21 = subspaceSimilarity(A2, A1);
    // Reference: V from linalg's thin SVD of each A, then φ by the definition.
    const vOf = (t: HostTensor) => {
      const rows = Array.from({ length: t.shape[0] }, (_, i) => Array.from(t.data.slice(i * 20, i * 20 + 20)));
      return thinSvd(rows).V; // [d, r]
    };
    const V1 = vOf(A1);
    const V2 = vOf(A2);
    for (let i = 1; i <= 6; i++)
      for (let j = 1; j <= 9; j++) {
        let f = 0;
        for (let a = 0; a < i; a++)
          for (let b = 0; b < j; b++) {
            const dot = V1.reduce((sum, row, k) => sum + row[a] * V2[k][b], 0);
            f += dot * dot;
          }
        const phi = phiAt(s12, i, j);
        expect(phi).toBeCloseTo(f / Math.min(i, j), 8);
        expect(phi).toBeCloseTo(phiAt(s21, j, i), 10);
        expect(phi).toBeGreaterThanOrEqual(0);
        expect(phi).toBeLessThanOrEqual(1);
      }
  });

  it('is near max(i, j)/d for random subspaces (the baseline a learned overlap is read against)', () => {
    const rng = new Rng(5);
    const d = 100;
    let mean = 0;
    const trials = 10;
    for (let k = 0; k < trials; k++)
      mean += phiAt(subspaceSimilarity(tensor(randomRows(4, d, rng)), tensor(randomRows(16, d, rng))), 4, 16);
    // E‖U_iᵀU_j‖² = i·j/d for independent random subspaces, so E φ = max(i, j)/d = 0.16.
    expect(mean / trials).toBeGreaterThan(0.11);
    expect(mean / trials).toBeLessThan(0.21);
  });

  it('handles a rank-deficient A (reports its rank) and r > d_in (as many directions as d_in)', () => {
    const rng = new Rng(6);
    const basis = [unit(10, 0), unit(10, 1)];
    const deficient = tensor(mixOf(basis, 5, rng)); // 5 rows, rank 2
    const s = subspaceSimilarity(deficient, tensor(randomRows(3, 10, rng)));
    expect(s.rank1).toBe(2);
    expect(s.rank2).toBe(3);
    for (const v of s.phi) expect(v >= 0 && v <= 1).toBe(true);
    const wide = subspaceSimilarity(tensor(randomRows(6, 4, rng)), tensor(randomRows(2, 4, rng)));
    expect([wide.rows, wide.cols]).toEqual([4, 2]);
    expect(phiAt(wide, 4, 2)).toBeCloseTo(1, 6); // 4 directions span all of R⁴
  });

  it('compares two adapters module by module, with a clear message for a missing module or width', () => {
    const rng = new Rng(7);
    const module = (r: number): LoraModuleWeights => ({
      A: tensor(randomRows(r, 12, rng)),
      B: { shape: [5, r], data: new Float32Array(5 * r) },
      r,
      alpha: 8,
      scaling: 8 / r,
    });
    const adapter = (r: number): AdapterWeights => ({
      config: { ...DEFAULT_LORA_CONFIG, r },
      modules: new Map([['transformer.h.0.attn.c_attn', module(r)]]),
    });
    const s = adapterSubspaceSimilarity(adapter(2), adapter(8), 'transformer.h.0.attn.c_attn');
    expect([s.rows, s.cols]).toEqual([2, 8]);
    expect(() => adapterSubspaceSimilarity(adapter(2), adapter(8), 'transformer.h.0.mlp.c_fc')).toThrow(
      /the first adapter does not adapt transformer\.h\.0\.mlp\.c_fc/,
    );
    expect(() => subspaceSimilarity(tensor(randomRows(2, 12, rng)), tensor(randomRows(2, 13, rng)))).toThrow(
      /different input widths \(12 and 13\)/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { Matrix } from 'ml-matrix';
import { Rng } from '../rng';
import { thinSvd } from '../linalg/svd';
import type { LoraModuleWeights } from '../lora/types';
import type { HostTensor } from '../types';
import { amplification, deltaWDirections, randomDirections } from './amplification';

const m = 14; // d_out
const n = 10; // d_in
const sigmaW = [10, 8, 6, 4, 2, 1, 0.5, 0.25, 0.125, 0.0625];

/** Orthonormal bases P [m, m], Q [n, n]: the singular directions everything below is built from. */
const P = randomDirections(m, m, new Rng(1));
const Q = randomDirections(n, n, new Rng(2));
const col = (M: Matrix, k: number) => M.getColumn(k);

/** Σ_k s_k·p_{ik}·q_{jk}ᵀ as a HostTensor [m, n] (or [n, m] transposed). */
function build(terms: { s: number; p: number; q: number }[], transposed = false): HostTensor {
  const out = new Float32Array(m * n);
  for (const t of terms) {
    const p = col(P, t.p);
    const q = col(Q, t.q);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) out[transposed ? j * m + i : i * n + j] += t.s * p[i] * q[j];
  }
  return { shape: transposed ? [n, m] : [m, n], data: out };
}

const W = build(sigmaW.map((s, k) => ({ s, p: k, q: k })));

/** LoRA factors whose ΔW = scaling·B·A = Σ τ_k·p·qᵀ, split so that B carries τ/scaling. */
function lora(terms: { s: number; p: number; q: number }[], scaling = 0.5): LoraModuleWeights {
  const r = terms.length;
  const A = new Float32Array(r * n);
  const B = new Float32Array(m * r);
  terms.forEach((t, k) => {
    col(Q, t.q).forEach((v, j) => (A[k * n + j] = v));
    col(P, t.p).forEach((v, i) => (B[i * r + k] = (t.s / scaling) * v));
  });
  return { A: { shape: [r, n], data: A }, B: { shape: [m, r], data: B }, r, alpha: scaling * r, scaling };
}

describe('amplification (LoRA §7.3, Table 7)', () => {
  it('ΔW on two of W’s weak directions: projection √(σ₅² + σ₆²), factor ‖ΔW‖_F over it', () => {
    const dW = lora([
      { s: 3, p: 4, q: 4 },
      { s: 2, p: 5, q: 5 },
    ]);
    const a = amplification(W, dW, { seed: 7 });
    expect(a.r).toBe(2);
    expect(a.deltaWRank).toBe(2);
    expect(a.deltaWNorm).toBeCloseTo(Math.hypot(3, 2), 5);
    expect(a.projection.deltaW).toBeCloseTo(Math.hypot(2, 1), 5);
    expect(a.projection.w).toBeCloseTo(Math.hypot(10, 8), 5);
    expect(a.factor).toBeCloseTo(Math.hypot(3, 2) / Math.hypot(2, 1), 4);
    expect(a.wNorm).toBeCloseTo(Math.hypot(...sigmaW), 4);
    expect(a.deltaWSigma.map((s) => Number(s.toFixed(5)))).toEqual([3, 2]);
    expect(a.wSigma.map((s) => Number(s.toFixed(4)))).toEqual([10, 8]);
  });

  it('ΔW along W’s top direction is not amplified beyond τ/σ₁; one orthogonal to all of W is infinitely so', () => {
    const top = amplification(W, lora([{ s: 5, p: 0, q: 0 }]), { seed: 1 });
    expect(top.projection.deltaW).toBeCloseTo(10, 5);
    expect(top.factor).toBeCloseTo(0.5, 5);
    // W of rank 4 (directions 0–3); ΔW on directions 6 and 7, where W is exactly zero.
    const lowRankW = build(sigmaW.slice(0, 4).map((s, k) => ({ s, p: k, q: k })));
    const away = amplification(
      lowRankW,
      lora([
        { s: 1, p: 6, q: 6 },
        { s: 0.5, p: 7, q: 7 },
      ]),
      { seed: 1 },
    );
    expect(away.projection.deltaW).toBeLessThan(1e-6);
    expect(away.factor).toBe(Infinity);
    // Mismatched sides: left direction of σ₁, right direction of σ₂: p₁ᵀ·W·q₂ = 0.
    const crossed = amplification(W, lora([{ s: 1, p: 0, q: 1 }]), { seed: 1 });
    expect(crossed.projection.deltaW).toBeLessThan(1e-6);
  });

  it('reads GPT-2’s Conv1D layout [d_in, d_out] the same as [d_out, d_in]', () => {
    const dW = lora([
      { s: 3, p: 4, q: 4 },
      { s: 2, p: 5, q: 5 },
    ]);
    const a = amplification(W, dW, { seed: 3 });
    const b = amplification(
      build(
        sigmaW.map((s, k) => ({ s, p: k, q: k })),
        true,
      ),
      dW,
      { seed: 3, layout: 'inOut' },
    );
    expect(b.projection.deltaW).toBeCloseTo(a.projection.deltaW, 6);
    expect(b.projection.random).toBeCloseTo(a.projection.random, 6);
    expect(b.factor).toBeCloseTo(a.factor, 5);
    expect(() => amplification(W, dW, { seed: 3, layout: 'inOut' })).toThrow(/W is 10×14 .* need 14×10/);
  });

  it('random directions: seeded, and on average √(r²/(d_out·d_in))·‖W‖_F', () => {
    const dW = lora([
      { s: 3, p: 4, q: 4 },
      { s: 2, p: 5, q: 5 },
    ]);
    expect(amplification(W, dW, { seed: 11 }).projection.random).toBe(
      amplification(W, dW, { seed: 11 }).projection.random,
    );
    let meanSq = 0;
    const trials = 60;
    for (let s = 0; s < trials; s++) meanSq += amplification(W, dW, { seed: s }).projection.random ** 2;
    const expected = (4 / (m * n)) * Math.hypot(...sigmaW) ** 2; // E‖UᵀWV‖² = r²‖W‖²/(m·n) for Haar U, V
    expect(meanSq / trials).toBeGreaterThan(0.8 * expected);
    expect(meanSq / trials).toBeLessThan(1.25 * expected);
  });

  it('ΔW’s directions from the factors equal the dense SVD of s·B·A (random factors, float64 reference)', () => {
    const rng = new Rng(9);
    const r = 3;
    const A = Float32Array.from({ length: r * n }, () => rng.normal());
    const B = Float32Array.from({ length: m * r }, () => rng.normal());
    const mod: LoraModuleWeights = {
      A: { shape: [r, n], data: A },
      B: { shape: [m, r], data: B },
      r,
      alpha: 6,
      scaling: 2,
    };
    const dense = Array.from({ length: m }, (_, i) =>
      Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let k = 0; k < r; k++) s += B[i * r + k] * A[k * n + j];
        return 2 * s;
      }),
    );
    const ref = thinSvd(dense);
    const got = deltaWDirections(mod);
    for (let k = 0; k < r; k++) {
      expect(got.sigma[k]).toBeCloseTo(ref.sigma[k], 8);
      // Same direction up to sign: |⟨u, u_ref⟩| = 1.
      const u = got.U.getColumn(k);
      const dot = u.reduce((s, x, i) => s + x * ref.U[i][k], 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 8);
    }
    const a = amplification(W, mod, { seed: 1, r: 2 });
    expect(a.r).toBe(2);
    const Ur = (k: number) => ref.U.map((row) => row[k]);
    const Vr = (k: number) => ref.V.map((row) => row[k]);
    let sq = 0;
    for (let a1 = 0; a1 < 2; a1++)
      for (let b1 = 0; b1 < 2; b1++) {
        const u = Ur(a1);
        const v = Vr(b1);
        let x = 0;
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) x += u[i] * W.data[i * n + j] * v[j];
        sq += x * x;
      }
    expect(a.projection.deltaW).toBeCloseTo(Math.sqrt(sq), 5);
  });

  it('an untrained adapter (B = 0) has no directions: r = 0 and no factor', () => {
    const mod: LoraModuleWeights = {
      A: { shape: [2, n], data: Float32Array.from({ length: 2 * n }, (_, i) => Math.sin(i)) },
      B: { shape: [m, 2], data: new Float32Array(2 * m) },
      r: 2,
      alpha: 2,
      scaling: 1,
    };
    const a = amplification(W, mod, { seed: 1 });
    expect(a.deltaWRank).toBe(0);
    expect(a.r).toBe(0);
    expect(a.deltaWNorm).toBe(0);
    expect(Number.isNaN(a.factor)).toBe(true);
  });
});

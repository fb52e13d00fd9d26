/**
 * What an adapter learned, for one module: ΔW = s·B·A [d_out, d_in] and its singular values.
 * rank(ΔW) ≤ r by construction; the spectrum shows it (σ_{r+1…} are zero up to float noise).
 */
import { matmulHost, svdHost } from '../lora/hostMath';
import type { LoraModuleWeights } from '../lora/types';

export interface DeltaWView {
  module: string;
  /** [d_out, d_in] row-major ΔW = s·B·A. */
  shape: [number, number];
  data: Float32Array;
  /** All min(d_out, d_in) singular values, decreasing. */
  singularValues: Float64Array;
  r: number;
  scaling: number;
  /** Singular values above max(d)·σ₁·ε_f32: the numerical rank (≤ r). */
  numericalRank: number;
  frobenius: number;
}

const EPS_F32 = 1.1920929e-7;

/** ΔW and its full spectrum from an adapted module's factors (A [r, d_in], B [d_out, r]). */
export function deltaWView(module: string, w: LoraModuleWeights): DeltaWView {
  const [r, dIn] = w.A.shape;
  const dOut = w.B.shape[0];
  const prod = matmulHost(w.B.data, w.A.data, dOut, r, dIn); // [d_out, d_in] float64
  const data = new Float32Array(prod.length);
  let fro = 0;
  for (let i = 0; i < prod.length; i++) {
    const v = prod[i] * w.scaling;
    data[i] = v;
    fro += v * v;
  }
  const { S } = svdHost(data, dOut, dIn);
  const tol = Math.max(dOut, dIn) * (S[0] ?? 0) * EPS_F32 * 10;
  let numericalRank = 0;
  for (const s of S) if (s > tol) numericalRank++;
  return {
    module,
    shape: [dOut, dIn],
    data,
    singularValues: S,
    r,
    scaling: w.scaling,
    numericalRank,
    frobenius: Math.sqrt(fro),
  };
}

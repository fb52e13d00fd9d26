/**
 * How large an adapter's update ΔW = s·B·A can get, bounded without forming ΔW: by Cauchy–Schwarz
 * |ΔW_ij| = |s·Σ_k B_ik·A_kj| ≤ |s|·‖B_i,:‖·‖A_:,j‖, so the largest row norm of B times the largest
 * column norm of A bounds every entry, in O(r·(d_in + d_out)) time and O(1) extra memory.
 */
import type { HostTensor } from '../types';
import { FLOAT32_MAX } from './match';

/** |s| above this is far outside what PEFT users set (α/r is usually 0.5–4, rsLoRA up to ~64). */
export const SCALING_WARN_ABOVE = 1e3;

/**
 * Upper bound on max |ΔW_ij| for A [r, d_in], B [d_out, r] and scaling s, computed in float64.
 */
export function deltaWBound(A: HostTensor, B: HostTensor, scaling: number): number {
  const [r, dIn] = A.shape;
  const dOut = B.shape[0];
  let maxRowB = 0;
  for (let i = 0; i < dOut; i++) {
    let s = 0;
    for (let k = 0; k < r; k++) s += B.data[i * r + k] ** 2;
    maxRowB = Math.max(maxRowB, s);
  }
  let maxColA = 0;
  const col = new Float64Array(dIn); // Σ_k A_kj², row by row (A is row-major)
  for (let k = 0; k < r; k++) for (let j = 0; j < dIn; j++) col[j] += A.data[k * dIn + j] ** 2;
  for (let j = 0; j < dIn; j++) maxColA = Math.max(maxColA, col[j]);
  if (maxRowB === 0 || maxColA === 0) return 0; // B = 0 (a fresh adapter) or A = 0: ΔW = 0 for any s
  return Math.abs(scaling) * Math.sqrt(maxRowB) * Math.sqrt(maxColA);
}

/**
 * The largest |ΔW_ij| that keeps a layer finite in float32 downstream: a layer's output sums up
 * to max(d_in, d_out) such terms (times activations of order 1 after LayerNorm), and LayerNorm and
 * attention then square it, so (width·|ΔW|)² must stay below float32's maximum.
 */
export function maxSafeDelta(dIn: number, dOut: number): number {
  return Math.sqrt(FLOAT32_MAX) / Math.max(dIn, dOut);
}

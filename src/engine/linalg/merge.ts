/**
 * Merging a LoRA update into its frozen layer: W = W0 + s·B·A, and the proof that the merged
 * and unmerged forward passes agree, W0·x + s·B·(A·x) = (W0 + s·B·A)·x.
 */
import { add, matmul, matVec, scale, type Mat } from './dense';

/** LoRA's scaling s = α/r, or α/√r with rsLoRA (PEFT `use_rslora`). */
export function loraScaling(alpha: number, r: number, rslora = false): number {
  return rslora ? alpha / Math.sqrt(r) : alpha / r;
}

/** ΔW = s·B·A [d_out, d_in] from B [d_out, r] and A [r, d_in]. */
export function deltaW(B: Mat, A: Mat, s: number): Mat {
  return scale(matmul(B, A), s);
}

/** W = W0 + s·B·A [d_out, d_in]. */
export function mergeWeights(W0: Mat, B: Mat, A: Mat, s: number): Mat {
  return add(W0, deltaW(B, A, s));
}

/** Unmerged forward for x [d_in] → [d_out]: W0·x + s·B·(A·x), never forming B·A. */
export function unmergedForward(W0: Mat, B: Mat, A: Mat, s: number, x: number[]): number[] {
  const base = matVec(W0, x);
  const update = matVec(B, matVec(A, x)); // A·x [r], then B·(A·x) [d_out]
  return base.map((v, i) => v + s * update[i]);
}

/** Merged forward for x [d_in] → [d_out]: (W0 + s·B·A)·x. */
export function mergedForward(W0: Mat, B: Mat, A: Mat, s: number, x: number[]): number[] {
  return matVec(mergeWeights(W0, B, A, s), x);
}

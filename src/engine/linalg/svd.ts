/**
 * Thin SVD via ml-matrix (a well-kept library; we do not write our own) and what the explainer
 * derives from it: numerical rank, the best rank-k approximation and its Eckart–Young error.
 */
import { Matrix, SVD } from 'ml-matrix';
import { matmul, shapeOf, type Mat } from './dense';

/** W [m, n] = U [m, p] · diag(sigma [p]) · Vᵀ [p, n] with p = min(m, n), sigma descending, ≥ 0. */
export interface ThinSvd {
  U: Mat;
  sigma: number[];
  V: Mat;
}

/** Thin SVD of W [m, n]. Works for tall and wide matrices (ml-matrix transposes wide ones internally). */
export function thinSvd(W: Mat): ThinSvd {
  const [m, n] = shapeOf(W);
  if (m === 0 || n === 0) return { U: [], sigma: [], V: [] };
  const svd = new SVD(new Matrix(W), { autoTranspose: true });
  const p = Math.min(m, n);
  const U = svd.leftSingularVectors.to2DArray().map((row) => row.slice(0, p));
  const V = svd.rightSingularVectors.to2DArray().map((row) => row.slice(0, p));
  // ml-matrix can return -0 or a tiny negative for an exactly-zero singular value; σ ≥ 0 by definition.
  const sigma = svd.diagonal.slice(0, p).map((s) => Math.max(0, s));
  return { U, sigma, V };
}

export interface NumericalRank {
  rank: number;
  /** Singular values below this count as zero: max(m, n) · σ_max · ε (numpy's `matrix_rank` default). */
  tol: number;
  sigma: number[];
}

/** Numerical rank of W [m, n]: the number of singular values above tol = max(m, n)·σ_max·ε. */
export function numericalRank(W: Mat, svd: ThinSvd = thinSvd(W)): NumericalRank {
  const [m, n] = shapeOf(W);
  const sMax = svd.sigma.length ? svd.sigma[0] : 0;
  const tol = Math.max(m, n) * sMax * Number.EPSILON;
  return { rank: svd.sigma.filter((s) => s > tol).length, tol, sigma: svd.sigma };
}

/**
 * The rank-k truncation as factors: B = U_k·Σ_k [m, k] (tall) and A = V_kᵀ [k, n] (wide),
 * so W_k = B·A. These are the best rank-k factors in the Frobenius norm (Eckart–Young).
 */
export function truncatedFactors(svd: ThinSvd, k: number): { B: Mat; A: Mat } {
  const kk = Math.max(0, Math.min(k, svd.sigma.length));
  const B = svd.U.map((row) => row.slice(0, kk).map((u, i) => u * svd.sigma[i]));
  const A = Array.from({ length: kk }, (_, i) => svd.V.map((row) => row[i]));
  return { B, A };
}

/** W_k [m, n]: the best rank-k approximation of the matrix whose SVD is given. */
export function truncate(svd: ThinSvd, k: number): Mat {
  const { B, A } = truncatedFactors(svd, k);
  const m = svd.U.length;
  const n = svd.V.length;
  if (B[0]?.length === 0 || A.length === 0) return Array.from({ length: m }, () => new Array<number>(n).fill(0));
  return matmul(B, A);
}

export interface EckartYoung {
  /** Σ_{i ≤ k} σ_i² / Σ σ_i² (1 for the zero matrix). */
  energyKept: number;
  /** Σ_{i > k} σ_i²: Eckart–Young says this equals ‖W − W_k‖_F². */
  droppedSigmaSq: number;
  /** Σ σ_i² = ‖W‖_F². */
  totalSigmaSq: number;
}

/** Energy bookkeeping for a rank-k truncation, from the singular values alone. */
export function eckartYoung(sigma: number[], k: number): EckartYoung {
  let total = 0;
  let dropped = 0;
  sigma.forEach((s, i) => {
    total += s * s;
    if (i >= k) dropped += s * s;
  });
  return { energyKept: total === 0 ? 1 : (total - dropped) / total, droppedSigmaSq: dropped, totalSigmaSq: total };
}

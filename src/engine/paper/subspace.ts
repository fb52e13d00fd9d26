/**
 * Subspace similarity between two adapters of the same module (LoRA paper §7.2, Fig. 3 and 4):
 *
 *   φ(A₁, A₂, i, j) = ‖U_iᵀ·U_j‖_F² / min(i, j)  ∈ [0, 1]
 *
 * where U_i [d_in, i] holds the top-i right-singular vectors of the first adapter's A [r₁, d_in]
 * and U_j those of the second's A [r₂, d_in] (the paper's "right-singular unitary matrix" of A:
 * the input directions an adapter reads). φ = 1 when one subspace contains the other, 0 when
 * they are orthogonal. It is the normalised squared Frobenius norm of the cosines of the
 * principal angles between the two subspaces.
 */
import type { AdapterWeights } from '../lora/types';
import { UserFacingError, type HostTensor } from '../types';
import { rightSingular, viewOf } from './linalg';

export interface SubspaceSimilarity {
  /** Directions of the first adapter: min(r₁, d_in). */
  rows: number;
  /** Directions of the second adapter: min(r₂, d_in). */
  cols: number;
  /** φ(i, j) for i = 1…rows, j = 1…cols, row-major: phi[(i − 1)·cols + (j − 1)]. */
  phi: Float64Array;
  /** Singular values of each A, descending (directions past the numerical rank are arbitrary). */
  sigma1: number[];
  sigma2: number[];
  /** Numerical rank of each A (σ above max(r, d_in)·σ_max·ε). */
  rank1: number;
  rank2: number;
}

function numericalRank(sigma: number[], r: number, dIn: number): number {
  const tol = Math.max(r, dIn) * (sigma[0] ?? 0) * Number.EPSILON;
  return sigma.filter((s) => s > tol).length;
}

/**
 * φ for every (i, j) between two LoRA A matrices, A₁ [r₁, d_in] and A₂ [r₂, d_in] (PEFT's layout).
 * Cost: O(d_in·(r₁² + r₂² + r₁·r₂)).
 * @throws UserFacingError when the two do not read the same input width.
 */
export function subspaceSimilarity(A1: HostTensor, A2: HostTensor): SubspaceSimilarity {
  const v1 = viewOf(A1);
  const v2 = viewOf(A2);
  if (v1.cols !== v2.cols) {
    throw new UserFacingError(
      `the two A matrices read different input widths (${v1.cols} and ${v2.cols}): compare adapters of the same module`,
    );
  }
  const s1 = rightSingular(v1);
  const s2 = rightSingular(v2);
  const rows = s1.V.columns;
  const cols = s2.V.columns;
  // M = U₁ᵀ·U₂ [rows, cols]: cosines between single directions; ‖U_iᵀU_j‖_F² is a prefix sum of M².
  const M = s1.V.transpose().mmul(s2.V);
  const prefix = new Float64Array((rows + 1) * (cols + 1));
  const phi = new Float64Array(rows * cols);
  for (let i = 1; i <= rows; i++) {
    for (let j = 1; j <= cols; j++) {
      const m = M.get(i - 1, j - 1);
      const sum = m * m + prefix[(i - 1) * (cols + 1) + j] + prefix[i * (cols + 1) + j - 1];
      const s = sum - prefix[(i - 1) * (cols + 1) + j - 1];
      prefix[i * (cols + 1) + j] = s;
      // Rounding can push a value a hair past [0, 1]; the definition bounds it.
      phi[(i - 1) * cols + (j - 1)] = Math.min(1, Math.max(0, s / Math.min(i, j)));
    }
  }
  return {
    rows,
    cols,
    phi,
    sigma1: s1.sigma,
    sigma2: s2.sigma,
    rank1: numericalRank(s1.sigma, v1.rows, v1.cols),
    rank2: numericalRank(s2.sigma, v2.rows, v2.cols),
  };
}

/** φ(i, j) from a result (1-based i, j as in the paper). */
export function phiAt(s: SubspaceSimilarity, i: number, j: number): number {
  if (!(i >= 1 && i <= s.rows && j >= 1 && j <= s.cols)) throw new RangeError(`(${i}, ${j}) is outside the grid`);
  return s.phi[(i - 1) * s.cols + (j - 1)];
}

/**
 * φ between the A matrices two adapters hold for one module (e.g. r = 8 vs r = 64, or two seeds).
 * @throws UserFacingError when either adapter does not adapt `module`.
 */
export function adapterSubspaceSimilarity(
  first: AdapterWeights,
  second: AdapterWeights,
  module: string,
): SubspaceSimilarity {
  const a = first.modules.get(module);
  const b = second.modules.get(module);
  if (!a || !b) {
    const which = !a ? 'the first adapter' : 'the second adapter';
    throw new UserFacingError(`${which} does not adapt ${module}: pick a module both adapters adapt`);
  }
  return subspaceSimilarity(a.A, b.A);
}

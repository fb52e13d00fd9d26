/** Small host-side matrix helpers shared by LoRA init, combination and tests (row-major). */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/** [rows, cols] → [cols, rows]. */
export function transposeHost(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

/** Row-major product [m, k]·[k, n] in float64. */
export function matmulHost(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      if (av === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += av * b[p * n + j];
    }
  }
  return out;
}

export function frobenius(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

export interface HostSvd {
  /** [m, p] left singular vectors, p = min(m, n). */
  U: Float64Array;
  /** p singular values, decreasing. */
  S: Float64Array;
  /** [n, p] right singular vectors (M = U·diag(S)·Vᵀ). */
  V: Float64Array;
  p: number;
}

/** Thin SVD of a row-major [m, n] matrix (ml-matrix, float64). */
export function svdHost(a: ArrayLike<number>, m: number, n: number): HostSvd {
  const M = new Matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) M.set(i, j, a[i * n + j]);
  const svd = new SingularValueDecomposition(M, { autoTranspose: true });
  const p = Math.min(m, n);
  const Um = svd.leftSingularVectors;
  const Vm = svd.rightSingularVectors;
  const U = new Float64Array(m * p);
  const V = new Float64Array(n * p);
  for (let i = 0; i < m; i++) for (let j = 0; j < p; j++) U[i * p + j] = Um.get(i, j);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) V[i * p + j] = Vm.get(i, j);
  return { U, S: Float64Array.from(svd.diagonal.slice(0, p)), V, p };
}

/**
 * Best rank-k factors of a [m, n] matrix (Eckart–Young): left = U_k·diag(σ_k) [m, k],
 * right = V_kᵀ [k, n]; `error` = ‖M − left·right‖_F = √(Σ dropped σ²).
 */
export function truncatedFactors(
  a: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
  split: 'left' | 'sqrt' = 'left',
): { left: Float32Array; right: Float32Array; sigma: Float64Array; droppedNorm: number } {
  const { U, S, V, p } = svdHost(a, m, n);
  const left = new Float32Array(m * k);
  const right = new Float32Array(k * n);
  for (let j = 0; j < Math.min(k, p); j++) {
    const l = split === 'left' ? S[j] : Math.sqrt(S[j]);
    const r = split === 'left' ? 1 : Math.sqrt(S[j]);
    for (let i = 0; i < m; i++) left[i * k + j] = U[i * p + j] * l;
    for (let i = 0; i < n; i++) right[j * n + i] = V[i * p + j] * r;
  }
  let dropped = 0;
  for (let j = k; j < p; j++) dropped += S[j] * S[j];
  return { left, right, sigma: S, droppedNorm: Math.sqrt(dropped) };
}

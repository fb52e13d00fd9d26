/**
 * The few dense-matrix steps the paper's analyses need, on ml-matrix (QR, SVD, symmetric EVD)
 * with plain Float64Array loops only where ml-matrix's per-element access is the bottleneck
 * (Gram matrices of whole weight matrices). All in float64 on the host.
 */
import { EVD, Matrix, QrDecomposition, SVD } from 'ml-matrix';
import type { HostTensor } from '../types';

/** A read-only view of a 2-D host tensor as [rows, cols], optionally transposed without copying. */
export interface MatrixView {
  rows: number;
  cols: number;
  at(i: number, j: number): number;
}

/** `t` [rows, cols] row-major; with `transposed`, the view is tᵀ [cols, rows]. */
export function viewOf(t: HostTensor, transposed = false): MatrixView {
  if (t.shape.length !== 2) throw new RangeError(`expected a 2-D tensor, got shape [${t.shape.join(', ')}]`);
  const [r, c] = t.shape;
  if (t.data.length !== r * c) throw new RangeError(`tensor holds ${t.data.length} values, shape needs ${r * c}`);
  const d = t.data;
  return transposed
    ? { rows: c, cols: r, at: (i, j) => d[j * c + i] }
    : { rows: r, cols: c, at: (i, j) => d[i * c + j] };
}

/** The view as an ml-matrix Matrix (float64 copy). */
export function toMatrix(v: MatrixView): Matrix {
  const m = new Matrix(v.rows, v.cols);
  for (let i = 0; i < v.rows; i++) for (let j = 0; j < v.cols; j++) m.set(i, j, v.at(i, j));
  return m;
}

/** ‖M‖_F. */
export function frobeniusOf(v: MatrixView): number {
  let s = 0;
  for (let i = 0; i < v.rows; i++)
    for (let j = 0; j < v.cols; j++) {
      const x = v.at(i, j);
      s += x * x;
    }
  return Math.sqrt(s);
}

/**
 * An orthonormal basis Q [m, k] of the columns of M [m, k] (m ≥ k), by Householder QR. Q's
 * columns are orthonormal even where M's are dependent (the reflections keep Q orthogonal).
 */
export function orthonormalColumns(M: Matrix): Matrix {
  if (M.rows < M.columns) throw new RangeError(`need at least as many rows as columns, got ${M.rows}×${M.columns}`);
  return new QrDecomposition(M).orthogonalMatrix.subMatrix(0, M.rows - 1, 0, M.columns - 1);
}

/** Thin SVD of a small matrix (ml-matrix): U [m, p], sigma [p] descending, V [n, p], p = min(m, n). */
export function smallSvd(M: Matrix): { U: Matrix; sigma: number[]; V: Matrix } {
  const p = Math.min(M.rows, M.columns);
  const svd = new SVD(M, { autoTranspose: true });
  const U = svd.leftSingularVectors.subMatrix(0, M.rows - 1, 0, p - 1);
  const V = svd.rightSingularVectors.subMatrix(0, M.columns - 1, 0, p - 1);
  // ml-matrix can return −0 or a tiny negative for an exact zero; σ ≥ 0 by definition.
  const sigma = svd.diagonal.slice(0, p).map((s) => Math.max(0, s));
  return { U, sigma, V };
}

/**
 * Right singular vectors of A [r, n] (A = U·Σ·Vᵀ): V [n, p] and σ [p], p = min(r, n), σ descending.
 * For r ≤ n through QR of Aᵀ (Aᵀ = Q·R, R = U_R·Σ·V_Rᵀ ⇒ A = V_R·Σ·(Q·U_R)ᵀ, so V = Q·U_R): no
 * Gram matrix, so directions with small σ keep full precision.
 */
export function rightSingular(A: MatrixView): { V: Matrix; sigma: number[] } {
  const At = toMatrix({ rows: A.cols, cols: A.rows, at: (i, j) => A.at(j, i) }); // [n, r]
  if (A.rows > A.cols) {
    const { U, sigma } = smallSvd(At); // Aᵀ = U Σ Vᵀ ⇒ A's right singular vectors are U
    return { V: U, sigma };
  }
  const qr = new QrDecomposition(At);
  const Q = qr.orthogonalMatrix.subMatrix(0, A.cols - 1, 0, A.rows - 1); // [n, r]
  const R = qr.upperTriangularMatrix.subMatrix(0, A.rows - 1, 0, A.rows - 1); // [r, r]
  const { U, sigma } = smallSvd(R);
  return { V: Q.mmul(U), sigma };
}

/**
 * Singular values of M [m, n] (all min(m, n) of them, descending), from the eigenvalues of the
 * smaller Gram matrix. Squaring costs relative precision only on values far below σ_max, which
 * is fine for what they are used for here: the energy Σσᵢ² of the leading ones.
 */
export function singularValues(M: MatrixView): number[] {
  const k = Math.min(M.rows, M.cols);
  const tall = M.rows >= M.cols;
  const long = tall ? M.rows : M.cols;
  // G = MᵀM (tall) or MMᵀ (wide), [k, k]: accumulate one rank-1 term per row (or column) of M.
  const G = new Float64Array(k * k);
  const v = new Float64Array(k);
  for (let t = 0; t < long; t++) {
    for (let a = 0; a < k; a++) v[a] = tall ? M.at(t, a) : M.at(a, t);
    for (let a = 0; a < k; a++) {
      const va = v[a];
      if (va === 0) continue;
      const row = a * k;
      for (let b = a; b < k; b++) G[row + b] += va * v[b];
    }
  }
  const g = new Matrix(k, k);
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      g.set(a, b, G[a * k + b]);
      g.set(b, a, G[a * k + b]);
    }
  const lambda = new EVD(g, { assumeSymmetric: true }).realEigenvalues;
  return lambda.map((l) => Math.sqrt(Math.max(0, l))).sort((x, y) => y - x);
}

/** Uᵀ·M·V [p, q] for U [m, p], M [m, n] (a view), V [n, q]: the projection of M on two bases. */
export function project(U: Matrix, M: MatrixView, V: Matrix): Matrix {
  const q = V.columns;
  const v = Float64Array.from(V.to1DArray()); // [n, q] row-major
  // M·V first, [m, q], in one pass over M (plain arrays: ml-matrix's get/set per element is slow).
  const mv = new Float64Array(M.rows * q);
  for (let i = 0; i < M.rows; i++)
    for (let j = 0; j < M.cols; j++) {
      const x = M.at(i, j);
      if (x === 0) continue;
      for (let c = 0; c < q; c++) mv[i * q + c] += x * v[j * q + c];
    }
  const MV = new Matrix(M.rows, q);
  for (let i = 0; i < M.rows; i++) for (let c = 0; c < q; c++) MV.set(i, c, mv[i * q + c]);
  return U.transpose().mmul(MV);
}

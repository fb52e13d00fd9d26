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
 * The Gram operator of M's smaller side, q ↦ G·q with G = MᵀM or MMᵀ [k, k], k = min(m, n),
 * applied as Mᵀ(M·q) (or M(Mᵀ·q)) without forming G: 2·m·n per product. `scale` = max Gᵢᵢ.
 */
function gramOperator(M: MatrixView): { k: number; apply: (q: Float64Array) => Float64Array; scale: number } {
  const tall = M.rows >= M.cols;
  const k = tall ? M.cols : M.rows;
  const long = tall ? M.rows : M.cols;
  // X [long, k] with G = XᵀX, copied once (the view's closure per element is slow in a loop).
  const x = new Float64Array(long * k);
  for (let t = 0; t < long; t++) for (let a = 0; a < k; a++) x[t * k + a] = tall ? M.at(t, a) : M.at(a, t);
  let scale = 0;
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let t = 0; t < long; t++) s += x[t * k + a] ** 2;
    scale = Math.max(scale, s);
  }
  const apply = (q: Float64Array) => {
    const out = new Float64Array(k);
    for (let t = 0; t < long; t++) {
      const o = t * k;
      let y = 0;
      for (let a = 0; a < k; a++) y += x[o + a] * q[a];
      if (y !== 0) for (let a = 0; a < k; a++) out[a] += y * x[o + a];
    }
    return out;
  };
  return { k, apply, scale };
}

function symmetricEigenvalues(G: Float64Array, k: number): number[] {
  const g = new Matrix(k, k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) g.set(a, b, G[a * k + b]);
  return new EVD(g, { assumeSymmetric: true }).realEigenvalues.sort((x, y) => y - x);
}

/**
 * The r largest singular values of M [m, n], descending: the square roots of the r largest
 * eigenvalues of the smaller Gram matrix G = MᵀM or MMᵀ [k, k] (squaring costs relative
 * precision only on values far below σ_max: fine for the energy Σσᵢ² of the leading ones this is
 * for). Lanczos with full reorthogonalisation from a fixed start, G applied through M (never
 * formed): the leading Ritz values of a Krylov space of a few times r vectors settle long before
 * it reaches k, so a 2304×768 M costs some dozens of products with M and Mᵀ instead of forming
 * G (O(m·n²)) and decomposing it (O(n³)). It stops
 * when the leading energy changes by less than 1e-12 (relative) between checks (every 8 vectors,
 * or every quarter of the space built so far: T's eigenvalues cost O(j³) each time), or at k
 * vectors, where the result is exact.
 */
export function topSingularValues(M: MatrixView, r: number): number[] {
  const { k, apply, scale } = gramOperator(M);
  const want = Math.min(r, k);
  if (want === 0) return [];
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = new Float64Array(k);
  let seed = 0x2545f491;
  for (let i = 0; i < k; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; // any fixed start with every direction in it
    q[i] = seed / 4294967296 - 0.5;
  }
  scaleTo1(q);
  let previous = -1;
  let nextCheck = 0;
  let ritz: number[] = [];
  for (let j = 0; j < k; j++) {
    basis.push(q);
    const w = apply(q); // G·q
    alpha.push(dot(q, w));
    for (let pass = 0; pass < 2; pass++) for (const v of basis) axpy(w, v, -dot(v, w)); // full reorthogonalisation
    const norm = Math.sqrt(dot(w, w));
    // A residual this small (against max Gᵢᵢ ≤ λ_max) is an invariant subspace: T's values are exact.
    const last = j === k - 1 || norm <= 1e-12 * scale;
    if (last || (j + 1 >= want && j + 1 >= nextCheck)) {
      nextCheck = j + 1 + Math.max(8, Math.ceil((j + 1) / 4));
      ritz = tridiagonalEigenvalues(alpha, beta);
      const energy = ritz.slice(0, want).reduce((a, x) => a + x, 0);
      if (last || Math.abs(energy - previous) <= 1e-12 * energy) break;
      previous = energy;
    }
    beta.push(norm);
    q = w.map((x) => x / norm);
  }
  const out = ritz.slice(0, want).map((x) => Math.sqrt(Math.max(0, x)));
  while (out.length < want) out.push(0); // G had fewer nonzero directions than asked for
  return out;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const axpy = (y: Float64Array, x: Float64Array, a: number) => {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
};
const scaleTo1 = (v: Float64Array) => {
  const n = Math.sqrt(dot(v, v));
  for (let i = 0; i < v.length; i++) v[i] /= n;
};

/** Eigenvalues (descending) of the symmetric tridiagonal matrix with diagonal α and off-diagonal β. */
function tridiagonalEigenvalues(alpha: number[], beta: number[]): number[] {
  const n = alpha.length;
  const T = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    T[i * n + i] = alpha[i];
    if (i + 1 < n) T[i * n + i + 1] = T[(i + 1) * n + i] = beta[i];
  }
  return symmetricEigenvalues(T, n);
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

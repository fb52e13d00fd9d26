/**
 * The SVD of a low-rank update ΔW = s·B·A computed from its factors alone, never forming the
 * [d_out, d_in] matrix: thin QR of B [d_out, r] and of Aᵀ [d_in, r] (B = Q_B·R_B, Aᵀ = Q_A·R_A),
 * then the SVD of the small core C = s·R_B·R_Aᵀ = U_c·Σ·V_cᵀ, so ΔW = (Q_B·U_c)·Σ·(Q_A·V_c)ᵀ.
 * Cost O((d_in + d_out)·r²) instead of O(d_out·d_in·min(d)): a 4096×11008 module at r = 16 takes
 * milliseconds, where the dense SVD would need 360 MB and minutes.
 *
 * The core SVD is ml-matrix's (via svdHost). The tall QR is a Householder loop on column-major
 * float64 data that updates four columns per pass: ml-matrix's QrDecomposition does the same
 * arithmetic through Matrix.get/set, column by column, and measured 2–3× slower here on 4096×16
 * and 11008×16 factors, which decides whether a 7B-class adapter (448 modules) is analysed
 * within the 5 s budget.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { svdHost } from './hostMath';

/** A matrix as plain numbers, row-major, with its [rows, cols]. */
export interface DenseFactor {
  shape: number[];
  data: ArrayLike<number>;
}

/**
 * Thin Householder QR of X [m, n] stored column-major (column j at `x[j·m … j·m + m)`), in place.
 * Reflector j (j < p = min(m, n)) is H_j = I − β_j·v·vᵀ with v in rows j…m−1 of column j.
 */
export interface ThinQr {
  m: number;
  n: number;
  p: number;
  /** The reflectors (column-major, below and on the diagonal). */
  v: Float64Array;
  beta: Float64Array;
  /** R [p, n], row-major, upper trapezoidal: X = Q·R with Q [m, p] having orthonormal columns. */
  R: Float64Array;
}

/** QR of a column-major [m, n] float64 matrix; `x` is overwritten with the reflectors. */
export function thinQr(x: Float64Array, m: number, n: number): ThinQr {
  const p = Math.min(m, n);
  const beta = new Float64Array(p);
  const R = new Float64Array(p * n);
  for (let j = 0; j < p; j++) {
    const cj = j * m;
    let norm2 = 0;
    for (let i = j; i < m; i++) norm2 += x[cj + i] * x[cj + i];
    const norm = Math.sqrt(norm2);
    if (norm === 0) {
      // A zero column (a padded or unused rank): H_j = I, R_jj = 0.
      for (let c = j + 1; c < n; c++) R[j * n + c] = x[c * m + j];
      continue;
    }
    const x0 = x[cj + j];
    const diag = x0 >= 0 ? -norm : norm; // the sign that avoids cancellation in v₀ = x₀ − diag
    x[cj + j] = x0 - diag;
    const vv = norm2 - x0 * x0 + x[cj + j] * x[cj + j];
    const b = 2 / vv;
    beta[j] = b;
    R[j * n + j] = diag;
    // Apply H_j to the columns right of j, four at a time: one pass over v per four columns
    // (measured 1.5–2× faster than column by column on 4096×16 and 11008×16).
    let c = j + 1;
    for (; c + 3 < n; c += 4) {
      const c0 = c * m;
      const c1 = c0 + m;
      const c2 = c1 + m;
      const c3 = c2 + m;
      let w0 = 0;
      let w1 = 0;
      let w2 = 0;
      let w3 = 0;
      for (let i = j; i < m; i++) {
        const v = x[cj + i];
        w0 += v * x[c0 + i];
        w1 += v * x[c1 + i];
        w2 += v * x[c2 + i];
        w3 += v * x[c3 + i];
      }
      w0 *= b;
      w1 *= b;
      w2 *= b;
      w3 *= b;
      for (let i = j; i < m; i++) {
        const v = x[cj + i];
        x[c0 + i] -= w0 * v;
        x[c1 + i] -= w1 * v;
        x[c2 + i] -= w2 * v;
        x[c3 + i] -= w3 * v;
      }
    }
    for (; c < n; c++) {
      const cc = c * m;
      let w = 0;
      for (let i = j; i < m; i++) w += x[cj + i] * x[cc + i];
      const f = b * w;
      for (let i = j; i < m; i++) x[cc + i] -= f * x[cj + i];
    }
    for (let c2 = j + 1; c2 < n; c2++) R[j * n + c2] = x[c2 * m + j];
  }
  return { m, n, p, v: x, beta, R };
}

/** Q·Y for Y [p, k] (row-major; rows p…m−1 taken as zero) → [m, k] column-major. */
export function applyQ(qr: ThinQr, Y: Float64Array, k: number): Float64Array {
  const { m, p, v, beta } = qr;
  const out = new Float64Array(m * k);
  for (let c = 0; c < k; c++) for (let i = 0; i < p; i++) out[c * m + i] = Y[i * k + c];
  for (let c = 0; c < k; c++) {
    const oc = c * m;
    for (let j = p - 1; j >= 0; j--) {
      const b = beta[j];
      if (b === 0) continue;
      const cj = j * m;
      let w = 0;
      for (let i = j; i < m; i++) w += v[cj + i] * out[oc + i];
      const f = b * w;
      for (let i = j; i < m; i++) out[oc + i] -= f * v[cj + i];
    }
  }
  return out;
}

/**
 * Two reusable float64 work areas for the QR inputs: an adapter has hundreds of modules, and
 * fresh megabyte-sized arrays for each would mostly feed the garbage collector. Nothing that
 * outlives a call refers to them.
 */
const scratch: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
function work(slot: 0 | 1, n: number): Float64Array {
  if (scratch[slot].length < n) scratch[slot] = new Float64Array(Math.max(n, 2 * scratch[slot].length));
  return scratch[slot].subarray(0, n);
}

/** B [d_out, r] row-major → column-major float64 (the QR's input), in work area 0. */
function columnsOfB(B: DenseFactor): Float64Array {
  const [m, r] = B.shape;
  const out = work(0, m * r);
  const d = B.data;
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) out[j * m + i] = d[i * r + j];
  return out;
}

export interface LowRankSvd {
  /** min(r, d_out, d_in) singular values of ΔW, decreasing (the rest are exactly zero). */
  sigma: Float64Array;
  /** ‖ΔW‖_F = √(Σ σ²). */
  frobenius: number;
}

export interface LowRankTruncation extends LowRankSvd {
  /** k = min(rank, r, d_out, d_in) columns: B' = U_k·Σ_k [d_out, k] and A' = V_kᵀ [k, d_in], float32. */
  k: number;
  B: Float32Array;
  A: Float32Array;
  /** √(Σ σ² beyond k): the Eckart–Young error of the best rank-k approximation. */
  droppedNorm: number;
}

function coreOf(B: DenseFactor, A: DenseFactor, scaling: number) {
  const [dOut, r] = B.shape;
  const [rA, dIn] = A.shape;
  if (B.shape.length !== 2 || A.shape.length !== 2 || rA !== r) {
    throw new Error(`factors [${B.shape.join(', ')}]·[${A.shape.join(', ')}] do not fit`);
  }
  const qrB = thinQr(columnsOfB(B), dOut, r);
  // Aᵀ [d_in, r] column-major is A [r, d_in] row-major: the same numbers in the same order.
  const a = work(1, r * dIn);
  a.set(A.data);
  const qrA = thinQr(a, dIn, r);
  const pB = qrB.p;
  const pA = qrA.p;
  const core = new Float64Array(pB * pA); // s·R_B·R_Aᵀ [pB, pA]
  for (let i = 0; i < pB; i++) {
    for (let j = 0; j < pA; j++) {
      let sum = 0;
      for (let t = 0; t < r; t++) sum += qrB.R[i * r + t] * qrA.R[j * r + t];
      core[i * pA + j] = scaling * sum;
    }
  }
  return { qrB, qrA, core, pB, pA };
}

function summary(S: ArrayLike<number>): LowRankSvd {
  // ml-matrix may return −0 or a tiny negative for an exactly-zero singular value.
  const sigma = Float64Array.from(S, (s) => Math.max(0, s));
  let f2 = 0;
  for (const s of sigma) f2 += s * s;
  return { sigma, frobenius: Math.sqrt(f2) };
}

/**
 * Singular values and ‖·‖_F of ΔW = scaling·B·A from the factors (values only: the core's
 * singular vectors are not computed, which is 3–4× faster for the r×r SVD).
 * @param B [d_out, r] row-major; @param A [r, d_in] row-major (PEFT's lora_B / lora_A).
 */
export function lowRankSvd(B: DenseFactor, A: DenseFactor, scaling: number): LowRankSvd {
  const { core, pB, pA } = coreOf(B, A, scaling);
  if (pB === 0 || pA === 0) return { sigma: new Float64Array(0), frobenius: 0 };
  const M = new Matrix(pB, pA);
  for (let i = 0; i < pB; i++) for (let j = 0; j < pA; j++) M.set(i, j, core[i * pA + j]);
  const svd = new SingularValueDecomposition(M, {
    autoTranspose: true,
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
  });
  return summary(svd.diagonal.slice(0, Math.min(pB, pA)));
}

/**
 * The best rank-`rank` factors of ΔW = scaling·B·A (Eckart–Young), split like PEFT's svd
 * combination: B' = U_k·Σ_k, A' = V_kᵀ, so ΔW_k = B'·A' with scaling 1.
 */
export function truncateLowRank(B: DenseFactor, A: DenseFactor, scaling: number, rank: number): LowRankTruncation {
  const { qrB, qrA, core, pB, pA } = coreOf(B, A, scaling);
  const empty = new Float64Array(0);
  const { U, S, V, p } = pB > 0 && pA > 0 ? svdHost(core, pB, pA) : { U: empty, S: empty, V: empty, p: 0 };
  const { sigma, frobenius } = summary(S);
  const k = Math.min(rank, p);
  const uk = new Float64Array(pB * k);
  const vk = new Float64Array(pA * k);
  for (let i = 0; i < pB; i++) for (let c = 0; c < k; c++) uk[i * k + c] = U[i * p + c] * sigma[c];
  for (let i = 0; i < pA; i++) for (let c = 0; c < k; c++) vk[i * k + c] = V[i * p + c];
  const left = applyQ(qrB, uk, k); // [d_out, k] column-major
  const right = applyQ(qrA, vk, k); // [d_in, k] column-major = A' [k, d_in] row-major
  const dOut = qrB.m;
  const Bk = new Float32Array(dOut * k);
  for (let c = 0; c < k; c++) for (let i = 0; i < dOut; i++) Bk[i * k + c] = left[c * dOut + i];
  let dropped = 0;
  for (let j = k; j < sigma.length; j++) dropped += sigma[j] * sigma[j];
  return { sigma, frobenius, k, B: Bk, A: Float32Array.from(right), droppedNorm: Math.sqrt(dropped) };
}

/** Gram matrix XᵀX [n, n] of a row-major X [m, n]. */
function gramOfColumns(x: ArrayLike<number>, m: number, n: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let i = 0; i < m; i++) {
    const o = i * n;
    for (let a = 0; a < n; a++) {
      const xa = x[o + a];
      if (xa === 0) continue;
      for (let b = a; b < n; b++) g[a * n + b] += xa * x[o + b];
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) g[a * n + b] = g[b * n + a];
  return g;
}

/** Gram matrix X·Xᵀ [n, n] of a row-major X [n, m]. */
function gramOfRows(x: ArrayLike<number>, n: number, m: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += x[a * m + i] * x[b * m + i];
      g[a * n + b] = s;
      g[b * n + a] = s;
    }
  }
  return g;
}

/**
 * ‖s·B·A − B'·A'‖_F in float64 without forming either product: with P = [s·B | −B'] and
 * Q = [A; A'], the error² is trace(PᵀP · Q·Qᵀ). Cancellation limits it to ≈ 1e-8·‖ΔW‖_F.
 * @param B [d_out, r], A [r, d_in]; Bk [d_out, k], Ak [k, d_in] (all row-major).
 */
export function lowRankDifferenceNorm(
  B: DenseFactor,
  A: DenseFactor,
  scaling: number,
  Bk: DenseFactor,
  Ak: DenseFactor,
): number {
  const [dOut, r] = B.shape;
  const dIn = A.shape[1];
  const k = Bk.shape[1];
  const n = r + k;
  const P = new Float64Array(dOut * n);
  for (let i = 0; i < dOut; i++) {
    for (let j = 0; j < r; j++) P[i * n + j] = scaling * B.data[i * r + j];
    for (let j = 0; j < k; j++) P[i * n + r + j] = -Bk.data[i * k + j];
  }
  const Q = new Float64Array(n * dIn);
  for (let i = 0; i < r * dIn; i++) Q[i] = A.data[i];
  for (let i = 0; i < k * dIn; i++) Q[r * dIn + i] = Ak.data[i];
  const gp = gramOfColumns(P, dOut, n);
  const gq = gramOfRows(Q, n, dIn);
  let t = 0;
  for (let i = 0; i < n * n; i++) t += gp[i] * gq[i]; // trace(Gp·Gq) with both symmetric
  return Math.sqrt(Math.max(0, t));
}

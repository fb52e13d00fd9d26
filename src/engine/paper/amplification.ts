/**
 * How ΔW relates to W (LoRA paper §7.3, Table 7). Project W on the r directions ΔW uses,
 *
 *   ‖U_rᵀ·W·V_r‖_F   with ΔW ≈ U_r·Σ_r·V_rᵀ (U_r [d_out, r], V_r [d_in, r], columns = directions),
 *
 * and compare with the same projection on W's own top-r directions (= √(σ₁² + … + σ_r²) of W)
 * and on random orthonormal directions. The amplification factor is ‖ΔW‖_F / ‖U_rᵀ·W·V_r‖_F:
 * how strongly ΔW amplifies directions that W itself barely uses.
 *
 * Convention: the paper writes ‖Uᵀ W Vᵀ‖_F with V's rows being the right singular vectors (as
 * numpy's `U, S, Vh = svd(ΔW)` returns them: Vᵀ there is Vhᵀ); with V as columns, as here, the
 * same number is ‖U_rᵀ·W·V_r‖_F. The paper's r is the adapter's rank (r = 4 and r = 64 in
 * Table 7); its GPT-3 example: ‖ΔW_q‖_F = 6.91, ‖U_rᵀ W_q V_r‖_F = 0.32, factor ≈ 21.5 at r = 4.
 */
import { Matrix } from 'ml-matrix';
import { Rng } from '../rng';
import type { LoraModuleWeights } from '../lora/types';
import { UserFacingError, type HostTensor } from '../types';
import { frobeniusOf, orthonormalColumns, project, smallSvd, toMatrix, topSingularValues, viewOf } from './linalg';

export interface AmplificationOptions {
  /** Directions to compare (default: the numerical rank of ΔW, at most the adapter's r). */
  r?: number;
  /** Seeds the random directions (src/engine/rng.ts). */
  seed: number;
  /**
   * How W is stored: "outIn" = [d_out, d_in] (nn.Linear, the paper's W), "inOut" = [d_in, d_out]
   * (GPT-2's Conv1D, PEFT's fan_in_fan_out). Default "outIn".
   */
  layout?: 'outIn' | 'inOut';
}

export interface Amplification {
  /** Directions compared. */
  r: number;
  /** ‖ΔW‖_F with ΔW = scaling·B·A. */
  deltaWNorm: number;
  /** ‖W‖_F. */
  wNorm: number;
  /** ‖U_rᵀ·W·V_r‖_F for ΔW's top-r directions, W's own top-r directions, and random orthonormal ones. */
  projection: { deltaW: number; w: number; random: number };
  /** ‖ΔW‖_F / projection.deltaW (Infinity when ΔW only uses directions W has nothing in). */
  factor: number;
  /** Top singular values of ΔW (all r of the adapter) and of W (the first r). */
  deltaWSigma: number[];
  wSigma: number[];
  /** Numerical rank of ΔW (0 for an untrained adapter with B = 0). */
  deltaWRank: number;
}

/**
 * ΔW = s·B·A's top singular directions, exactly, from its factors: B = Q_B·R_B, Aᵀ = Q_A·R_A,
 * so ΔW = Q_B·(s·R_B·R_Aᵀ)·Q_Aᵀ and the SVD of the r×r core gives U = Q_B·U_c, V = Q_A·V_c.
 * Cost O((d_out + d_in)·r²), never the dense d_out×d_in matrix.
 */
export function deltaWDirections(m: LoraModuleWeights): { U: Matrix; sigma: number[]; V: Matrix } {
  const A = viewOf(m.A); // [r, d_in]
  const B = viewOf(m.B); // [d_out, r]
  const r = A.rows;
  if (B.cols !== r) throw new RangeError(`A has ${r} rows but B has ${B.cols} columns`);
  if (r > A.cols || r > B.rows) {
    // More rank than one side has: the dense ΔW is small then, so decompose it directly.
    const dW = toMatrix(B).mmul(toMatrix(A)).mul(m.scaling);
    return smallSvd(dW);
  }
  const QB = orthonormalColumns(toMatrix(B));
  const QA = orthonormalColumns(toMatrix(viewOf(m.A, true)));
  const RB = QB.transpose().mmul(toMatrix(B)); // [r, r]
  const RA = QA.transpose().mmul(toMatrix(viewOf(m.A, true))); // [r, r]
  const core = RB.mmul(RA.transpose()).mul(m.scaling);
  const { U, sigma, V } = smallSvd(core);
  return { U: QB.mmul(U), sigma, V: QA.mmul(V) };
}

/** Orthonormal columns [n, r] spanning a seeded random (Haar-distributed) subspace. */
export function randomDirections(n: number, r: number, rng: Rng): Matrix {
  const G = new Matrix(n, r);
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) G.set(i, j, rng.normal());
  return orthonormalColumns(G);
}

/**
 * Table 7 for one module: W [d_out, d_in] (or [d_in, d_out] with layout "inOut") and the
 * adapter's factors for that module (A [r, d_in], B [d_out, r], scaling).
 * Cost: W's Gram matrix, O(d_out·d_in·min(d_out, d_in)), then its top r eigenvalues; the rest is
 * O((d_out + d_in)·r²).
 * @throws UserFacingError when W's shape does not fit the adapter's factors.
 */
export function amplification(W: HostTensor, m: LoraModuleWeights, options: AmplificationOptions): Amplification {
  const w = viewOf(W, options.layout === 'inOut');
  const dIn = m.A.shape[1];
  const dOut = m.B.shape[0];
  if (w.rows !== dOut || w.cols !== dIn) {
    throw new UserFacingError(
      `W is ${w.rows}×${w.cols} (d_out×d_in) but the adapter's factors need ${dOut}×${dIn}: check the module and the layout`,
    );
  }
  const dir = deltaWDirections(m);
  const tol = Math.max(dOut, dIn) * (dir.sigma[0] ?? 0) * Number.EPSILON;
  const deltaWRank = dir.sigma.filter((s) => s > tol).length;
  const deltaWNorm = Math.sqrt(dir.sigma.reduce((s, x) => s + x * x, 0));
  const wNorm = frobeniusOf(w);
  const requested = options.r ?? deltaWRank;
  if (!Number.isInteger(requested) || requested < 0) throw new RangeError(`r must be a whole number, got ${options.r}`);
  const r = Math.min(requested, deltaWRank);
  const wSigma = r > 0 ? topSingularValues(w, r) : [];
  if (r === 0) {
    // B = 0 (untrained) or r = 0: ΔW has no direction to compare.
    return {
      r,
      deltaWNorm,
      wNorm,
      projection: { deltaW: 0, w: 0, random: 0 },
      factor: NaN,
      deltaWSigma: dir.sigma,
      wSigma,
      deltaWRank,
    };
  }
  const cols = (M: Matrix) => M.subMatrix(0, M.rows - 1, 0, r - 1);
  const onDelta = project(cols(dir.U), w, cols(dir.V)).norm('frobenius');
  const rng = new Rng(options.seed);
  const onRandom = project(randomDirections(dOut, r, rng), w, randomDirections(dIn, r, rng)).norm('frobenius');
  // On W's own top-r directions Uᵀ·W·V = diag(σ₁…σ_r), so the norm is √Σσᵢ² (no vectors needed).
  const onW = Math.sqrt(wSigma.reduce((s, x) => s + x * x, 0));
  return {
    r,
    deltaWNorm,
    wNorm,
    projection: { deltaW: onDelta, w: onW, random: onRandom },
    // W is float32 data (ε ≈ 6e-8), so a projection below 1e-6·‖W‖_F is rounding: ΔW lives where
    // W has nothing.
    factor: onDelta <= wNorm * 1e-6 ? Infinity : deltaWNorm / onDelta,
    deltaWSigma: dir.sigma,
    wSigma,
    deltaWRank,
  };
}

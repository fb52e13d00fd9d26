/**
 * What one adapted module's update ΔW = s·B·A is, from its factors alone: its singular values
 * (thin QR of both factors + SVD of the r×r core; ΔW is never formed), ‖ΔW‖_F, stable rank,
 * effective rank, how many directions carry 90 % / 99 % of the energy, and the numbers the
 * lints need (non-finite entries, the largest factor entry, a bound on ΔW's largest entry).
 */
import type { AdapterModule } from '../formats/types';
import { modulePlace } from '../formats/names';
import { lowRankSvd } from '../lora/factorSvd';

/** float32 machine epsilon. */
export const EPS_F32 = 1.1920929e-7;

export interface ModuleStats {
  name: string;
  key: string;
  kind: AdapterModule['kind'];
  layer: string;
  layerIndex: number | null;
  type: string;
  dIn: number;
  dOut: number;
  r: number;
  alpha: number | null;
  scaling: number;
  scalingRule: string;
  stored: AdapterModule['stored'];
  kernel?: number[];
  /** Decreasing singular values of ΔW (min(r, d_in, d_out) of them; empty when a factor is not finite). */
  singularValues: number[];
  /** ‖ΔW‖_F = √(Σ σ²). */
  frobenius: number;
  /** 10·max(d_in, d_out)·σ₁·ε_f32: below it a singular value is float32 rounding noise. */
  noiseFloor: number;
  /** Singular values above the noise floor. */
  numericalRank: number;
  /** ‖ΔW‖_F² / σ₁² (1 for a rank-1 update, r for a flat spectrum). */
  stableRank: number;
  /** exp of the entropy of σᵢ/Σσ (Roy & Vetterli): a smooth count of the directions in use. */
  effectiveRank: number;
  /** Smallest k whose σ₁² + … + σ_k² reaches 90 % / 99 % of ‖ΔW‖_F². */
  energy90: number;
  energy99: number;
  /** NaN or ±Inf entries in A and B together. */
  nonFinite: number;
  /** Largest |entry| of A and B. */
  maxAbsFactor: number;
  /** Upper bound on max |ΔW_ij|: s·max_i ‖B_i,:‖·max_j ‖A_:,j‖ (Cauchy–Schwarz). */
  deltaEntryBound: number;
  /** r·(d_in + d_out). */
  params: number;
}

function countAbove(sigma: ArrayLike<number>, floor: number): number {
  let n = 0;
  for (let i = 0; i < sigma.length; i++) if (sigma[i] > floor) n++;
  return n;
}

function energyCount(sigma: ArrayLike<number>, fraction: number): number {
  let total = 0;
  for (let i = 0; i < sigma.length; i++) total += sigma[i] * sigma[i];
  if (total === 0) return 0;
  let run = 0;
  for (let i = 0; i < sigma.length; i++) {
    run += sigma[i] * sigma[i];
    if (run >= fraction * total * (1 - 1e-12)) return i + 1;
  }
  return sigma.length;
}

function effectiveRank(sigma: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < sigma.length; i++) sum += sigma[i];
  if (sum === 0) return 0;
  let h = 0;
  for (let i = 0; i < sigma.length; i++) {
    const p = sigma[i] / sum;
    if (p > 0) h -= p * Math.log(p);
  }
  return Math.exp(h);
}

/**
 * Largest |entry|, the largest row norm (`byRow`) or column norm of X [rows, cols] (row-major), and
 * the count of non-finite entries. One tight pass: a NaN or ±Inf entry makes its row's (column's)
 * sum of squares non-finite, and only then is a second pass spent counting them.
 */
function scan(x: Float32Array, rows: number, cols: number, byRow: boolean) {
  let maxAbs = 0;
  let maxNorm2 = 0;
  let finite = true;
  const norms = byRow ? new Float64Array(0) : new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let n2 = 0;
    for (let j = 0; j < cols; j++) {
      const v = x[o + j];
      if (byRow) n2 += v * v;
      else norms[j] += v * v;
      if (v > maxAbs) maxAbs = v;
      else if (-v > maxAbs) maxAbs = -v;
    }
    if (byRow) {
      if (!Number.isFinite(n2)) finite = false;
      else if (n2 > maxNorm2) maxNorm2 = n2;
    }
  }
  for (const n2 of norms) {
    if (!Number.isFinite(n2)) finite = false;
    else if (n2 > maxNorm2) maxNorm2 = n2;
  }
  let nonFinite = 0;
  if (!finite) for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) nonFinite++;
  return { nonFinite, maxAbs: Number.isFinite(maxAbs) ? maxAbs : 0, maxNorm: Math.sqrt(maxNorm2) };
}

/** Everything the inspector shows about one module. Cost O((d_in + d_out)·r²). */
export function moduleStats(m: AdapterModule): ModuleStats {
  const [r, dIn] = m.A.shape;
  const dOut = m.B.shape[0];
  const a = scan(m.A.data, r, dIn, false); // column norms of A
  const b = scan(m.B.data, dOut, r, true); // row norms of B
  const nonFinite = a.nonFinite + b.nonFinite;
  const finite = nonFinite === 0 && Number.isFinite(m.scaling);
  const { sigma, frobenius } = finite
    ? lowRankSvd(m.B, m.A, m.scaling)
    : { sigma: new Float64Array(0), frobenius: NaN };
  const top = sigma.length ? sigma[0] : 0;
  const noiseFloor = 10 * Math.max(dIn, dOut) * top * EPS_F32;
  const place = modulePlace(m.name);
  return {
    name: m.name,
    key: m.key,
    kind: m.kind,
    layer: place.layer,
    layerIndex: place.index,
    type: place.type,
    dIn,
    dOut,
    r,
    alpha: m.alpha,
    scaling: m.scaling,
    scalingRule: m.scalingRule,
    stored: m.stored,
    ...(m.kernel ? { kernel: m.kernel } : {}),
    singularValues: Array.from(sigma),
    frobenius,
    noiseFloor,
    numericalRank: finite ? countAbove(sigma, noiseFloor) : 0,
    stableRank: top > 0 ? (frobenius * frobenius) / (top * top) : 0,
    effectiveRank: effectiveRank(sigma),
    energy90: energyCount(sigma, 0.9),
    energy99: energyCount(sigma, 0.99),
    nonFinite,
    maxAbsFactor: Math.max(a.maxAbs, b.maxAbs),
    deltaEntryBound: Math.abs(m.scaling) * a.maxNorm * b.maxNorm,
    params: r * (dIn + dOut),
  };
}

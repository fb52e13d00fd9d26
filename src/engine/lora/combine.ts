/**
 * Weighted combination of adapters into a new one (PEFT `add_weighted_adapter`), on plain data.
 * - "cat": stack the factors (ranks add up); the product is exactly Σ wᵢ·ΔWᵢ.
 * - "svd": re-factorise Σ wᵢ·ΔWᵢ by truncated SVD to a chosen rank (from the factors, never the
 *   dense sum); the error ‖target − B·A‖_F equals √(Σ dropped σ²) (Eckart–Young).
 * The new adapter has r = α = its rank (scaling 1), like PEFT's.
 */
import { UserFacingError } from '../types';
import { lowRankDifferenceNorm, truncateLowRank } from './factorSvd';
import { matmulHost } from './hostMath';
import { DEFAULT_LORA_CONFIG, type AdapterWeights, type LoraConfig, type LoraModuleWeights } from './types';

export interface WeightedAdapter {
  adapter: AdapterWeights;
  weight: number;
}

export interface SvdCombination {
  adapter: AdapterWeights;
  /** Per module: ‖Σ wᵢΔWᵢ − B·A‖_F, measured on the host in float64 (to ≈ 1e-8·‖ΔW‖_F). */
  errors: Map<string, number>;
  /** Per module: √(Σ σ² beyond the chosen rank) of the target. */
  droppedSigmaNorms: Map<string, number>;
}

function check(inputs: WeightedAdapter[]): void {
  if (inputs.length === 0) throw new UserFacingError('choose at least one adapter to combine');
  for (const { weight } of inputs) {
    if (!Number.isFinite(weight))
      throw new UserFacingError(`combination weights must be finite numbers, got ${weight}`);
  }
}

/** Modules in first-seen order with their [d_out, d_in]. */
function moduleDims(inputs: WeightedAdapter[]): Map<string, [number, number]> {
  const dims = new Map<string, [number, number]>();
  for (const { adapter } of inputs) {
    for (const [path, m] of adapter.modules) {
      const d: [number, number] = [m.B.shape[0], m.A.shape[1]];
      const seen = dims.get(path);
      if (seen && (seen[0] !== d[0] || seen[1] !== d[1])) {
        throw new UserFacingError(`adapters disagree on the shape of ${path}: they were made for different models`);
      }
      dims.set(path, d);
    }
  }
  return dims;
}

function newConfig(base: LoraConfig, rank: number, ranks: Map<string, number>, modules: string[]): LoraConfig {
  const rank_pattern: Record<string, number> = {};
  for (const [path, r] of ranks) if (r !== rank) rank_pattern[path.replace(/\./g, '\\.')] = r;
  return {
    ...structuredClone(DEFAULT_LORA_CONFIG),
    fan_in_fan_out: base.fan_in_fan_out,
    r: rank,
    lora_alpha: rank,
    target_modules: modules,
    rank_pattern,
    alpha_pattern: { ...rank_pattern },
  };
}

/**
 * One module's factors of all inputs side by side: A = [w₁s₁A₁; w₂s₂A₂; …] (rows) and
 * B = [B₁ B₂ …] (columns), so B·A = Σ wᵢ·sᵢ·Bᵢ·Aᵢ exactly (in the array type's precision).
 */
function stack<T extends Float32Array | Float64Array>(
  inputs: WeightedAdapter[],
  path: string,
  dOut: number,
  dIn: number,
  make: (n: number) => T,
): { A: T; B: T; r: number } {
  const parts = inputs.flatMap(({ adapter, weight }) => {
    const m = adapter.modules.get(path);
    return m ? [{ m, k: weight * m.scaling }] : [];
  });
  const r = parts.reduce((n, p) => n + p.m.r, 0);
  const A = make(r * dIn);
  const B = make(dOut * r);
  let row = 0;
  for (const { m, k } of parts) {
    for (let i = 0; i < m.r * dIn; i++) A[row * dIn + i] = k * m.A.data[i];
    for (let o = 0; o < dOut; o++) for (let j = 0; j < m.r; j++) B[o * r + row + j] = m.B.data[o * m.r + j];
    row += m.r;
  }
  return { A, B, r };
}

/** "cat": A = [w₁s₁A₁; w₂s₂A₂; …] (rows), B = [B₁ B₂ …] (columns). Exact. */
export function combineCat(inputs: WeightedAdapter[]): AdapterWeights {
  check(inputs);
  const dims = moduleDims(inputs);
  const modules = new Map<string, LoraModuleWeights>();
  const ranks = new Map<string, number>();
  for (const [path, [dOut, dIn]] of dims) {
    const { A, B, r } = stack(inputs, path, dOut, dIn, (n) => new Float32Array(n));
    modules.set(path, { A: { shape: [r, dIn], data: A }, B: { shape: [dOut, r], data: B }, r, alpha: r, scaling: 1 });
    ranks.set(path, r);
  }
  const rank = inputs.reduce((n, { adapter }) => n + adapter.config.r, 0);
  return { config: newConfig(inputs[0].adapter.config, rank, ranks, [...dims.keys()]), modules };
}

/** Σ wᵢ·sᵢ·Bᵢ·Aᵢ for one module, [d_out, d_in], float64. */
export function weightedDelta(inputs: WeightedAdapter[], path: string, dOut: number, dIn: number): Float64Array {
  const out = new Float64Array(dOut * dIn);
  for (const { adapter, weight } of inputs) {
    const m = adapter.modules.get(path);
    if (!m) continue;
    const ba = matmulHost(m.B.data, m.A.data, dOut, m.r, dIn);
    const k = weight * m.scaling;
    for (let i = 0; i < out.length; i++) out[i] += k * ba[i];
  }
  return out;
}

/**
 * "svd": best rank-`rank` factors of Σ wᵢ·ΔWᵢ per module (B = U_k·Σ_k, A = V_kᵀ, as PEFT), computed
 * from the stacked factors (thin QR of each, SVD of the small core), so it never forms a
 * [d_out, d_in] matrix and works for 7B-sized modules. A module whose Σ rᵢ is below `rank` keeps
 * rank Σ rᵢ (no zero columns). With one input of weight 1 this is "shrink an adapter to rank k".
 */
export function combineSvd(inputs: WeightedAdapter[], rank: number): SvdCombination {
  check(inputs);
  if (!Number.isInteger(rank) || rank <= 0)
    throw new UserFacingError(`the combined rank must be a positive integer, got ${rank}`);
  const dims = moduleDims(inputs);
  const modules = new Map<string, LoraModuleWeights>();
  const errors = new Map<string, number>();
  const droppedSigmaNorms = new Map<string, number>();
  const ranks = new Map<string, number>();
  for (const [path, [dOut, dIn]] of dims) {
    // float64, so the target Σ wᵢ·sᵢ·Bᵢ·Aᵢ is not rounded before it is factorised.
    const { A, B, r } = stack(inputs, path, dOut, dIn, (n) => new Float64Array(n));
    const target = { B: { shape: [dOut, r], data: B }, A: { shape: [r, dIn], data: A } };
    const t = truncateLowRank(target.B, target.A, 1, rank);
    const k = t.k;
    const out = { B: { shape: [dOut, k], data: t.B }, A: { shape: [k, dIn], data: t.A } };
    errors.set(path, lowRankDifferenceNorm(target.B, target.A, 1, out.B, out.A));
    droppedSigmaNorms.set(path, t.droppedNorm);
    modules.set(path, { A: out.A, B: out.B, r: k, alpha: k, scaling: 1 });
    ranks.set(path, k);
  }
  return {
    adapter: { config: newConfig(inputs[0].adapter.config, rank, ranks, [...dims.keys()]), modules },
    errors,
    droppedSigmaNorms,
  };
}

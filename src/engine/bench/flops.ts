/**
 * Analytic FLOPs of one training step of any family (multiply-add = 2 FLOPs), to turn measured
 * time into achieved GFLOP/s. Counts matrix products only (they dominate); elementwise work is
 * ignored.
 */
import type { ModelDims } from '../models/causalLm';

export interface StepFlops {
  forward: number;
  /**
   * forward + backward for `full` (weight and activation gradients): ≈ 3 × forward, plus the one-hot embedding
   * product.
   */
  full: number;
  /** forward + activation gradients + the adapters' own products (no base weight gradients). */
  lora: number;
}

/** What the count needs from a model: its sizes and its linear layers (ModelSpec or CausalLm + linears). */
export interface FlopsShape {
  dims: ModelDims;
  /** Every linear layer with its shape (d_in × d_out multiply-adds per token). */
  linears: { dIn: number; dOut: number }[];
}

/**
 * @param adapted layers·(d_in + d_out) summed over adapted modules, i.e. LoRA params / r.
 */
export function lmStepFlops(m: FlopsShape, batch: number, seq: number, r: number, adapted: number): StepFlops {
  const N = batch * seq;
  const d = m.dims;
  const linear = m.linears.reduce((s, l) => s + l.dIn * l.dOut, 0);
  const head = d.hidden * d.vocabSize; // the LM head, tied or not
  // A frozen base gathers its embeddings; full mode embeds by a one-hot [N, V]·[V, H] product.
  const embed = 2 * N * d.hidden * d.vocabSize;
  const attention = d.layers * 2 * batch * seq * seq * d.heads * d.headDim; // QKᵀ and A·V
  const forward = 2 * N * (linear + head) + 2 * attention;
  // Adapter branch per token: x·Aᵀ (r·d_in) then ·Bᵀ (r·d_out): 2·N·r·adapted forward, ×3 with its gradients.
  const adapter = 2 * N * r * adapted;
  return { forward, full: 3 * (forward + embed), lora: 2 * forward + 3 * adapter };
}

/**
 * The LoRA/full step-time floor for a d×d layer: (4 + 12r/d)/6 (forward + activation grad + adapter work vs 3
 * passes).
 */
export function loraFloorRatio(r: number, d: number): number {
  return (4 + (12 * r) / d) / 6;
}

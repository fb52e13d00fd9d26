/**
 * Analytic FLOPs of one GPT-2 training step (multiply-add = 2 FLOPs), to turn measured time into
 * achieved GFLOP/s. Counts matrix products only (they dominate); elementwise work is ignored.
 */
import type { Gpt2Config } from '../gpt2/config';

export interface StepFlops {
  forward: number;
  /** forward + backward for `full` (weight and activation gradients): ≈ 3 × forward. */
  full: number;
  /** forward + activation gradients + the adapters' own products (no base weight gradients). */
  lora: number;
}

/**
 * @param adapted layers·(d_in + d_out) summed over adapted modules, i.e. LoRA params / r.
 */
export function gpt2StepFlops(c: Gpt2Config, batch: number, seq: number, r: number, adapted: number): StepFlops {
  const N = batch * seq;
  const C = c.n_embd;
  const linear = c.n_layer * (C * 3 * C + C * C + 2 * C * c.n_inner); // weights in c_attn, c_proj, c_fc, mlp.c_proj
  const head = C * c.vocab_size; // tied LM head
  const embed = C * c.vocab_size; // the one-hot embedding product
  const attention = c.n_layer * 2 * batch * seq * seq * C; // QKᵀ and A·V
  const forward = 2 * N * (linear + head + embed) + 2 * attention;
  // Adapter branch per token: x·Aᵀ (r·d_in) then ·Bᵀ (r·d_out): 2·N·r·adapted forward, ×3 with its gradients.
  const adapter = 2 * N * r * adapted;
  return { forward, full: 3 * forward, lora: 2 * forward + 3 * adapter };
}

/**
 * The LoRA/full step-time floor for a d×d layer: (4 + 12r/d)/6 (forward + activation grad + adapter work vs 3
 * passes).
 */
export function loraFloorRatio(r: number, d: number): number {
  return (4 + (12 * r) / d) / 6;
}

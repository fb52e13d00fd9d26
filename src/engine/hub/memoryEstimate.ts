/**
 * A first estimate of the memory a LoRA run on a Hub model needs, before anything is fetched.
 * Kept in this one function so the exact estimator (being written beside the trainer) can
 * replace it without touching the panel.
 *
 * - weights: every base parameter as float32 (bf16 checkpoints are widened on upload);
 * - LoRA: A and B, their gradients and Adam's two moments: 4 float32 per trainable parameter;
 * - activations kept for the backward pass, per token (float32):
 *   GPT-2 block: ln_1 out, q k v, attention out, residual, ln_2 out (≈ 7·d), c_fc and GELU out (2·ffn),
 *   attention scores and probabilities (2·heads·seq);
 *   Llama/Qwen2 block: two norms, q, attention out, residual (≈ 5·d), k, v and rotated k (3·kvDim),
 *   rotated q (d), gate, up, SiLU and product (4·ffn), scores and probabilities (2·heads·seq);
 *   plus the LM head's logits, softmax and their gradient (3·vocab per token), often the largest term.
 */
import type { HubArch } from './hubArch';

export interface TrainingShape {
  batch: number;
  /** Tokens per sequence. */
  seq: number;
  rank: number;
}

/** The shape the estimates assume unless told otherwise: the trainer's defaults for a Hub model. */
export const DEFAULT_SHAPE: TrainingShape = { batch: 8, seq: 128, rank: 8 };

export interface MemoryEstimate {
  /** Bytes of each part, and their sum. */
  weights: number;
  lora: number;
  activations: number;
  total: number;
}

export function estimateTrainingMemory(a: HubArch, s: TrainingShape = DEFAULT_SHAPE): MemoryEstimate {
  const F32 = 4;
  const weights = a.params * F32;
  const lora = a.loraPerRank * s.rank * 4 * F32;
  const attention = 2 * a.heads * s.seq;
  const perLayer =
    a.family === 'gpt2' ? 7 * a.hidden + 2 * a.ffn + attention : 6 * a.hidden + 3 * a.kvDim + 4 * a.ffn + attention;
  const tokens = s.batch * s.seq;
  const activations = tokens * (a.layers * perLayer + 3 * a.vocab) * F32;
  return { weights, lora, activations, total: weights + lora + activations };
}

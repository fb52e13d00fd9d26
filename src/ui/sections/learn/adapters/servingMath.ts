/**
 * Serving numbers for one base with many LoRA adapters, from a model's architecture: memory,
 * the extra compute of an unmerged adapter, and what a merged swap rewrites.
 */
import type { LoraCount, ModelArch } from '../../../../engine/paramCount';

export interface ServingNumbers {
  /** Matmul FLOPs per token in the base's linear layers and LM head (2 per multiply-add). */
  baseFlopsPerToken: number;
  /** Extra FLOPs per token of s·B·(A·x) on every adapted module, unmerged. */
  adapterFlopsPerToken: number;
  /** Numbers rewritten to swap a merged adapter: unmerge the old one, merge the new one. */
  mergedSwapWrites: number;
  /** FLOPs of that swap: two products B·A per adapted module. */
  mergedSwapFlops: number;
}

export function servingNumbers(arch: ModelArch, count: LoraCount, r: number, vocabTimesHidden: number): ServingNumbers {
  const linear = arch.linears.reduce((a, m) => a + m.dIn * m.dOut, 0);
  const adaptedWeights = count.matched.reduce((a, m) => a + m.dIn * m.dOut, 0);
  return {
    baseFlopsPerToken: 2 * (linear + vocabTimesHidden),
    adapterFlopsPerToken: 2 * count.matched.reduce((a, m) => a + r * (m.dIn + m.dOut), 0),
    mergedSwapWrites: 2 * adaptedWeights,
    mergedSwapFlops: 2 * 2 * r * adaptedWeights,
  };
}

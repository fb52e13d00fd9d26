/**
 * The random-weight model a benchmark trains, from a parsed config of any family (GPT-2 or
 * Llama/Qwen2): plain data in the options (a page receives them as JSON), the registry's spec
 * here.
 */
import { gpt2ConfigJson, type Gpt2Config } from '../gpt2/config';
import { llamaConfigJson, parseLlamaConfig, type LlamaConfig } from '../llama/config';
import type { ModelSpec } from '../models/family';
import { modelSpec } from '../models/registry';

/** A parsed config of any family the registry knows. */
export type BenchConfig = Gpt2Config | LlamaConfig;

/** The registry's spec for a parsed config (through its config.json form). */
export function benchSpec(config: BenchConfig): ModelSpec {
  return modelSpec('n_embd' in config ? gpt2ConfigJson(config) : llamaConfigJson(config));
}

/** SmolLM2-135M's shape (HuggingFaceTB/SmolLM2-135M config.json): GQA 9/3, head 64, tied, 134.5M parameters. */
export const SMOLLM2_135M_CONFIG = {
  model_type: 'llama',
  architectures: ['LlamaForCausalLM'],
  hidden_size: 576,
  intermediate_size: 1536,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  max_position_embeddings: 8192,
  rms_norm_eps: 1e-5,
  rope_theta: 100000,
  rope_scaling: null,
  hidden_act: 'silu',
  tie_word_embeddings: true,
  vocab_size: 49152,
} as const;

/** SmolLM2-135M's shape, parsed. */
export const SMOLLM2_135M: LlamaConfig = parseLlamaConfig(SMOLLM2_135M_CONFIG);

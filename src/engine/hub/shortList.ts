/**
 * Good small bases to fine-tune here, with what is known about each before anything is fetched.
 *
 * Where the numbers come from (the Hub cannot be reached from the machines this was built on, so
 * each was read from public copies and cross-checked):
 * - `config`: the fields of each repo's config.json (huggingface.co/<repo>/blob/main/config.json)
 *   that set its size, as reproduced in public code and model docs found by search. The parameter
 *   count is not copied: `describeHubArch` computes it from these fields (paramCount.ts for gpt2
 *   and llama; qwen2 there too, plus its q/k/v biases). shortList.test.ts checks each count
 *   against an independently published one.
 * - `safetensorsBytes`: the size of model.safetensors in the Hub's tree API
 *   (huggingface.co/api/models/<repo>/tree/main), as pinned with its LFS sha256 in public projects:
 *   gpt2 548,105,171 (sha256 248dfc39…, commit 607a30d7…); distilgpt2 352,824,413 (e1ff1888…,
 *   commit 2290a626…); SmolLM2-135M 269,060,552 (header of 30,528 bytes in a curl transcript of
 *   its resolve URL); SmolLM2-360M 723,674,912 (7aaff666…, commit f8027fd0…); Qwen2.5-0.5B
 *   988,097,824 (fdf756fa…); TinyLlama-1.1B-Chat-v1.0 2,200,119,864 (6e6001da…, commit fe8a4ea1…).
 *   The test checks that each equals 8 + a JSON header (a few KiB) + the tensors' bytes at `dtype`,
 *   which holds for all six: an independent check of config, count and size together.
 * - `dtype`: the stored dtype (config.json's torch_dtype; GPT-2's safetensors are F32: the
 *   safetensors docs' metadata example lists gpt2 as { F32: 137,022,720 }).
 * - GPT-2 checkpoints also store each block's causal-mask buffer `attn.bias` [1, 1, n_positions,
 *   n_positions] (F32) in the file: 12 × 1024² = 12,582,912 elements in gpt2, which is the gap
 *   between 137,022,720 stored elements and its 124,439,808 parameters. `bufferElements` records it.
 * Every model here is one model.safetensors file (no shards).
 */
import { describeHubArch, type HubArch } from './hubArch';

export interface ShortListModel {
  repo: string;
  /** One line: what it is. */
  blurb: string;
  /** The config.json fields that set the model's size. */
  config: Record<string, unknown>;
  /** Bytes of model.safetensors on the Hub. */
  safetensorsBytes: number;
  dtype: 'F32' | 'BF16';
  /** Non-parameter elements stored in the file (GPT-2's attention-mask buffers). */
  bufferElements: number;
}

const gpt2Config = (layers: number) => ({
  model_type: 'gpt2',
  vocab_size: 50257,
  n_positions: 1024,
  n_embd: 768,
  n_layer: layers,
  n_head: 12,
  n_inner: null,
});

export const SHORT_LIST: ShortListModel[] = [
  {
    repo: 'distilbert/distilgpt2',
    blurb: 'GPT-2 distilled to 6 layers: the quickest real model to fine-tune.',
    config: gpt2Config(6),
    safetensorsBytes: 352_824_413,
    dtype: 'F32',
    bufferElements: 6 * 1024 * 1024,
  },
  {
    repo: 'openai-community/gpt2',
    blurb: 'The original GPT-2 (124M), 12 layers.',
    config: gpt2Config(12),
    safetensorsBytes: 548_105_171,
    dtype: 'F32',
    bufferElements: 12 * 1024 * 1024,
  },
  {
    repo: 'HuggingFaceTB/SmolLM2-135M',
    blurb: 'A small Llama-architecture model trained on 2T tokens; 30 thin layers, grouped-query attention.',
    config: {
      model_type: 'llama',
      vocab_size: 49152,
      hidden_size: 576,
      intermediate_size: 1536,
      num_hidden_layers: 30,
      num_attention_heads: 9,
      num_key_value_heads: 3,
      tie_word_embeddings: true,
      max_position_embeddings: 8192,
    },
    safetensorsBytes: 269_060_552,
    dtype: 'BF16',
    bufferElements: 0,
  },
  {
    repo: 'HuggingFaceTB/SmolLM2-360M',
    blurb: 'The larger SmolLM2: 32 layers of width 960.',
    config: {
      model_type: 'llama',
      vocab_size: 49152,
      hidden_size: 960,
      intermediate_size: 2560,
      num_hidden_layers: 32,
      num_attention_heads: 15,
      num_key_value_heads: 5,
      tie_word_embeddings: true,
      max_position_embeddings: 8192,
    },
    safetensorsBytes: 723_674_912,
    dtype: 'BF16',
    bufferElements: 0,
  },
  {
    repo: 'Qwen/Qwen2.5-0.5B',
    blurb: 'Qwen2.5 base, 0.5B: multilingual, with a 152k-token vocabulary (large logits).',
    config: {
      model_type: 'qwen2',
      vocab_size: 151936,
      hidden_size: 896,
      intermediate_size: 4864,
      num_hidden_layers: 24,
      num_attention_heads: 14,
      num_key_value_heads: 2,
      tie_word_embeddings: true,
      max_position_embeddings: 32768,
    },
    safetensorsBytes: 988_097_824,
    dtype: 'BF16',
    bufferElements: 0,
  },
  {
    repo: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
    blurb: 'Llama 2 architecture at 1.1B, chat-tuned: the largest here, so check its memory against your GPU.',
    config: {
      model_type: 'llama',
      vocab_size: 32000,
      hidden_size: 2048,
      intermediate_size: 5632,
      num_hidden_layers: 22,
      num_attention_heads: 32,
      num_key_value_heads: 4,
      tie_word_embeddings: false,
      max_position_embeddings: 2048,
    },
    safetensorsBytes: 2_200_119_864,
    dtype: 'BF16',
    bufferElements: 0,
  },
];

/** The architecture facts of a short-list entry, computed from its config. */
export function shortListArch(m: ShortListModel): HubArch {
  return describeHubArch(m.config);
}

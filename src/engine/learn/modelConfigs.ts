/**
 * The config.json fields (as published on the Hugging Face Hub) of the models the parameter
 * calculator offers. Only the fields the counter reads are kept; the counter sees exactly what
 * it would see in a pasted config.json.
 */
export interface BuiltinModel {
  id: string;
  /** Hub repository the fields come from. */
  hub: string;
  config: Record<string, unknown>;
}

export const BUILTIN_MODELS: BuiltinModel[] = [
  {
    id: 'gpt2',
    hub: 'openai-community/gpt2',
    config: {
      model_type: 'gpt2',
      vocab_size: 50257,
      n_positions: 1024,
      n_embd: 768,
      n_layer: 12,
      n_head: 12,
      n_inner: null,
      tie_word_embeddings: true,
    },
  },
  {
    id: 'gpt2-medium',
    hub: 'openai-community/gpt2-medium',
    config: {
      model_type: 'gpt2',
      vocab_size: 50257,
      n_positions: 1024,
      n_embd: 1024,
      n_layer: 24,
      n_head: 16,
      n_inner: null,
      tie_word_embeddings: true,
    },
  },
  {
    id: 'bloom-560m',
    hub: 'bigscience/bloom-560m',
    config: { model_type: 'bloom', vocab_size: 250880, hidden_size: 1024, n_layer: 24, n_head: 16 },
  },
  {
    id: 'bloom-3b',
    hub: 'bigscience/bloom-3b',
    // bloom-3b's config.json spells the width "n_embed" and the heads "num_attention_heads".
    config: { model_type: 'bloom', vocab_size: 250880, n_embed: 2560, n_layer: 30, num_attention_heads: 32 },
  },
  {
    id: 'Llama-2-7b',
    hub: 'meta-llama/Llama-2-7b-hf',
    config: {
      model_type: 'llama',
      vocab_size: 32000,
      hidden_size: 4096,
      intermediate_size: 11008,
      num_hidden_layers: 32,
      num_attention_heads: 32,
      num_key_value_heads: 32,
      tie_word_embeddings: false,
    },
  },
];

export function builtinModel(id: string): BuiltinModel | undefined {
  return BUILTIN_MODELS.find((m) => m.id === id);
}

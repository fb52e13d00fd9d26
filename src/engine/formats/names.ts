/**
 * Module names across formats: llama.cpp's GGUF names ↔ Hugging Face names (gguf-py's
 * tensor_mapping for the Llama family and GPT-2), mlx-lm's names ↔ Hugging Face names, and the
 * (layer, module type) split the heatmaps use.
 */

/** llama.cpp's block tensor names → the Llama family's HF module paths (one block). */
const LLAMA_BLOCK: Record<string, string> = {
  attn_q: 'self_attn.q_proj',
  attn_k: 'self_attn.k_proj',
  attn_v: 'self_attn.v_proj',
  attn_output: 'self_attn.o_proj',
  ffn_gate: 'mlp.gate_proj',
  ffn_up: 'mlp.up_proj',
  ffn_down: 'mlp.down_proj',
};
const LLAMA_TOP: Record<string, string> = { token_embd: 'model.embed_tokens', output: 'lm_head' };

const GPT2_BLOCK: Record<string, string> = {
  attn_qkv: 'attn.c_attn',
  attn_output: 'attn.c_proj',
  ffn_up: 'mlp.c_fc',
  ffn_down: 'mlp.c_proj',
};
const GPT2_TOP: Record<string, string> = { token_embd: 'transformer.wte', output: 'lm_head' };

/** GGUF architectures whose tensors follow the Llama naming (llama.cpp's LLM_ARCH names). */
const LLAMA_NAMED_ARCHS = new Set(['llama', 'qwen2', 'qwen3', 'mistral3', 'granite', 'olmo', 'olmo2', 'internlm2']);

/** Architectures whose GGUF adapters this product converts to PEFT (the Llama family it loads). */
export const GGUF_CONVERTIBLE_ARCHS = new Set(['llama', 'qwen2']);

const swap = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [v, k]));

/**
 * The HF module name for a GGUF tensor stem ("blk.3.attn_q.weight" → "model.layers.3.self_attn.q_proj"),
 * or null when the architecture or the name is not one this table knows.
 */
export function ggufToHfName(stem: string, architecture: string | null): string | null {
  const llama = architecture !== null && LLAMA_NAMED_ARCHS.has(architecture);
  const gpt2 = architecture === 'gpt2';
  if (!llama && !gpt2) return null;
  const base = stem.replace(/\.weight$/, '');
  const block = /^blk\.(\d+)\.([a-z_]+)$/.exec(base);
  if (block) {
    const path = (llama ? LLAMA_BLOCK : GPT2_BLOCK)[block[2]];
    return path ? `${llama ? 'model.layers' : 'transformer.h'}.${block[1]}.${path}` : null;
  }
  return (llama ? LLAMA_TOP : GPT2_TOP)[base] ?? null;
}

/** The GGUF tensor stem for a Llama-family HF module name (the inverse of ggufToHfName). */
export function hfToGgufName(name: string): string | null {
  const block = /^model\.layers\.(\d+)\.(.+)$/.exec(name);
  if (block) {
    const t = swap(LLAMA_BLOCK)[block[2]];
    return t ? `blk.${block[1]}.${t}.weight` : null;
  }
  const top = swap(LLAMA_TOP)[name];
  return top ? `${top}.weight` : null;
}

/**
 * mlx-lm's module names → HF names. mlx-lm keeps HF's names for the Llama family; its GPT-2 puts
 * the blocks under `model.h` where transformers has `transformer.h` (mlx_lm/models/gpt2.py).
 */
export function mlxToHfName(name: string): string {
  return name.replace(/^model\.(h\.\d+\.|wte$|wpe$|ln_f$)/, 'transformer.$1');
}

export function hfToMlxName(name: string): string {
  return name.replace(/^transformer\.(h\.\d+\.|wte$|wpe$|ln_f$)/, 'model.$1');
}

/** A module's place on the heatmap: its layer (block) and its type within the layer. */
export interface ModulePlace {
  /** e.g. "3" for transformer blocks, or a UNet block path for Stable Diffusion. */
  layer: string;
  /** Numeric layer index when the name has one (for ordering). */
  index: number | null;
  /** e.g. "attn.c_attn", "self_attn.q_proj", "attn1_to_q". */
  type: string;
}

/** Splits a module name into layer and module type ("model.layers.3.mlp.up_proj" → 3, "mlp.up_proj"). */
export function modulePlace(name: string): ModulePlace {
  const dotted = /^(.*?(?:^|\.)(?:h|layers|layer|blocks|block|blk))\.(\d+)\.(.+)$/.exec(name);
  if (dotted) {
    // The block list's own name is dropped where the model has one stack ("transformer.h",
    // "model.layers", BERT's "encoder.layer"), kept where it has two (T5's encoder and decoder).
    const prefix = dotted[1].replace(/^(base_model\.model\.)?((transformer|model|gpt_neox|bert|roberta)\.)?/, '');
    const index = Number(dotted[2]);
    const keep = /^(h|layers|layer|blocks|block|blk|encoder\.layer|decoder\.layers)$/.test(prefix) ? '' : `${prefix} `;
    return { layer: `${keep}${index}`, index, type: dotted[3] };
  }
  // kohya: "lora_unet_down_blocks_0_attentions_1_transformer_blocks_0_attn1_to_q": everything up to
  // the last "_<n>_" is the block, the rest the module type.
  const underscored = /^(lora_[a-z0-9]+_.*_(\d+))_([a-z][a-z0-9_]*)$/.exec(name);
  if (underscored) {
    const te = /^lora_te\d?_text_model_encoder_layers_(\d+)$/.exec(underscored[1]);
    if (te)
      return { layer: `${name.slice(5, name.indexOf('_', 5))} ${te[1]}`, index: Number(te[1]), type: underscored[3] };
    return { layer: underscored[1].replace(/^lora_/, ''), index: null, type: underscored[3] };
  }
  return { layer: '', index: null, type: name };
}

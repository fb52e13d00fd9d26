/**
 * A Llama-family model's parameters by their Hugging Face names, in state_dict order, with HF
 * shapes (nn.Linear weights [d_out, d_in]); the linear layers LoRA attaches to; seeded random
 * init like transformers' `_init_weights`.
 *
 * On the device every linear kernel is kept transposed, [d_in, d_out] (the layout tfjs-wasm's
 * fast matmul wants and the AdapterSet's contract); embed_tokens and lm_head stay [V, H], which
 * is what a gather and the head's x·Wᵀ read in place. Import and export transpose once.
 */
import { Rng } from '../rng';
import { sizeOf, type TensorMap } from '../types';
import type { WeightNaming } from '../models/weightPlan';
import type { LlamaConfig } from './config';

/** Every linear module of one layer, relative to `model.layers.{i}`. */
export const LLAMA_LAYER_LINEARS = [
  'self_attn.q_proj',
  'self_attn.k_proj',
  'self_attn.v_proj',
  'self_attn.o_proj',
  'mlp.gate_proj',
  'mlp.up_proj',
  'mlp.down_proj',
] as const;

/** PEFT's default targets for Llama and Qwen2 (peft/utils/constants.py). */
export const LLAMA_DEFAULT_TARGETS = ['q_proj', 'v_proj'];

export interface LlamaLinear {
  name: string;
  dIn: number;
  dOut: number;
  bias: boolean;
}

export function llamaLinears(c: LlamaConfig): LlamaLinear[] {
  const H = c.hidden_size;
  const q = c.num_attention_heads * c.head_dim;
  const kv = c.num_key_value_heads * c.head_dim;
  const I = c.intermediate_size;
  const out: LlamaLinear[] = [];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    out.push({ name: `${p}.self_attn.q_proj`, dIn: H, dOut: q, bias: c.qkv_bias });
    out.push({ name: `${p}.self_attn.k_proj`, dIn: H, dOut: kv, bias: c.qkv_bias });
    out.push({ name: `${p}.self_attn.v_proj`, dIn: H, dOut: kv, bias: c.qkv_bias });
    out.push({ name: `${p}.self_attn.o_proj`, dIn: q, dOut: H, bias: c.o_bias });
    out.push({ name: `${p}.mlp.gate_proj`, dIn: H, dOut: I, bias: c.mlp_bias });
    out.push({ name: `${p}.mlp.up_proj`, dIn: H, dOut: I, bias: c.mlp_bias });
    out.push({ name: `${p}.mlp.down_proj`, dIn: I, dOut: H, bias: c.mlp_bias });
  }
  return out;
}

/** [name, HF shape] of every parameter in state_dict order (no lm_head when tied). */
export function llamaParamShapes(c: LlamaConfig): [string, number[]][] {
  const H = c.hidden_size;
  const out: [string, number[]][] = [['model.embed_tokens.weight', [c.vocab_size, H]]];
  const linears = llamaLinears(c);
  for (let i = 0; i < c.num_hidden_layers; i++) {
    for (const l of linears.slice(7 * i, 7 * i + 7)) {
      out.push([`${l.name}.weight`, [l.dOut, l.dIn]]);
      if (l.bias) out.push([`${l.name}.bias`, [l.dOut]]);
    }
    out.push([`model.layers.${i}.input_layernorm.weight`, [H]]);
    out.push([`model.layers.${i}.post_attention_layernorm.weight`, [H]]);
  }
  out.push(['model.norm.weight', [H]]);
  if (!c.tie_word_embeddings) out.push(['lm_head.weight', [c.vocab_size, H]]);
  return out;
}

/** Total base parameters (a tied head once). SmolLM2-135M: 134,515,008. */
export function llamaParamCount(c: LlamaConfig): number {
  return llamaParamShapes(c).reduce((n, [, s]) => n + sizeOf(s), 0);
}

/** Rotary caches older checkpoints saved as buffers; never parameters. */
const IGNORED = /(^|\.)rotary_emb\.inv_freq$/;

/** Names and shapes for the loaders (a tied checkpoint's lm_head.weight is ignored). */
export function llamaNaming(c: LlamaConfig): WeightNaming {
  return {
    label: c.model_type === 'qwen2' ? 'Qwen2' : 'Llama',
    expected: llamaParamShapes(c),
    canonical: (raw) => (IGNORED.test(raw) || (c.tie_word_embeddings && raw === 'lm_head.weight') ? null : raw),
  };
}

/** True for the weights kept transposed on the device (the seven projections' kernels). */
export function isLlamaKernel(name: string): boolean {
  return /\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)\.weight$/.test(name);
}

export interface LlamaInitOptions {
  /** Standard deviation of weights and embeddings (transformers' initializer_range 0.02). */
  std?: number;
  /** Norm weights 1 + N(0, std) instead of 1 (tests: a wrong norm must show). */
  randomNorms?: boolean;
  /** Biases N(0, std) instead of 0 (tests: a missing bias must show). */
  randomBiases?: boolean;
}

/** Seeded random weights in HF layout: Linear/Embedding N(0, std), biases 0, RMSNorm weights 1. */
export function initLlamaWeights(c: LlamaConfig, seed: number, opts: LlamaInitOptions = {}): TensorMap {
  const rng = new Rng(seed);
  const std = opts.std ?? 0.02;
  const out: TensorMap = new Map();
  for (const [name, shape] of llamaParamShapes(c)) {
    const n = sizeOf(shape);
    let data: Float32Array;
    if (name.endsWith('norm.weight')) {
      data = opts.randomNorms ? rng.normalArray(n, std).map((v) => 1 + v) : new Float32Array(n).fill(1);
    } else if (name.endsWith('.bias')) {
      data = opts.randomBiases ? rng.normalArray(n, std) : new Float32Array(n);
    } else data = rng.normalArray(n, std);
    out.set(name, { shape, data });
  }
  return out;
}

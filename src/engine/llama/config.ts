/**
 * A Llama-family `config.json` (transformers' LlamaConfig / Qwen2Config): parse, validate with
 * named messages and closed-form bounds, resolve defaults, and write back.
 */
import { UserFacingError, errorMessage } from '../types';
import { parseRope, type RopeScaling } from './rope';
import { wrongJsonMessage, wrongTextMessage } from '../fileKind';
import { boundedInt as limitedInt, bytesText, MAX_CONFIG_BYTES, type LimitedField } from '../limits';

export type LlamaModelType = 'llama' | 'qwen2';

export interface LlamaConfig {
  model_type: LlamaModelType;
  /** Width of the residual stream, H. */
  hidden_size: number;
  /** Width of the SwiGLU MLP, I. */
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  /** Key/value heads; fewer than the query heads ⇒ grouped-query attention. */
  num_key_value_heads: number;
  /** Width of one head, hd (absent in the file ⇒ hidden_size / num_attention_heads). */
  head_dim: number;
  rms_norm_eps: number;
  /** Base θ of the rotary frequencies θ^(−2j/hd). */
  rope_theta: number;
  /** null: plain rotary; otherwise the frequency rescaling transformers applies. */
  rope_scaling: RopeScaling | null;
  max_position_embeddings: number;
  vocab_size: number;
  /** true: the LM head is embed_tokens (no lm_head.weight). */
  tie_word_embeddings: boolean;
  /** Biases on q_proj, k_proj, v_proj (Llama: attention_bias; Qwen2: always). */
  qkv_bias: boolean;
  /** Bias on o_proj (Llama: attention_bias; Qwen2: never). */
  o_bias: boolean;
  /** Biases on gate_proj, up_proj, down_proj (Llama: mlp_bias). */
  mlp_bias: boolean;
  /** Token ids transformers reads, kept for the written config (null when absent). */
  bos_token_id: number | number[] | null;
  eos_token_id: number | number[] | null;
}

/**
 * Which of the hardening bounds (limits.ts MODEL_LIMITS, one table for every family) each size
 * field is checked against before anything is allocated.
 */
const LIMIT_OF = {
  num_hidden_layers: 'layers',
  hidden_size: 'hidden',
  intermediate_size: 'inner',
  num_attention_heads: 'heads',
  num_key_value_heads: 'heads',
  head_dim: 'hidden',
  vocab_size: 'vocab',
  max_position_embeddings: 'positions',
} as const satisfies Record<string, LimitedField>;

type Obj = Record<string, unknown>;

function boundedInt(o: Obj, key: keyof typeof LIMIT_OF, fallback?: number): number {
  const v = o[key] ?? fallback;
  if (v === undefined) throw new UserFacingError(`config.json: "${key}" is missing (a positive integer is required)`);
  return limitedInt(v, key, LIMIT_OF[key]);
}

function flag(o: Obj, key: string): boolean {
  const v = o[key] ?? false;
  if (typeof v !== 'boolean')
    throw new UserFacingError(`config.json: "${key}" must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function positiveNumber(o: Obj, key: string, fallback: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
    throw new UserFacingError(`config.json: "${key}" must be a positive number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function tokenId(o: Obj, key: string, vocab: number): number | number[] | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  const ok = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) < vocab;
  if (ok(v)) return v as number;
  if (Array.isArray(v) && v.length > 0 && v.length <= 64 && v.every(ok)) return [...(v as number[])];
  throw new UserFacingError(
    `config.json: "${key}" must be a token id below vocab_size ${vocab}, got ${JSON.stringify(v)}`,
  );
}

/** Parse config.json text or an already parsed object into an object (named errors). */
export function configObject(input: string | unknown): Obj {
  let obj: unknown = input;
  if (typeof input === 'string') {
    if (input.length > MAX_CONFIG_BYTES)
      throw new UserFacingError(`config.json is over ${bytesText(MAX_CONFIG_BYTES)}: is this the right file?`);
    const asText = wrongTextMessage(input, 'config.json');
    if (asText) throw new UserFacingError(`config.json: ${asText}`);
    try {
      obj = JSON.parse(input);
    } catch (e) {
      throw new UserFacingError(`config.json is not valid JSON: ${errorMessage(e)}`);
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new UserFacingError('config.json must be a JSON object');
  }
  const mixup = wrongJsonMessage(obj as Obj, 'model-config'); // a tokenizer.json or an adapter config given as config.json
  if (mixup) throw new UserFacingError(`config.json: ${mixup}`);
  return obj as Obj;
}

/**
 * Parse a Llama or Qwen2 `config.json`. Resolves num_key_value_heads (absent ⇒ heads), head_dim
 * (absent ⇒ hidden/heads), rope_theta (absent ⇒ 10000), the bias flags, and the rotary scaling.
 * @throws UserFacingError naming the field for anything missing, malformed, inconsistent,
 *   above the limits (limits.ts) or not implemented (hidden_act other than silu, unsupported rope_scaling,
 *   Qwen2's sliding window).
 */
export function parseLlamaConfig(input: string | unknown): LlamaConfig {
  const o = configObject(input);
  const type = o.model_type;
  if (type !== 'llama' && type !== 'qwen2') {
    throw new UserFacingError(
      `config.json: model_type ${JSON.stringify(type ?? null)} is not a Llama-family model ("llama" or "qwen2")`,
    );
  }
  const act = o.hidden_act ?? 'silu';
  if (act !== 'silu') {
    throw new UserFacingError(`config.json: hidden_act ${JSON.stringify(act)} is not supported (only "silu", SwiGLU)`);
  }
  if (type === 'qwen2' && o.use_sliding_window === true) {
    throw new UserFacingError(
      'config.json: use_sliding_window true is not supported (sliding-window attention is not implemented)',
    );
  }
  const hidden = boundedInt(o, 'hidden_size');
  const heads = boundedInt(o, 'num_attention_heads');
  const kv = boundedInt(o, 'num_key_value_heads', heads);
  if (kv > heads || heads % kv !== 0) {
    throw new UserFacingError(
      `config.json: num_attention_heads (${heads}) must be a multiple of num_key_value_heads (${kv})`,
    );
  }
  if ((o.head_dim ?? null) === null && hidden % heads !== 0) {
    throw new UserFacingError(
      `config.json: hidden_size (${hidden}) must be divisible by num_attention_heads (${heads}) when head_dim is not given`,
    );
  }
  const headDim = boundedInt(o, 'head_dim', hidden / heads);
  if (headDim % 2 !== 0)
    throw new UserFacingError(`config.json: head_dim (${headDim}) must be even (rotary embeddings rotate two halves)`);
  const vocab = boundedInt(o, 'vocab_size');
  const positions = boundedInt(o, 'max_position_embeddings');
  const attentionBias = flag(o, 'attention_bias');
  const rope = parseRope(o);
  return {
    model_type: type,
    hidden_size: hidden,
    intermediate_size: boundedInt(o, 'intermediate_size'),
    num_hidden_layers: boundedInt(o, 'num_hidden_layers'),
    num_attention_heads: heads,
    num_key_value_heads: kv,
    head_dim: headDim,
    rms_norm_eps: positiveNumber(o, 'rms_norm_eps', 1e-6),
    rope_theta: rope.theta,
    rope_scaling: rope.scaling,
    max_position_embeddings: positions,
    vocab_size: vocab,
    tie_word_embeddings: flag(o, 'tie_word_embeddings'), // transformers' default: false
    qkv_bias: type === 'qwen2' ? true : attentionBias,
    o_bias: type === 'qwen2' ? false : attentionBias,
    mlp_bias: type === 'qwen2' ? false : flag(o, 'mlp_bias'),
    bos_token_id: tokenId(o, 'bos_token_id', vocab),
    eos_token_id: tokenId(o, 'eos_token_id', vocab),
  };
}

/** The `config.json` object transformers writes for this model (sorted by the JSON writer). */
export function llamaConfigJson(c: LlamaConfig): Record<string, unknown> {
  const qwen = c.model_type === 'qwen2';
  const out: Record<string, unknown> = {
    architectures: [qwen ? 'Qwen2ForCausalLM' : 'LlamaForCausalLM'],
    head_dim: c.head_dim,
    hidden_act: 'silu',
    hidden_size: c.hidden_size,
    intermediate_size: c.intermediate_size,
    max_position_embeddings: c.max_position_embeddings,
    model_type: c.model_type,
    num_attention_heads: c.num_attention_heads,
    num_hidden_layers: c.num_hidden_layers,
    num_key_value_heads: c.num_key_value_heads,
    rms_norm_eps: c.rms_norm_eps,
    rope_scaling: c.rope_scaling ? { ...c.rope_scaling } : null,
    rope_theta: c.rope_theta,
    tie_word_embeddings: c.tie_word_embeddings,
    vocab_size: c.vocab_size,
  };
  if (qwen) out.use_sliding_window = false;
  else Object.assign(out, { attention_bias: c.qkv_bias, mlp_bias: c.mlp_bias });
  if (c.bos_token_id !== null) out.bos_token_id = c.bos_token_id;
  if (c.eos_token_id !== null) out.eos_token_id = c.eos_token_id;
  return out;
}

/** A tiny config for tests (defaults: 2 layers, H 16, 4 heads of 4, 2 kv heads, I 24, vocab 13, T ≤ 8). */
export function tinyLlamaConfig(overrides: Partial<LlamaConfig> = {}): LlamaConfig {
  return {
    model_type: 'llama',
    hidden_size: 16,
    intermediate_size: 24,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    head_dim: 4,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    rope_scaling: null,
    max_position_embeddings: 8,
    vocab_size: 13,
    tie_word_embeddings: false,
    qkv_bias: false,
    o_bias: false,
    mlp_bias: false,
    bos_token_id: null,
    eos_token_id: null,
    ...overrides,
  };
}

/**
 * GPT-2's Hugging Face `config.json`: parse, validate, resolve defaults, and write back.
 * Only what the architecture needs is kept; anything wrong is reported by field name.
 */
import { wrongJsonMessage, wrongTextMessage } from '../fileKind';
import { boundedInt, bytesText, MAX_CONFIG_BYTES, type LimitedField, type ModelDims } from '../limits';
import { UserFacingError } from '../types';
import { errorMessage } from '../types';

export interface Gpt2Config {
  /** Number of token ids (rows of `transformer.wte.weight`). */
  vocab_size: number;
  /** Longest sequence (rows of `transformer.wpe.weight`). */
  n_positions: number;
  /** Width of the residual stream, C. */
  n_embd: number;
  /** Number of transformer blocks. */
  n_layer: number;
  /** Attention heads; n_embd must divide evenly. */
  n_head: number;
  /** Hidden width of the MLP; `null` in the file means 4·n_embd (resolved here). */
  n_inner: number;
  /** LayerNorm ε. HF default 1e-5. */
  layer_norm_epsilon: number;
  /** Only GPT-2's own tanh approximation of GELU is implemented. */
  activation_function: 'gelu_new';
}

/** Activation names that HF computes with exactly the gelu_new formula. */
const GELU_TANH = new Set(['gelu_new', 'gelu_pytorch_tanh']);

/** A positive integer field within what a browser can hold (engine/limits). */
function positiveInt(obj: Record<string, unknown>, key: string, field: LimitedField, fallback?: number): number {
  const v = obj[key] ?? fallback;
  if (v === undefined) throw new UserFacingError(`config.json: "${key}" is missing (a positive integer is required)`);
  return boundedInt(v, key, field);
}

/** GPT-2's numbers for the shared memory estimate (engine/limits). */
export function gpt2Dims(c: Gpt2Config): ModelDims {
  return {
    family: 'GPT-2',
    layers: c.n_layer,
    hidden: c.n_embd,
    heads: c.n_head,
    kvHeads: c.n_head,
    vocab: c.vocab_size,
    positions: c.n_positions,
    inner: c.n_inner,
    tied: true,
    learnedPositions: true,
    gatedMlp: false,
    biases: true,
    norm: 'layernorm',
  };
}

/**
 * Parse a GPT-2 `config.json` (text or an already parsed object). Resolves `n_inner: null` to
 * 4·n_embd and the HF defaults for ε and activation. Throws UserFacingError naming the field.
 */
export function parseGpt2Config(input: string | unknown): Gpt2Config {
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
  const o = obj as Record<string, unknown>;
  const mixup = wrongJsonMessage(o, 'model-config');
  if (mixup) throw new UserFacingError(`config.json: ${mixup}`);
  if (o.model_type !== undefined && o.model_type !== 'gpt2') {
    throw new UserFacingError(`config.json: model_type "${String(o.model_type)}" is not supported (only "gpt2")`);
  }
  if (o.tie_word_embeddings === false) {
    throw new UserFacingError(
      'config.json: tie_word_embeddings false is not supported (GPT-2 ties its LM head to wte)',
    );
  }
  const n_embd = positiveInt(o, 'n_embd', 'hidden');
  const n_head = positiveInt(o, 'n_head', 'heads');
  if (n_embd % n_head !== 0) {
    throw new UserFacingError(`config.json: n_embd (${n_embd}) must be divisible by n_head (${n_head})`);
  }
  const n_inner = o.n_inner === null || o.n_inner === undefined ? 4 * n_embd : positiveInt(o, 'n_inner', 'inner');
  const eps = o.layer_norm_epsilon ?? 1e-5;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) {
    throw new UserFacingError(
      `config.json: "layer_norm_epsilon" must be a positive number, got ${JSON.stringify(eps)}`,
    );
  }
  const act = o.activation_function ?? 'gelu_new';
  if (typeof act !== 'string' || !GELU_TANH.has(act)) {
    throw new UserFacingError(
      `config.json: activation_function ${JSON.stringify(act)} is not supported (only "gelu_new", GPT-2's tanh GELU)`,
    );
  }
  return {
    vocab_size: positiveInt(o, 'vocab_size', 'vocab'),
    n_positions: positiveInt(o, 'n_positions', 'positions', typeof o.n_ctx === 'number' ? o.n_ctx : undefined),
    n_embd,
    n_layer: positiveInt(o, 'n_layer', 'layers'),
    n_head,
    n_inner,
    layer_norm_epsilon: eps,
    activation_function: 'gelu_new',
  };
}

/** The `config.json` object transformers writes for this model (n_inner kept explicit). */
export function gpt2ConfigJson(c: Gpt2Config): Record<string, unknown> {
  return {
    activation_function: c.activation_function,
    architectures: ['GPT2LMHeadModel'],
    layer_norm_epsilon: c.layer_norm_epsilon,
    model_type: 'gpt2',
    n_embd: c.n_embd,
    n_head: c.n_head,
    n_inner: c.n_inner === 4 * c.n_embd ? null : c.n_inner,
    n_layer: c.n_layer,
    n_positions: c.n_positions,
    tie_word_embeddings: true,
    vocab_size: c.vocab_size,
  };
}

/**
 * config.json for an exported model: gpt2ConfigJson plus bos_token_id and eos_token_id set to the
 * tokenizer's end-of-text id, so transformers' generate stops where this app's sampler stops
 * (without them transformers assumes GPT-2's 50256, which a smaller vocabulary does not have).
 */
export function hfConfigJson(c: Gpt2Config, endOfTextId: number): Record<string, unknown> {
  return { ...gpt2ConfigJson(c), bos_token_id: endOfTextId, eos_token_id: endOfTextId };
}

/** A tiny config for tests and demos (defaults: 2 layers, C = 16, 2 heads, vocab 11, T ≤ 8). */
export function tinyGpt2Config(overrides: Partial<Gpt2Config> = {}): Gpt2Config {
  const n_embd = overrides.n_embd ?? 16;
  return {
    vocab_size: 11,
    n_positions: 8,
    n_embd,
    n_layer: 2,
    n_head: 2,
    n_inner: 4 * n_embd,
    layer_norm_epsilon: 1e-5,
    activation_function: 'gelu_new',
    ...overrides,
  };
}

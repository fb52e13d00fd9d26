/**
 * What a browser tab can hold, and a closed-form memory estimate of a transformer from its
 * config numbers alone: every family (GPT-2, Llama, …) passes its own numbers here before
 * anything is allocated, so that an absurd config.json (n_layer 1e15) is refused in microseconds
 * with the estimate and the limit, instead of hanging while per-layer lists are built.
 */
import { UserFacingError } from './types';

/** The architecture numbers of one decoder-only transformer, in a family-neutral form. */
export interface ModelDims {
  /** For messages, e.g. "GPT-2". */
  family: string;
  layers: number;
  /** Width of the residual stream (GPT-2 n_embd, Llama hidden_size). */
  hidden: number;
  /** Attention (query) heads. */
  heads: number;
  /** Key/value heads (grouped-query attention); = heads without GQA. */
  kvHeads: number;
  /** Per-head width; default hidden / heads. */
  headDim?: number;
  vocab: number;
  /** Longest sequence (GPT-2 n_positions, Llama max_position_embeddings). */
  positions: number;
  /** MLP hidden width (GPT-2 n_inner, Llama intermediate_size). */
  inner: number;
  /** LM head shares the token embedding. */
  tied: boolean;
  /** A learned position table [positions, hidden] (GPT-2 wpe); false for RoPE/ALiBi. */
  learnedPositions: boolean;
  /** Three MLP matrices (gate, up, down: Llama) instead of two (GPT-2). */
  gatedMlp: boolean;
  /** Linear layers carry biases (GPT-2 yes, Llama no). */
  biases: boolean;
  /** LayerNorm (weight + bias) or RMSNorm (weight only). */
  norm: 'layernorm' | 'rmsnorm';
  /** Parameters the formula does not cover (e.g. BLOOM's embedding LayerNorm). */
  extraParams?: number;
}

/** Per-field bounds, each far above every released model and still below what a tab could hold. */
export const MODEL_LIMITS = {
  layers: 1024,
  hidden: 65_536,
  heads: 1024,
  vocab: 2_097_152,
  positions: 1_048_576,
  inner: 262_144,
} as const;

export type LimitedField = keyof typeof MODEL_LIMITS;

const WHAT: Record<LimitedField, string> = {
  layers: 'layers',
  hidden: 'as the model width',
  heads: 'attention heads',
  vocab: 'tokens in the vocabulary',
  positions: 'positions',
  inner: 'as the MLP width',
};

/** Float32 weights above this are refused: a WebAssembly heap is 4 GiB in all, and a tab rarely gets more. */
export const MAX_WEIGHT_BYTES = 4 * 1024 ** 3;
/** A config.json above this is not a config (real ones are a few KiB; id2label maps reach ~100 KiB). */
export const MAX_CONFIG_BYTES = 4 * 1024 ** 2;
/** One tensor above this is refused (typical WebGPU and typed-array limits are 2–4 GiB). */
export const MAX_TENSOR_BYTES = 2 * 1024 ** 3;

/** Bytes in binary units, for messages ("1.5 GiB"); huge values in exponent form. */
export function bytesText(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (v >= 1024) return `${v.toExponential(1)} PiB`;
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/**
 * A config field as a positive integer within its bound.
 * @param key the field's name in the file, e.g. "n_layer"; `file` e.g. "config.json".
 * @throws UserFacingError naming the field, its value and the bound.
 */
export function boundedInt(value: unknown, key: string, field: LimitedField, file = 'config.json'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new UserFacingError(
      `${file}: "${key}" must be a positive integer, got ${JSON.stringify(value)?.slice(0, 40) ?? String(value)}`,
    );
  }
  return assertWithinLimit(value, key, field, file);
}

/** `value` when it is within its field's bound; else a UserFacingError with the value and the bound. */
export function assertWithinLimit(value: number, key: string, field: LimitedField, file = 'config.json'): number {
  if (value > MODEL_LIMITS[field]) {
    throw new UserFacingError(
      `${file}: "${key}" is ${value}, but at most ${MODEL_LIMITS[field].toLocaleString('en-US')} ${WHAT[field]} can be held in a browser tab here`,
    );
  }
  return value;
}

export interface MemoryEstimate {
  /** Parameters, tied embeddings counted once. */
  params: number;
  /** The weights as float32, what the app holds once loaded. */
  weightBytes: number;
  /** The largest single weight tensor as float32. */
  largestTensorBytes: number;
}

/**
 * Parameters and float32 bytes in closed form (O(1), no per-layer lists), exact for the families
 * whose layout ModelDims describes. GPT-2 small (12 × 768, vocab 50257, 1024 positions): 124,439,808.
 */
export function estimateModelMemory(d: ModelDims): MemoryEstimate {
  const h = d.hidden;
  const hd = d.headDim ?? h / d.heads;
  const q = d.heads * hd;
  const kv = d.kvHeads * hd;
  const attn = h * q + 2 * h * kv + q * h + (d.biases ? q + 2 * kv + h : 0);
  const mlp = (d.gatedMlp ? 3 : 2) * h * d.inner + (d.biases ? (d.gatedMlp ? 2 : 1) * d.inner + h : 0);
  const norm = d.norm === 'layernorm' ? 2 * h : h;
  const embeddings = d.vocab * h * (d.tied ? 1 : 2) + (d.learnedPositions ? d.positions * h : 0);
  const params = embeddings + d.layers * (attn + mlp + 2 * norm) + norm + (d.extraParams ?? 0);
  const largest = Math.max(d.vocab * h, d.learnedPositions ? d.positions * h : 0, h * (q + 2 * kv), h * d.inner);
  return { params, weightBytes: 4 * params, largestTensorBytes: 4 * largest };
}

/**
 * Refuses a model that a tab cannot hold, with the estimate and the limit; returns the estimate.
 * @param fileBytes size of the weights file when known: a file smaller than the config's weights
 *   even at 2 bytes each cannot hold them, and is refused before it is parsed.
 */
export function assertModelFits(d: ModelDims, fileBytes?: number): MemoryEstimate {
  const e = estimateModelMemory(d);
  const shape = `${d.layers} layers × ${d.hidden} wide, vocab ${d.vocab}`;
  if (e.weightBytes > MAX_WEIGHT_BYTES) {
    throw new UserFacingError(
      `This ${d.family} config (${shape}) describes ${e.params.toExponential(3)} parameters, ${bytesText(e.weightBytes)} as float32: over the ${bytesText(MAX_WEIGHT_BYTES)} a browser tab can hold here`,
    );
  }
  if (e.largestTensorBytes > MAX_TENSOR_BYTES) {
    throw new UserFacingError(
      `This ${d.family} config (${shape}) has a ${bytesText(e.largestTensorBytes)} weight matrix: over the ${bytesText(MAX_TENSOR_BYTES)} one tensor can take in a browser`,
    );
  }
  if (fileBytes !== undefined && fileBytes > MAX_WEIGHT_BYTES) {
    throw new UserFacingError(
      `The weights file is ${bytesText(fileBytes)}: over the ${bytesText(MAX_WEIGHT_BYTES)} a browser tab can hold here`,
    );
  }
  if (fileBytes !== undefined && fileBytes < 2 * e.params) {
    throw new UserFacingError(
      `config.json describes ${e.params.toLocaleString('en-US')} parameters (at least ${bytesText(2 * e.params)} even as 16-bit floats), but the weights file is only ${bytesText(fileBytes)}: they do not belong together`,
    );
  }
  return e;
}

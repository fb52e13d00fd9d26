/**
 * What loading and training a model will take, in closed form from family-independent numbers,
 * before anything is allocated; and whether the backend can hold it.
 *
 * The terms follow what a step of this engine keeps (models/fusedOps.ts, lora/frozenMatMul.ts,
 * models/crossEntropy.ts, train/trainer.ts): float32 weights; the trained variables, Adam's two
 * moments, the trainer's last-good copy, the gradients and their clipped copies; per token and
 * layer the activations the backward reads (norm outputs, q/k/v, attention probabilities, the
 * attention output, residuals, the MLP's inner tensors) and as many gradients, which tfjs keeps
 * until the backward pass ends; the head's cross-entropy (blocked for LoRA, the [N, V] logits
 * and their gradient otherwise); and the transient copies a frozen product makes on wasm.
 */

/** The numbers the estimate needs (ModelDims plus the run's settings). */
export interface MemoryInput {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  inner: number;
  vocabSize: number;
  /** false: a separate lm_head.weight (default true). */
  tiedHead?: boolean;
  /** "gpt2" keeps 2 inner-width tensors per layer (c_fc out, GELU out); gated MLPs keep 3. */
  family: string;
  /** Base parameters. */
  paramCount: number;
  /** Elements of the largest single weight (what one device buffer must hold). */
  largestWeight: number;
  mode: 'lora' | 'full' | 'inference';
  /** Trained parameters: the adapter's (lora) or paramCount (full); ignored for inference. */
  trainableParams: number;
  /** LoRA: number of adapted modules and their rank (the saved x·Aᵀ per module). */
  adaptedModules?: number;
  rank?: number;
  batch: number;
  seq: number;
}

export interface MemoryEstimate {
  /** Float32 base weights on the device. */
  weightsBytes: number;
  /** Trained variables (LoRA factors; in full mode the weights themselves, counted above). */
  trainableBytes: number;
  /** Adam's first and second moments. */
  optimizerBytes: number;
  /** The trainer's last-good copy, gradients, clipped gradients and update temporaries. */
  trainerBytes: number;
  /** Saved activations and their gradients for batch × seq. */
  activationBytes: number;
  /** Logits, their gradient and the cross-entropy's temporaries ([N, V] each). */
  logitsBytes: number;
  /**
   * wasm: transient copies of the largest frozen block a product makes (big models), or the
   * packed copies tfjs-wasm keeps of every frozen linear weight (small models).
   */
  transientBytes: number;
  totalBytes: number;
  /** The largest single buffer: the biggest weight or an [N, V] logits tensor. */
  largestBufferBytes: number;
}

/** Composite (full-mode) steps keep about this many times the fused ops' activations. */
const FULL_MODE_ACTIVATION_FACTOR = 4;
/** Chunk a frozen product copies at a time on wasm (lora/frozenMatMul.ts FROZEN_CHUNK_BYTES). */
const CHUNK_BYTES = 32 * 1024 * 1024;
/** Blocks of the head and of the logits the LoRA cross-entropy works in (models/crossEntropy.ts). */
const HEAD_BLOCK_BYTES = 16 * 1024 * 1024;
const LOGIT_BLOCK_BYTES = 8 * 1024 * 1024;

/** The numbers that size one layer's activations. */
type LayerShape = Pick<
  MemoryInput,
  | 'batch'
  | 'seq'
  | 'hidden'
  | 'heads'
  | 'kvHeads'
  | 'headDim'
  | 'inner'
  | 'family'
  | 'layers'
  | 'adaptedModules'
  | 'rank'
>;

/**
 * Bytes one layer keeps for the backward at batch × seq: per token the two norm outputs and two
 * residuals, q, k, v and the attention output, the attention probabilities, the MLP's inner
 * tensors (GPT-2: 2, gated: 3), each adapter's x·Aᵀ; and as many gradients, which tfjs keeps
 * until the backward pass ends, plus those of the tensors split or rotated before being saved.
 */
export function layerActivationBytes(m: LayerShape): number {
  const N = m.batch * m.seq;
  const mlpTensors = m.family === 'gpt2' ? 2 : 3;
  const perToken =
    4 * m.hidden +
    (2 * m.heads + 2 * m.kvHeads) * m.headDim +
    m.heads * m.seq +
    mlpTensors * m.inner +
    ((m.adaptedModules ?? 0) / Math.max(1, m.layers)) * (m.rank ?? 0);
  return 4 * N * (2 * perToken + (m.heads + 2 * m.kvHeads) * m.headDim);
}

/** Models whose weights pass this keep no packed copies of frozen weights (lora/frozenMatMul.ts). */
export const LEAN_WEIGHTS_ABOVE_BYTES = 128 * 1024 * 1024;

/**
 * Whether frozen products multiply by fresh blocks of the weight (no packed copy cached by
 * tfjs-wasm, about 20 % slower) rather than plainly (a packed copy of every linear weight).
 */
export function leanWeights(paramCount: number): boolean {
  return 4 * paramCount > LEAN_WEIGHTS_ABOVE_BYTES;
}

/** Models with weights and activations above this together may recompute their layers. */
export const RECOMPUTE_ABOVE_BYTES = 512 * 1024 * 1024;

/**
 * Whether a step recomputes each layer in its backward (activation checkpointing, one more
 * forward of the layers): when weights and activations together pass RECOMPUTE_ABOVE_BYTES and
 * the activations are over a quarter of the weights. Small models keep the faster step; a
 * 124M model at batch 2 × 64 recomputes (its step then fits 1.5 × the weights + 300 MB). The
 * models use this rule.
 */
export function recomputesLayers(m: LayerShape & { paramCount: number }): boolean {
  const act = layerActivationBytes(m) * m.layers;
  const w = 4 * m.paramCount;
  return w + act > RECOMPUTE_ABOVE_BYTES && act > 0.25 * w;
}

/**
 * @returns bytes per term and in total (binary units are the caller's to format)
 */
export function trainingMemory(m: MemoryInput): MemoryEstimate {
  const f = 4; // bytes per float32
  const N = m.batch * m.seq;
  const weightsBytes = f * m.paramCount;
  const training = m.mode !== 'inference';
  const P = training ? m.trainableParams : 0;
  const full = m.mode === 'full';
  const trainableBytes = full ? 0 : f * P;
  const optimizerBytes = 2 * f * P;
  // prev copy, gradients, clipped gradients, and about two more during Adam's update
  const trainerBytes = 5 * f * P;
  const perLayer = layerActivationBytes(m);
  // Recomputed layers keep each layer's input and its gradient, plus one layer at a time.
  const layersBytes = recomputesLayers(m) ? 2 * f * N * m.hidden * m.layers + perLayer : perLayer * m.layers;
  const activationBytes = training ? layersBytes * (full ? FULL_MODE_ACTIVATION_FACTOR : 1) : 0;
  const nv = f * N * m.vocabSize;
  // LoRA: the blocked head cross-entropy holds one block of the head (and its packed copy) and
  // a few [N, block] tensors; full mode: the logits, softmax, one-hot, difference and gradient;
  // inference: the logits and the transposed product.
  const headBlocks = 2 * Math.min(f * m.largestWeight, HEAD_BLOCK_BYTES) + 4 * Math.min(nv, LOGIT_BLOCK_BYTES);
  const logitsBytes = m.mode === 'lora' ? headBlocks : full ? 5 * nv : 2 * nv;
  const embeddings = m.vocabSize * m.hidden * (m.tiedHead === false ? 2 : 1);
  const packed = f * Math.max(0, m.paramCount - embeddings); // roughly the linear weights
  const transientBytes = leanWeights(m.paramCount) || full ? 2 * Math.min(f * m.largestWeight, CHUNK_BYTES) : packed;
  const totalBytes =
    weightsBytes + trainableBytes + optimizerBytes + trainerBytes + activationBytes + logitsBytes + transientBytes;
  return {
    weightsBytes,
    trainableBytes,
    optimizerBytes,
    trainerBytes,
    activationBytes,
    logitsBytes,
    transientBytes,
    totalBytes,
    largestBufferBytes: Math.max(f * m.largestWeight, m.mode === 'lora' ? Math.min(nv, LOGIT_BLOCK_BYTES) : nv),
  };
}

/** What a backend can hold. */
export interface BackendMemoryLimits {
  backend: string;
  /** All tensors together (wasm: the 4 GiB heap; webgpu: unknown, so null). */
  maxTotalBytes: number | null;
  /** One buffer (webgpu: min(maxBufferSize, maxStorageBufferBindingSize)). */
  maxBufferBytes: number | null;
}

const MiB = (b: number) => `${Math.ceil(b / 1024 / 1024)} MiB`;

/**
 * Whether the estimate fits; when it does not, a message with the numbers and the ways out.
 * @returns null when it fits, else the message
 */
export function memoryProblem(e: MemoryEstimate, limits: BackendMemoryLimits, m: MemoryInput): string | null {
  const outs: string[] = [];
  if (m.mode !== 'inference') outs.push('a smaller batch or sequence length');
  if (m.mode === 'full') outs.push('LoRA instead of full fine-tuning');
  else if (m.mode === 'lora') outs.push('fewer target modules or a lower rank');
  if (limits.maxBufferBytes !== null && e.largestBufferBytes > limits.maxBufferBytes) {
    return (
      `The largest tensor needs ${MiB(e.largestBufferBytes)} in one buffer, over ${limits.backend}'s ` +
      `${MiB(limits.maxBufferBytes)} limit. Try ${m.batch * m.seq * 4 * m.vocabSize >= e.largestBufferBytes ? 'a smaller batch or sequence length, or ' : ''}another backend (wasm holds up to 4 GiB in all).`
    );
  }
  if (limits.maxTotalBytes !== null && e.totalBytes > limits.maxTotalBytes) {
    return (
      `Loading and training this model would take about ${MiB(e.totalBytes)} (weights ${MiB(e.weightsBytes)}, ` +
      `activations ${MiB(e.activationBytes + e.logitsBytes)}, optimizer ${MiB(e.optimizerBytes + e.trainerBytes)}), ` +
      `over the ${MiB(limits.maxTotalBytes)} ${limits.backend} can hold. Try ${[...outs, 'another backend'].join(', or ')}.`
    );
  }
  return null;
}

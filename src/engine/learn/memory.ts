/**
 * Training and checkpoint memory for full fine-tuning vs LoRA, from parameter counts alone.
 * Activations are not counted: they depend on batch size and sequence length, and are the same
 * order for both (the forward and backward pass through W0 still run under LoRA).
 */

/**
 * fp32: every number in 4 bytes.
 * mixed: the usual bf16/fp16 mixed-precision recipe. Full fine-tuning keeps a 16-bit working
 * copy of the weights (2 B) and 16-bit gradients (2 B) plus an fp32 master copy (4 B) and Adam's
 * m and v in fp32 (4 B + 4 B). LoRA keeps the frozen base in 16 bit (2 B) and the adapter in
 * fp32 (PEFT's default autocast_adapter_dtype), with fp32 gradients and Adam states.
 */
export type Precision = 'fp32' | 'mixed';

export interface MemoryBreakdown {
  /** Weights the forward pass reads (base, plus the adapter for LoRA). */
  weights: number;
  /** fp32 master copy of the trained weights (mixed-precision full fine-tuning only). */
  master: number;
  gradients: number;
  /** Adam's first moment m: one number per trained parameter. */
  adamM: number;
  /** Adam's second moment v: one number per trained parameter. */
  adamV: number;
  total: number;
}

function total(b: Omit<MemoryBreakdown, 'total'>): MemoryBreakdown {
  return { ...b, total: b.weights + b.master + b.gradients + b.adamM + b.adamV };
}

/** Bytes to fine-tune every parameter of a `base`-parameter model with Adam. */
export function fullFineTuneMemory(base: number, precision: Precision): MemoryBreakdown {
  return precision === 'fp32'
    ? total({ weights: 4 * base, master: 0, gradients: 4 * base, adamM: 4 * base, adamV: 4 * base })
    : total({ weights: 2 * base, master: 4 * base, gradients: 2 * base, adamM: 4 * base, adamV: 4 * base });
}

/** Bytes to train a LoRA adapter of `trainable` parameters over a frozen `base` with Adam. */
export function loraMemory(base: number, trainable: number, precision: Precision): MemoryBreakdown {
  const baseBytes = (precision === 'fp32' ? 4 : 2) * base;
  return total({
    weights: baseBytes + 4 * trainable,
    master: 0,
    gradients: 4 * trainable,
    adamM: 4 * trainable,
    adamV: 4 * trainable,
  });
}

/** Bytes per stored number for a checkpoint dtype. */
export const CHECKPOINT_BYTES = { fp32: 4, fp16: 2 } as const;
export type CheckpointDtype = keyof typeof CHECKPOINT_BYTES;

/** Checkpoint sizes: one adapter, one full copy, and `copies` of each. Tensors only (headers are tiny). */
export function checkpointSizes(base: number, trainable: number, dtype: CheckpointDtype, copies: number) {
  const b = CHECKPOINT_BYTES[dtype];
  return {
    adapter: trainable * b,
    full: base * b,
    adapters: copies * trainable * b,
    fulls: copies * base * b,
    /** One shared base plus `copies` adapters: what serving many tasks with LoRA stores. */
    baseAndAdapters: base * b + copies * trainable * b,
  };
}

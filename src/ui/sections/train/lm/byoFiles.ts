/**
 * "Bring your own GPT-2": which dropped file is which, and how much memory the checkpoint will
 * need, read from config.json and the file sizes before anything is loaded.
 */
import { gpt2Dims, parseGpt2Config, type Gpt2Config } from '../../../../engine/gpt2/config';
import { assertModelFits } from '../../../../engine/limits';

/** Weights larger than this (bytes) are loaded only after the learner confirms. */
export const ASK_ABOVE_BYTES = 300e6;

/**
 * Extra memory as a multiple of the weights: LoRA keeps the frozen weights plus activations and a
 * few small copies (≈ ×1.5 in all); full fine-tuning adds a gradient and Adam's m and v for every
 * weight (≈ ×4, plus activations). Rough by design: the real figure depends on batch and length.
 */
export const TRAINING_OVERHEAD = { lora: 0.5, full: 3.5 } as const;

export const REQUIRED = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;
export const OPTIONAL = ['tokenizer_config.json'] as const;
export type CheckpointFileName = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

export interface FileLike {
  name: string;
  size: number;
}

export interface SortedFiles<F extends FileLike> {
  byName: Partial<Record<CheckpointFileName, F>>;
  /** Required files not among those given. */
  missing: string[];
  /** Files that are none of the above (ignored, and said so). */
  ignored: string[];
}

/** Sort the picked/dropped files by their Hugging Face names (the last one of a name wins). */
export function sortFiles<F extends FileLike>(files: readonly F[]): SortedFiles<F> {
  const byName: Partial<Record<CheckpointFileName, F>> = {};
  const ignored: string[] = [];
  const known = new Set<string>([...REQUIRED, ...OPTIONAL]);
  for (const f of files) {
    if (known.has(f.name)) byName[f.name as CheckpointFileName] = f;
    else ignored.push(f.name);
  }
  return { byName, missing: REQUIRED.filter((n) => !byName[n]), ignored };
}

export interface MemoryEstimate {
  config: Gpt2Config;
  params: number;
  /** Bytes of model.safetensors. */
  weightBytes: number;
  /** Bytes the weights take once loaded as float32 (what the Worker holds). */
  loadedBytes: number;
  loraTrainingBytes: number;
  fullTrainingBytes: number;
  /** True when the learner should confirm before loading. */
  large: boolean;
}

/** Memory needs from config.json's text and the weights file's size. Throws UserFacingError on a bad config. */
export function estimateMemory(configText: string, weightBytes: number): MemoryEstimate {
  const config = parseGpt2Config(configText); // every number bounded (engine/limits)
  // Closed form, and refused with the estimate and the limit when a tab cannot hold it.
  const { params } = assertModelFits(gpt2Dims(config), weightBytes);
  // fp16/bf16 files are widened to float32 in memory.
  const loadedBytes = Math.max(weightBytes, params * 4);
  return {
    config,
    params,
    weightBytes,
    loadedBytes,
    loraTrainingBytes: loadedBytes * (1 + TRAINING_OVERHEAD.lora),
    fullTrainingBytes: loadedBytes * (1 + TRAINING_OVERHEAD.full),
    large: loadedBytes > ASK_ABOVE_BYTES,
  };
}

/**
 * LoRA configuration in PEFT's words and with PEFT's defaults (peft/tuners/lora/config.py),
 * and the plain-data form of an adapter's weights. Shared by the trainer, the adapter-file
 * writer/reader and the UI.
 */
import type { HostTensor } from '../types';

export type InitLoraWeights = true | false | 'gaussian' | 'pissa';

export interface LoraConfig {
  /** Rank of the update ΔW = s·B·A. PEFT default 8. */
  r: number;
  /** α in the scaling s = α/r (rsLoRA: α/√r). PEFT default 8. */
  lora_alpha: number;
  /** Dropout on the adapter's input only: s·B·A·dropout(x). PEFT default 0. */
  lora_dropout: number;
  /**
   * Which modules get an adapter: a list (a module matches when its full name equals an entry
   * or ends with "." + entry), a single string = regex that must match the whole name, or
   * "all-linear".
   */
  target_modules: string[] | string;
  /** s = α/√r instead of α/r. PEFT default false. */
  use_rslora: boolean;
  /**
   * true: A Kaiming-uniform(a=√5), B = 0 (PEFT default). "gaussian": A ~ N(0, 1/r), B = 0. "pissa": from W's
   * SVD. false: both random (debugging only).
   */
  init_lora_weights: InitLoraWeights;
  /** Per-module rank overrides, keyed by a pattern like target_modules entries. */
  rank_pattern: Record<string, number>;
  /** Per-module α overrides. */
  alpha_pattern: Record<string, number>;
  /** True when the base layer stores its weight [d_in, d_out] (GPT-2's Conv1D). */
  fan_in_fan_out: boolean;
  /** Always "none" here (bias is not trained). */
  bias: 'none';
  /**
   * PEFT's layer filter: only blocks with these indices get an adapter (an int: that one block).
   * Applies to list-form target_modules only, as in PEFT. Absent or null: every block.
   */
  layers_to_transform?: number[] | number | null;
  /** Name(s) of the block list the layer index follows (GPT-2: "h"); absent: the first numbered segment. */
  layers_pattern?: string[] | string | null;
  /** Modules never adapted: a list (full name or "." + suffix) or a regex over the whole name. */
  exclude_modules?: string[] | string | null;
}

export const DEFAULT_LORA_CONFIG: LoraConfig = {
  r: 8,
  lora_alpha: 8,
  lora_dropout: 0,
  target_modules: ['c_attn'],
  use_rslora: false,
  init_lora_weights: true,
  rank_pattern: {},
  alpha_pattern: {},
  fan_in_fan_out: true,
  bias: 'none',
};

/** One adapted module's factors. A: [r, d_in], B: [d_out, r]; ΔW = scaling · B·A, [d_out, d_in]. */
export interface LoraModuleWeights {
  A: HostTensor;
  B: HostTensor;
  r: number;
  alpha: number;
  scaling: number;
}

/** A whole adapter as plain data, keyed by the module path (e.g. "transformer.h.0.attn.c_attn"). */
export interface AdapterWeights {
  config: LoraConfig;
  modules: Map<string, LoraModuleWeights>;
}

/** Per-call options of the linear op. */
export interface LinearContext {
  /** false: base weights only, even when an adapter is active. */
  useAdapter?: boolean;
  /** The adapter whose branch is added (default: the active one), e.g. the one a trainer trains. */
  adapter?: string;
  /** Dropout is applied only while training. */
  training?: boolean;
  /** Supplies a fresh seed per dropout call (same sequence ⇒ same masks). */
  nextSeed?: () => number;
  /** Frozen products keep no packed copy of the weight on wasm (big models). Default true. */
  leanWeights?: boolean;
}

export interface TrainableParameters {
  trainable: number;
  all: number;
  /** PEFT's `print_trainable_parameters()` line. */
  line: string;
}

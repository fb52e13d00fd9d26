/**
 * What a model family owns, behind one interface the registry hands out: config parsing with
 * named errors and bounds, HF names and layouts, creating the model, its LoRA targets and PEFT's
 * defaults, fan_in_fan_out, the HF files it writes, parameter counts, and its float64 reference.
 */
import type { ParamStore } from '../lora/paramStore';
import type { HostTensor, TensorMap } from '../types';
import type { CausalLm, FamilyName, ModelDims } from './causalLm';
import type { ReferenceFns } from './referenceCheck';
import type { WeightNaming } from './weightPlan';

/** A Hugging Face model folder's two model files (what transformers' from_pretrained reads). */
export interface HfModelFiles {
  'config.json': string;
  'model.safetensors': Uint8Array;
}

/** One parsed config.json of a known family, with everything the engine does with it. */
export interface ModelSpec {
  readonly family: FamilyName;
  /** "GPT-2", "Llama", "Qwen2": for messages and the UI. */
  readonly label: string;
  /** The parsed config (HF keys, defaults resolved): Gpt2Config or LlamaConfig. */
  readonly config: object;
  readonly dims: ModelDims;
  /** Leaf names of the linear layers LoRA can target, e.g. ["q_proj", …, "down_proj"]. */
  readonly targetNames: readonly string[];
  /** PEFT's default target_modules for this family. */
  readonly defaultTargets: readonly string[];
  /** true only for GPT-2's Conv1D (weights stored [d_in, d_out]). */
  readonly fanInFanOut: boolean;
  /** The config.json object transformers writes back for this model. */
  configJson(): Record<string, unknown>;
  /** Names and HF shapes of every parameter, and how stored names map to them. */
  naming(): WeightNaming;
  /** Base parameters (a tied head once). */
  paramCount(): number;
  /** Every adaptable linear layer by full module path, with its shape. */
  linears(): { name: string; dIn: number; dOut: number }[];
  /** One tensor from HF layout to the layout the model keeps on the device. */
  toComputeLayout(name: string, t: HostTensor): HostTensor;
  /** True when that layout is the transpose of the HF one (a 2-D weight kept [d_in, d_out]). */
  transposedOnDevice(name: string): boolean;
  /** Seeded random weights (transformers' init). */
  random(seed: number): CausalLm;
  /** From HF-named weights in HF layout (checked against the config). */
  fromWeights(weights: TensorMap): CausalLm;
  /** From a device store already in compute layout and canonical names (the streaming loader). */
  fromStore(store: ParamStore): CausalLm;
  /**
   * config.json + model.safetensors (F32, HF names, layouts and order) for these weights.
   * @param endOfTextId the tokenizer's end-of-text id: written as the config's eos (and GPT-2's
   *   bos) token id where the config names none, so transformers' generate stops where this app's
   *   sampler stops
   */
  hfFiles(weights: TensorMap, endOfTextId?: number): HfModelFiles;
  /** The family's float64 plain-TypeScript reference, bound to this config (tiny models only). */
  reference(): ReferenceFns;
}

/** A family in the registry. */
export interface ModelFamily {
  readonly name: FamilyName;
  readonly label: string;
  readonly targetNames: readonly string[];
  readonly defaultTargets: readonly string[];
  readonly fanInFanOut: boolean;
  /** Parse and validate a config.json object of this family. */
  spec(config: Record<string, unknown>): ModelSpec;
}

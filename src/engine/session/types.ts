/**
 * The plain data an LmSession takes and hands out: checkpoint files, the model's summary, run
 * settings and results, samples and adapters. Everything here can be posted across the Worker
 * boundary (no tensors, no classes).
 */
import type { TrainableParameters } from '../lora/adapterSet';
import type { FamilyName, ModelDims } from '../models/causalLm';
import type { AdapterWeights, LoraConfig } from '../lora/types';
import type { TrainMode } from '../train/lmTrainer';
import type { TensorMap } from '../types';

export type { TrainMode } from '../train/lmTrainer';

/** One weights file read tensor by tensor (a File from a picker, or a Blob over a file on disk). */
export interface NamedBlob {
  /** The file's name as the index refers to it, e.g. "model-00001-of-00002.safetensors". */
  name: string;
  blob: Blob;
}

/**
 * The files of a Hugging Face checkpoint of any supported family (from the app's server or the
 * user's disk). Weights as bytes are read whole; as blobs they stream tensor by tensor (no copy
 * of the file is held), which is how big and sharded checkpoints load.
 */
export interface BaseFiles {
  /** Shown in the UI and written as `base_model_name_or_path`. */
  name: string;
  config: string;
  /** model.safetensors as bytes, or the weights files (model.safetensors, or every shard) as blobs. */
  weights: Uint8Array | NamedBlob[];
  /** model.safetensors.index.json: required with more than one weights file. */
  index?: string;
  tokenizer: string;
  /** tokenizer_config.json, where the eos/bos tokens are named. */
  tokenizerConfig?: string;
  /** Set when the files came from the Hugging Face Hub (then `name` is the repo id). */
  hub?: HubBase;
}

/** A base downloaded from the Hugging Face Hub: what an exported adapter names it by. */
export interface HubBase {
  /** "owner/name", as `from_pretrained` takes it. */
  repoId: string;
  /** The revision asked for ("main" unless pinned). */
  revision: string;
  /** The commit it resolved to, when the Hub said. */
  commit?: string;
}

/** The linear layers of every block, grouped by the name a LoRA target uses ("c_attn", "attn.c_proj"…). */
export interface TargetGroup {
  /** A PEFT target_modules entry that matches exactly this group. */
  key: string;
  /** Number of layers it adapts (one per block). */
  layers: number;
  dIn: number;
  dOut: number;
  /** Trainable parameters per unit of rank: layers·(d_in + d_out). */
  paramsPerRank: number;
}

export interface ModelSummary {
  name: string;
  family: FamilyName;
  /** "GPT-2", "Llama", "Qwen2". */
  familyLabel: string;
  /** Layers, width, heads and kv heads, inner width, vocabulary, context. */
  dims: ModelDims;
  /** The leaf names LoRA can target in this family and PEFT's default target_modules. */
  targetNames: string[];
  defaultTargets: string[];
  baseParams: number;
  /** Bytes of the weights files. */
  weightBytes: number;
  /** How the files store the weights, e.g. ["BF16"] (on the device they are float32). */
  dtypes: string[];
  tokenizer: 'char' | 'bpe';
  vocabSize: number;
  targets: TargetGroup[];
  modules: { name: string; dIn: number; dOut: number }[];
  /** Where the base came from on the Hub; absent for the shipped model and files from disk. */
  hub?: HubBase;
}

/** The LoRA hyperparameters a run sets (the rest are PEFT's defaults). */
export type RunLoraSettings = Partial<
  Pick<LoraConfig, 'r' | 'lora_alpha' | 'lora_dropout' | 'target_modules' | 'init_lora_weights' | 'use_rslora'>
>;

/** One training run. Defaults shared by the page, the Worker and the CLI: `runSettings()` in ./defaults. */
export interface RunSettings {
  mode: TrainMode;
  /**
   * LoRA: the adapter this run creates and trains, by name (made unique if taken; RunInfo says
   * the name it got). Full runs ignore it.
   */
  adapterName: string;
  lora: RunLoraSettings;
  learningRate: number;
  totalSteps: number;
  warmupSteps: number;
  batch: number;
  seq: number;
  seed: number;
  /** Validation batches used by evaluate() (each scores batch·seq tokens at most). */
  evalBatches: number;
}

export interface RunInfo {
  mode: TrainMode;
  /** LoRA: the name the trained adapter got; full: null. */
  adapterName: string | null;
  trainable: TrainableParameters;
  optimizerStateBytes: number;
  /** Bytes of the weights the optimizer updates (fp32). */
  trainedWeightBytes: number;
  totalSteps: number;
  tokensPerStep: number;
}

/**
 * The trained weights of a run at a step, as plain data kept off the device: what a run resumes
 * from after the GPU device was lost.
 */
export interface RunSnapshot {
  /** Steps done when it was taken. */
  step: number;
  /** Training loss of that step (NaN before the first). */
  loss: number;
  mode: TrainMode;
  /** LoRA: the adapter's name; full: null. */
  adapterName: string | null;
  /** LoRA: the adapter; full: every base weight of the trained copy (HF names and order). */
  weights: AdapterWeights | TensorMap;
}

export interface Sample {
  prompt: string;
  text: string;
}

/** How to sample a continuation. `topK` 0: the whole vocabulary; `temperature` 0: greedy. */
export interface SampleOptions {
  maxNewTokens: number;
  temperature: number;
  seed: number;
  /** false: the base model; true: the active adapter (or, during a full run, the trained copy). */
  useAdapter: boolean;
  topK?: number;
}

/** Mean negative log-likelihood over some tokens. */
export interface Score {
  /** nats/token */
  nll: number;
  tokens: number;
}

export interface AdapterInfo {
  name: string;
  active: boolean;
  merged: boolean;
  r: number;
  alpha: number;
  useRslora: boolean;
  targets: string[];
  modules: number;
  params: number;
  bytes: number;
}

/** What an adapter was trained on, for its exported model card. */
export interface Provenance {
  dataset?: string;
  steps?: number;
  finalLoss?: number;
}

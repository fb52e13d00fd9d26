/**
 * The plain data an LmSession takes and hands out: checkpoint files, the model's summary, run
 * settings and results, samples and adapters. Everything here can be posted across the Worker
 * boundary (no tensors, no classes).
 */
import type { Gpt2Config } from '../gpt2/config';
import type { TrainableParameters } from '../lora/adapterSet';
import type { AdapterWeights, LoraConfig } from '../lora/types';
import type { TrainMode } from '../train/gpt2Trainer';
import type { TensorMap } from '../types';

export type { TrainMode } from '../train/gpt2Trainer';

/** The files of a Hugging Face GPT-2 checkpoint, as bytes/text (from the app's server or the user's disk). */
export interface BaseFiles {
  /** Shown in the UI and written as `base_model_name_or_path`. */
  name: string;
  config: string;
  weights: Uint8Array;
  tokenizer: string;
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
  config: Gpt2Config;
  baseParams: number;
  weightBytes: number;
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

/**
 * A browser run as the settings of a PEFT + Accelerate recipe: the JSON block train_lora.py
 * embeds and reads. Every value is the one the app trains with, including the defaults the app
 * fills in silently (PEFT's LoRA defaults, the trainer's AdamW, clipping and schedule floor), so
 * the script reproduces the run rather than a similar one.
 */
import { matchesTarget, validateLoraConfig } from '../lora/match';
import { DEFAULT_LORA_CONFIG, type InitLoraWeights } from '../lora/types';
import type { RunSettings } from '../session/types';
import { UserFacingError } from '../types';

/**
 * What src/engine/train uses when the run does not say: Adam's class defaults for AdamW
 * (train/optimizer.ts), Trainer's clipping (train/trainer.ts) and the schedule's floor
 * (train/schedule.ts). recipe.test.ts checks these against the trainer itself.
 */
export const APP_TRAINER_DEFAULTS = {
  optimizer: 'adamw',
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0.01,
  maxGradNorm: 1,
  minLearningRate: 0,
} as const;

/** Where the base model comes from: a Hub repository at a revision, or a folder beside the script. */
export type RecipeBase =
  | { kind: 'hub'; repoId: string; revision: string }
  | {
      kind: 'folder';
      /** Folder name next to train_lora.py (what the app's "export base" wrote). */
      folder: string;
      /**
       * The folder's files (config.json, model.safetensors, tokenizer.json) to put in the recipe; omit to
       * leave them out.
       */
      files?: Record<string, Uint8Array | string>;
    };

export interface RecipeInput {
  settings: RunSettings;
  /** The documents exactly as the app split them. */
  dataset: { label: string; train: readonly string[]; validation: readonly string[]; alignToDocuments: boolean };
  base: RecipeBase;
  /** "gpt2": Conv1D layers (fan_in_fan_out true); "llama": nn.Linear layers. */
  architecture: 'gpt2' | 'llama';
  /** The model's linear layers in the app's order (ModelSummary.modules): the init order and PEFT's check. */
  modules: readonly { name: string; dIn: number; dOut: number }[];
  /** The model's context length (n_positions / max_position_embeddings): the app clamps seq to it. */
  contextLength: number;
  /** The tokenizer's end-of-text token: joins documents, pads. */
  endOfText: { token: string; id: number };
  /** The browser run's result, to compare against. */
  browser?: { validationLoss: number; steps: number; baseValidationLoss?: number; backend?: string };
}

/** The JSON block of train_lora.py (snake_case, as Python reads it). */
export interface RecipeSettings {
  format: 'lowrank-recipe/1';
  run_name: string;
  base: { kind: 'hub'; repo_id: string; revision: string } | { kind: 'folder'; path: string };
  architecture: 'gpt2' | 'llama';
  lora: {
    r: number;
    lora_alpha: number;
    lora_dropout: number;
    target_modules: string[] | string;
    use_rslora: boolean;
    init_lora_weights: InitLoraWeights;
    fan_in_fan_out: boolean;
    bias: 'none';
    task_type: 'CAUSAL_LM';
  };
  /** Every module the adapter lands on, in the app's order (the order its init draws in). */
  lora_modules: string[];
  training: {
    steps: number;
    warmup_steps: number;
    learning_rate: number;
    min_learning_rate: number;
    batch: number;
    seq: number;
    seed: number;
    max_grad_norm: number;
    optimizer: 'adamw';
    adam_beta1: number;
    adam_beta2: number;
    adam_epsilon: number;
    weight_decay: number;
  };
  data: {
    train_file: string;
    validation_file: string;
    train_documents: number;
    validation_documents: number;
    align_to_documents: boolean;
    end_of_text_token: string;
    end_of_text_id: number;
    eval_batches: number;
  };
  browser: {
    validation_loss: number;
    steps: number;
    base_validation_loss: number | null;
    backend: string | null;
  } | null;
  output_dir: string;
}

const SAFE_NAME = /^[\w.-]{1,64}$/;
const REPO_ID = /^[\w.-]{1,96}(\/[\w.-]{1,96})?$/;
const REVISION = /^[\w./-]{1,128}$/;

function checkDocuments(what: string, docs: readonly string[]): void {
  if (docs.length === 0) throw new UserFacingError(`the ${what} split is empty: the recipe needs its documents`);
  const bad = docs.findIndex((d) => d.length === 0 || /[\r\n]/.test(d));
  if (bad >= 0) {
    throw new UserFacingError(
      `${what} document ${bad + 1} is empty or contains a line break; the recipe writes one document per line`,
    );
  }
}

/** A file- and folder-safe version of a name ("names (r=8)" → "names-r-8"). */
export function safeName(name: string): string {
  const clean = name
    .trim()
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[.-]+|-+$/g, '')
    .slice(0, 48);
  return clean || 'adapter';
}

/**
 * The recipe settings of a LoRA run, with the app's defaults made explicit.
 * @throws UserFacingError for a full fine-tuning run, a base id that is not a Hub id, documents the
 * text files cannot hold, or targets that match none of the model's layers.
 */
export function recipeSettings(input: RecipeInput): RecipeSettings {
  const s = input.settings;
  if (s.mode !== 'lora') throw new UserFacingError('the recipe reproduces LoRA runs: this run is full fine-tuning');
  checkDocuments('training', input.dataset.train);
  checkDocuments('validation', input.dataset.validation);
  const b = input.base;
  if (b.kind === 'hub' && (!REPO_ID.test(b.repoId) || !REVISION.test(b.revision))) {
    throw new UserFacingError(
      `"${b.repoId}" at "${b.revision}" is not a Hub repository id and revision (like openai-community/gpt2 at main)`,
    );
  }
  if (b.kind === 'folder' && !SAFE_NAME.test(b.folder)) {
    throw new UserFacingError(`the base folder name "${b.folder}" may use letters, digits, "-", "_" and "." only`);
  }
  if (!Number.isInteger(input.endOfText.id) || input.endOfText.id < 0 || !input.endOfText.token) {
    throw new UserFacingError('the tokenizer has no end-of-text token: the recipe needs it to join documents');
  }
  // As the app's adapterSet.add fills them: PEFT's defaults, then the run's own values.
  const lora = validateLoraConfig({ ...DEFAULT_LORA_CONFIG, ...s.lora, fan_in_fan_out: input.architecture === 'gpt2' });
  const target = lora.target_modules;
  const loraModules = input.modules.map((m) => m.name).filter((n) => matchesTarget(n, target));
  if (loraModules.length === 0)
    throw new UserFacingError(`target_modules ${JSON.stringify(target)} matches none of the model's layers`);
  const name = safeName(s.adapterName);
  const d = APP_TRAINER_DEFAULTS;
  return {
    format: 'lowrank-recipe/1',
    run_name: name,
    base:
      b.kind === 'hub' ? { kind: 'hub', repo_id: b.repoId, revision: b.revision } : { kind: 'folder', path: b.folder },
    architecture: input.architecture,
    lora: {
      r: lora.r,
      lora_alpha: lora.lora_alpha,
      lora_dropout: lora.lora_dropout,
      target_modules: Array.isArray(target) ? [...target] : target,
      use_rslora: lora.use_rslora,
      init_lora_weights: lora.init_lora_weights,
      fan_in_fan_out: input.architecture === 'gpt2',
      bias: 'none',
      task_type: 'CAUSAL_LM',
    },
    lora_modules: loraModules,
    training: {
      steps: s.totalSteps,
      warmup_steps: s.warmupSteps,
      learning_rate: s.learningRate,
      min_learning_rate: d.minLearningRate,
      batch: s.batch,
      seq: Math.min(s.seq, input.contextLength),
      seed: s.seed,
      max_grad_norm: d.maxGradNorm,
      optimizer: d.optimizer,
      adam_beta1: d.beta1,
      adam_beta2: d.beta2,
      adam_epsilon: d.epsilon,
      weight_decay: d.weightDecay,
    },
    data: {
      train_file: 'train.txt',
      validation_file: 'validation.txt',
      train_documents: input.dataset.train.length,
      validation_documents: input.dataset.validation.length,
      align_to_documents: input.dataset.alignToDocuments,
      end_of_text_token: input.endOfText.token,
      end_of_text_id: input.endOfText.id,
      eval_batches: s.evalBatches,
    },
    browser: input.browser
      ? {
          validation_loss: input.browser.validationLoss,
          steps: input.browser.steps,
          base_validation_loss: input.browser.baseValidationLoss ?? null,
          backend: input.browser.backend ?? null,
        }
      : null,
    output_dir: `adapter-${name}`,
  };
}

/**
 * The Train page's settings: what each one means, its default and its URL codec, and how they
 * become the Worker's RunSettings and TrainPlan. Pure (no React), so the defaults and the
 * translation are unit-tested.
 */
import type { InitLoraWeights } from '../../../../engine/lora/types';
import type { ModelSummary, RunSettings, TargetGroup } from '../../../../engine/session/types';
import { RUN_DEFAULTS, SAMPLE_DEFAULTS, warmupStepsFor } from '../../../../engine/session/defaults';
import type { TrainMode } from '../../../../engine/train/gpt2Trainer';
import type { TrainPlan } from '../../../../worker/lmWorkerApi';
import { boolCodec, enumCodec, numberCodec, stringCodec, type Codec } from '../../../urlState';

export const TASK_IDS = ['names', 'dates', 'arithmetic', 'user'] as const;
export type TrainTaskId = (typeof TASK_IDS)[number];
export const INIT_IDS = ['peft', 'gaussian', 'pissa', 'none'] as const;
export type InitId = (typeof INIT_IDS)[number];
export const BASE_IDS = ['tiny', 'own'] as const;
export type BaseId = (typeof BASE_IDS)[number];

export interface TrainSettings {
  /** "tiny": the shipped model; "own": the GPT-2 the learner loaded from disk. */
  base: BaseId;
  task: TrainTaskId;
  mode: TrainMode;
  /** PEFT target_modules entries, e.g. "attn.c_attn" (one per checked group). */
  targets: string[];
  r: number;
  alpha: number;
  dropout: number;
  init: InitId;
  rslora: boolean;
  learningRate: number;
  steps: number;
  batch: number;
  seq: number;
  seed: number;
  /** Tokens generated per sample (before, during and after training). */
  sampleTokens: number;
}

/** The engine's run defaults (shared with the Worker and the CLI; how they were sized is there). */
export const DEFAULTS: TrainSettings = {
  base: 'tiny',
  task: 'names',
  mode: RUN_DEFAULTS.mode,
  targets: [...RUN_DEFAULTS.lora.target_modules],
  r: RUN_DEFAULTS.lora.r,
  alpha: RUN_DEFAULTS.lora.lora_alpha,
  dropout: RUN_DEFAULTS.lora.lora_dropout,
  init: 'peft',
  rslora: RUN_DEFAULTS.lora.use_rslora,
  learningRate: RUN_DEFAULTS.learningRate,
  steps: RUN_DEFAULTS.totalSteps,
  batch: RUN_DEFAULTS.batch,
  seq: RUN_DEFAULTS.seq,
  seed: RUN_DEFAULTS.seed,
  sampleTokens: SAMPLE_DEFAULTS.maxNewTokens,
};

export const R_CHOICES = [1, 2, 4, 8, 16, 32, 64];
export const LR_CHOICES = [1e-4, 3e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2];
export const BATCH_CHOICES = [1, 2, 4, 8, 16, 32, 64];
export const SEQ_CHOICES = [8, 16, 32, 64, 128, 256, 512, 1024];
export const DROPOUT_CHOICES = [0, 0.05, 0.1, 0.2];
export const MAX_STEPS = 5000;

export const INIT_LABELS: Record<InitId, string> = {
  peft: 'PEFT default',
  gaussian: 'gaussian',
  pissa: 'PiSSA',
  none: 'both random (debug)',
};

/** What each init does, shown under the select. */
export const INIT_NOTES: Record<InitId, string> = {
  peft: 'A Kaiming-uniform, B = 0: ΔW = 0 at step 0, so training starts from the base model.',
  gaussian: 'A ~ N(0, 1/r), B = 0: ΔW = 0 at step 0.',
  pissa: 'A and B from the top r singular directions of W, and W keeps the rest: the model starts equal to the base.',
  none: 'A and B both random: ΔW ≠ 0 at step 0, so the model starts off damaged (debugging only).',
};

const INIT_TO_PEFT: Record<InitId, InitLoraWeights> = { peft: true, gaussian: 'gaussian', pissa: 'pissa', none: false };

/** A comma-separated list of module-group names ("attn.c_attn,mlp.c_fc"). */
export const listCodec: Codec<string[]> = {
  parse: (raw) =>
    raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => /^[\w.]+$/.test(s)),
  format: (v) => v.join(','),
};

export const CODECS = {
  base: enumCodec(BASE_IDS),
  task: enumCodec(TASK_IDS),
  mode: enumCodec(['lora', 'full'] as const),
  targets: listCodec,
  r: numberCodec(1, 256),
  alpha: numberCodec(0.01, 4096),
  dropout: numberCodec(0, 0.9),
  init: enumCodec(INIT_IDS),
  rslora: boolCodec,
  lr: numberCodec(1e-6, 1),
  steps: numberCodec(1, MAX_STEPS),
  batch: numberCodec(1, 256),
  seq: numberCodec(2, 4096),
  seed: numberCodec(0, 2 ** 31 - 1),
  module: stringCodec,
  sample: numberCodec(1, 128),
} as const;

/** Trainable parameters a target group adds at rank r: layers·(d_in + d_out)·r. */
export function targetParams(group: TargetGroup, r: number): number {
  return group.paramsPerRank * r;
}

/** The checked targets that exist in this model (a link made for another model may name others). */
export function validTargets(targets: readonly string[], model: ModelSummary): string[] {
  const keys = new Set(model.targets.map((t) => t.key));
  return targets.filter((t) => keys.has(t));
}

/** Sequence length actually used: at most the model's context. */
export function effectiveSeq(seq: number, model: ModelSummary): number {
  return Math.max(2, Math.min(Math.round(seq), model.config.n_positions));
}

/** The adapter's name: task and rank, e.g. "names-r8" (the Worker makes it unique). */
export function adapterNameFor(s: Pick<TrainSettings, 'task' | 'r'>): string {
  return `${s.task === 'user' ? 'my-text' : s.task}-r${Math.round(s.r)}`;
}

/** What the Worker's LmSession.beginRun takes. */
export function toRunSettings(s: TrainSettings, model: ModelSummary, mode: TrainMode = s.mode): RunSettings {
  const steps = Math.max(1, Math.round(s.steps));
  return {
    mode,
    adapterName: adapterNameFor(s),
    lora: {
      r: Math.round(s.r),
      lora_alpha: s.alpha,
      lora_dropout: s.dropout,
      target_modules: validTargets(s.targets, model),
      init_lora_weights: INIT_TO_PEFT[s.init],
      use_rslora: s.rslora,
    },
    learningRate: s.learningRate,
    totalSteps: steps,
    warmupSteps: warmupStepsFor(steps),
    batch: Math.max(1, Math.round(s.batch)),
    seq: effectiveSeq(s.seq, model),
    seed: Math.round(s.seed),
    evalBatches: RUN_DEFAULTS.evalBatches,
  };
}

/** Evaluate ~10 times per run, sample ~3 times during it, ΔW with every evaluation. */
export function toPlan(
  steps: number,
  prompts: string[],
  deltaWModule: string | null,
  sampleTokens = DEFAULTS.sampleTokens,
): TrainPlan {
  return {
    evalEvery: Math.max(1, Math.round(steps / 10)),
    sampleEvery: steps >= 8 ? Math.max(2, Math.round(steps / 4)) : 0,
    prompts,
    sampleTokens,
    deltaWModule,
  };
}

/** Why the settings cannot start a run, or null when they can. */
export function settingsProblem(s: TrainSettings, model: ModelSummary | null): string | null {
  if (!model) return 'No base model is loaded yet.';
  if (s.mode === 'lora' && validTargets(s.targets, model).length === 0)
    return 'Choose at least one target module for the adapter.';
  if (!(s.alpha > 0)) return 'α must be positive.';
  return null;
}

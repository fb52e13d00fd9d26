/**
 * The Train page's settings: one table of what each one means, its URL key, default and bounds,
 * and how they become the Worker's RunSettings and TrainPlan. Pure (no React), so the defaults and the
 * translation are unit-tested.
 */
import type { InitLoraWeights } from '../../../../engine/lora/types';
import type { ModelSummary, RunSettings, TargetGroup } from '../../../../engine/session/types';
import { RUN_DEFAULTS, SAMPLE_DEFAULTS, warmupStepsFor } from '../../../../engine/session/defaults';
import type { TrainMode } from '../../../../engine/train/gpt2Trainer';
import type { TrainPlan } from '../../../../worker/lmWorkerApi';
import { boolCodec, enumCodec, stringCodec, type Codec } from '../../../urlState';
import { defaultsOf, numberSetting, type Schema } from '../../../urlSchema';

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

export const R_CHOICES = [1, 2, 4, 8, 16, 32, 64];
export const LR_CHOICES = [1e-4, 3e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2];
export const BATCH_CHOICES = [1, 2, 4, 8, 16, 32, 64];
export const SEQ_CHOICES = [8, 16, 32, 64, 128, 256, 512, 1024];
export const DROPOUT_CHOICES = [0, 0.05, 0.1, 0.2];

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

export const MAX_STEPS = 5000;

/**
 * Every Train setting: its URL parameter (the same keys as ever, so old links still work), its
 * label, its default and its bounds. The defaults are the engine's run defaults, shared with the
 * Worker and the CLI (how they were sized is there).
 */
const D = RUN_DEFAULTS;
export const TRAIN_SETTINGS = {
  base: { param: 'base', label: 'Base model', default: 'tiny', codec: enumCodec(BASE_IDS) },
  task: { param: 'task', label: 'Task', default: 'names', codec: enumCodec(TASK_IDS) },
  mode: {
    param: 'mode',
    label: 'Training mode',
    default: D.mode as TrainMode,
    codec: enumCodec(['lora', 'full'] as const),
  },
  targets: { param: 'targets', label: 'Target modules', default: [...D.lora.target_modules], codec: listCodec },
  r: numberSetting('r', 'rank r', D.lora.r, { min: 1, max: 256, integer: true }),
  alpha: numberSetting('alpha', 'alpha α', D.lora.lora_alpha, { min: 0.01, max: 4096, integer: false }),
  dropout: numberSetting('dropout', 'dropout', D.lora.lora_dropout, { min: 0, max: 0.9, integer: false }),
  init: { param: 'init', label: 'init', default: 'peft', codec: enumCodec(INIT_IDS) },
  rslora: { param: 'rslora', label: 'rsLoRA (s = α/√r)', default: D.lora.use_rslora as boolean, codec: boolCodec },
  learningRate: numberSetting('lr', 'learning rate', D.learningRate, { min: 1e-6, max: 1, integer: false }),
  steps: numberSetting('steps', 'steps', D.totalSteps, { min: 1, max: MAX_STEPS, integer: true }),
  batch: numberSetting('batch', 'batch size', D.batch, { min: 1, max: 256, integer: true }),
  seq: numberSetting('seq', 'sequence length', D.seq, { min: 2, max: 4096, integer: true }),
  seed: numberSetting('seed', 'seed', D.seed, { min: 0, max: 2 ** 31 - 1, integer: true }),
  sampleTokens: numberSetting('sample', 'sample length (tokens)', SAMPLE_DEFAULTS.maxNewTokens, {
    min: 1,
    max: 128,
    integer: true,
  }),
} satisfies Schema<TrainSettings>;

export const DEFAULTS: TrainSettings = defaultsOf<TrainSettings>(TRAIN_SETTINGS);

/** What the Train page shows beside the run: the module whose ΔW is drawn, and its scale. */
export interface TrainView {
  /** A module name, or '' for the first adapted one. */
  module: string;
  /** Singular values of ΔW on a log axis. */
  log: boolean;
}

export const VIEW_SETTINGS = {
  module: { param: 'module', label: 'adapted module', default: '', codec: stringCodec },
  log: { param: 'log', label: 'log scale', default: true, codec: boolCodec },
} satisfies Schema<TrainView>;

/** Trainable parameters a target group adds at rank r: layers·(d_in + d_out)·r. */
export function targetParams(group: TargetGroup, r: number): number {
  return group.paramsPerRank * r;
}

/**
 * The checked targets that exist in this model (a link made for another model may name others).
 * Left at the default (GPT-2's attn.c_attn) on a model of another family, the family's own PEFT
 * defaults are meant (Llama, Qwen2: self_attn.q_proj and self_attn.v_proj).
 */
export function validTargets(targets: readonly string[], model: ModelSummary): string[] {
  const keys = new Set(model.targets.map((t) => t.key));
  const valid = targets.filter((t) => keys.has(t));
  const untouched = targets.join(',') === TRAIN_SETTINGS.targets.default.join(',');
  if (valid.length > 0 || !untouched) return valid;
  return model.targets.filter((t) => model.defaultTargets.includes(t.key.split('.').pop()!)).map((t) => t.key);
}

/** Sequence length actually used: at most the model's context. */
export function effectiveSeq(seq: number, model: ModelSummary): number {
  return Math.max(2, Math.min(Math.round(seq), model.dims.nPositions));
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

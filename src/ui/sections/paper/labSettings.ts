/**
 * The paper lab's settings and view, as one URL table (so every view is a link and a presenter
 * step), and how they become the sweep's base run and plan. Pure (no React), unit-tested.
 */
import { PAPER_RANKS } from '../../../engine/paper/sweeps';
import { runSettings, RUN_DEFAULTS } from '../../../engine/session/defaults';
import type { ModelSummary, RunSettings } from '../../../engine/session/types';
import type { TrainPlan } from '../../../worker/lmWorkerApi';
import { enumCodec, stringCodec, type Codec } from '../../urlState';
import { defaultsOf, numberSetting, type Schema } from '../../urlSchema';

export const LAB_VIEWS = ['rank', 'budget', 'subspace', 'amplify'] as const;
export type LabViewId = (typeof LAB_VIEWS)[number];

export const LAB_VIEW_LABELS: Record<LabViewId, string> = {
  rank: 'Rank sweep (Table 6)',
  budget: 'Which weights (Table 5)',
  subspace: 'Subspace similarity (Fig. 3, 4)',
  amplify: 'Amplification (§7.3)',
};

/** The Train page's shipped tasks (the learner's own text lives on the Train page). */
export const LAB_TASKS = ['names', 'dates', 'arithmetic'] as const;
export type LabTaskId = (typeof LAB_TASKS)[number];

/**
 * Steps per run by default: the shipped model takes ~0.12 s per LoRA step at batch 8 × 32 on wasm
 * on an idle machine, so the five runs of the rank sweep take well under a minute there.
 */
export const DEFAULT_LAB_STEPS = 60;
export const MAX_LAB_RANK = 256;
/** The rank both the seed runs and the r-vs-r comparison use. */
export const SEED_RANK = 8;

export interface LabSettings {
  view: LabViewId;
  task: LabTaskId;
  steps: number;
  seed: number;
  /** The rank sweep's ranks, ascending. */
  ranks: number[];
  /** Module of the φ and amplification views ('' for the first one both adapters adapt). */
  module: string;
  /** The two adapters φ compares ('' for the default pair). */
  a: string;
  b: string;
  /** The adapter amplification analyses ('' for the default). */
  adapter: string;
}

/** "1,2,4,8,64": distinct whole ranks 1…256, at most eight, sorted; anything else is unreadable. */
export const rankListCodec: Codec<number[]> = {
  parse: (raw) => {
    const parts = raw.split(',').map((s) => s.trim());
    if (parts.length === 0 || parts.length > 8 || parts.some((p) => !/^\d{1,3}$/.test(p))) return undefined;
    const ranks = [...new Set(parts.map(Number))].sort((x, y) => x - y);
    return ranks.every((r) => r >= 1 && r <= MAX_LAB_RANK) ? ranks : undefined;
  },
  format: (v) => v.join(','),
};

export const LAB_SETTINGS = {
  view: { param: 'view', label: 'View', default: 'rank', codec: enumCodec(LAB_VIEWS) },
  task: { param: 'task', label: 'Task', default: 'names', codec: enumCodec(LAB_TASKS) },
  steps: numberSetting('steps', 'steps per run', DEFAULT_LAB_STEPS, { min: 1, max: 2000, integer: true }),
  seed: numberSetting('seed', 'seed', RUN_DEFAULTS.seed, { min: 0, max: 2 ** 31 - 2, integer: true }),
  ranks: { param: 'ranks', label: 'ranks', default: [...PAPER_RANKS], codec: rankListCodec },
  module: { param: 'module', label: 'module', default: '', codec: stringCodec },
  a: { param: 'a', label: 'first adapter', default: '', codec: stringCodec },
  b: { param: 'b', label: 'second adapter', default: '', codec: stringCodec },
  adapter: { param: 'adapter', label: 'adapter', default: '', codec: stringCodec },
} satisfies Schema<LabSettings>;

export const LAB_DEFAULTS: LabSettings = defaultsOf<LabSettings>(LAB_SETTINGS);

/**
 * The run every sweep varies: the Train page's defaults (r = 8 on GPT-2's attn.c_attn, α = 16,
 * AdamW at 5e-3, batch 8 × 32) with the lab's steps and seed, named "sweep" (runs become "sweep-r8"…). On
 * a model of another family the targets are that family's PEFT defaults (Llama: q_proj, v_proj).
 */
export function labBaseRun(s: Pick<LabSettings, 'steps' | 'seed'>, model: ModelSummary): RunSettings {
  return runSettings({
    adapterName: 'sweep',
    totalSteps: s.steps,
    seed: s.seed,
    seq: Math.max(2, Math.min(RUN_DEFAULTS.seq, model.dims.nPositions)),
    ...(model.family && model.family !== 'gpt2' ? { lora: { target_modules: [...model.defaultTargets] } } : {}),
  });
}

/** "q_proj, v_proj" or "attn.c_attn": the layers every lab run adapts, as its settings say. */
export function labTargets(run: RunSettings): string {
  const t = run.lora.target_modules ?? RUN_DEFAULTS.lora.target_modules;
  return Array.isArray(t) ? t.join(', ') : t;
}

/** "r on q_proj, v_proj, α = 16, AdamW 5e-3, batch 8 × 32": the lab's run, read off its settings. */
export function labRunLine(run: RunSettings): string {
  return `r on ${labTargets(run)}, α = ${run.lora.lora_alpha ?? RUN_DEFAULTS.lora.lora_alpha}, AdamW ${run.learningRate}, batch ${run.batch} × ${run.seq}`;
}

/** What a sweep run does besides stepping: the base and final validation loss only. */
export function labPlan(steps: number): TrainPlan {
  return { evalEvery: steps, sampleEvery: 0, prompts: [], sampleTokens: 0, deltaWModule: null };
}

/**
 * The paper lab's sweeps as plans: the list of runs to train, one after the other, derived from
 * the learner's own run. Every run keeps the base run's steps, schedule, batch, sequence length,
 * seed and data, so the only thing that changes is what the sweep is about.
 *
 * α stays as the base run has it (the paper sets α once, to the first r it tries, and does not
 * tune it), so the scaling s = α/r changes with r exactly as in the paper's Table 6.
 */
import type { RunSettings } from '../session/types';
import { DEFAULT_LORA_CONFIG } from '../lora/types';
import { UserFacingError } from '../types';
import { budgetOptions, type BudgetOption, type LinearModule } from './budget';

/** The ranks of the paper's Table 6. */
export const PAPER_RANKS: readonly number[] = [1, 2, 4, 8, 64];

export interface PlannedRun {
  /** Stable key within the sweep ("r1", "q-v", "seed43"). */
  key: string;
  /** For people: "r = 1", "q and v (r = 4)", "seed 43". */
  label: string;
  settings: RunSettings;
}

function assertLora(base: RunSettings): void {
  if (base.mode !== 'lora') throw new UserFacingError('the paper lab sweeps LoRA runs: switch the run to LoRA first');
}

function derived(base: RunSettings, suffix: string, lora: RunSettings['lora'], seed = base.seed): RunSettings {
  return {
    ...base,
    adapterName: `${base.adapterName}-${suffix}`,
    lora: { ...base.lora, ...lora },
    seed,
  };
}

/**
 * Table 6: the same run at each rank (default r = 1, 2, 4, 8, 64), same steps and seed.
 * @throws UserFacingError for a full fine-tuning run or a rank that is not a positive integer.
 */
export function rankSweepPlan(base: RunSettings, ranks: readonly number[] = PAPER_RANKS): PlannedRun[] {
  assertLora(base);
  const bad = ranks.find((r) => !Number.isInteger(r) || r < 1);
  if (bad !== undefined) throw new UserFacingError(`every rank must be a positive whole number, got ${bad}`);
  const unique = [...new Set(ranks)].sort((a, b) => a - b);
  return unique.map((r) => ({ key: `r${r}`, label: `r = ${r}`, settings: derived(base, `r${r}`, { r }) }));
}

/**
 * Table 5: the same run on each target option at (about) the same trainable count. `budget`
 * defaults to the paper's (r = 8 on the first option); the options and their r come from
 * budgetOptions, which also lists what this model cannot express.
 */
export function budgetSweepPlan(
  base: RunSettings,
  modules: readonly LinearModule[],
  budget?: number,
): {
  budget: number;
  runs: (PlannedRun & { option: BudgetOption })[];
  unavailable: { label: string; reason: string }[];
} {
  assertLora(base);
  const choice = budgetOptions(modules, budget);
  const runs = choice.options.map((option) => ({
    key: option.id,
    label: `${option.label} (r = ${option.r})`,
    option,
    settings: derived(base, option.id, {
      r: option.r,
      target_modules: option.targetModules === 'all-linear' ? 'all-linear' : [...option.targetModules],
    }),
  }));
  return { budget: choice.budget, runs, unavailable: choice.unavailable };
}

/**
 * The same run under other seeds (default: the base seed and the next one), for the paper's
 * Fig. 4 (two seeds at the same r) and to see how much of a difference between runs is noise.
 */
export function seedPlan(base: RunSettings, seeds: readonly number[] = [base.seed, base.seed + 1]): PlannedRun[] {
  assertLora(base);
  const bad = seeds.find((s) => !Number.isSafeInteger(s) || s < 0);
  if (bad !== undefined) throw new UserFacingError(`a seed must be a whole number ≥ 0, got ${bad}`);
  return [...new Set(seeds)].map((seed) => ({
    key: `seed${seed}`,
    label: `seed ${seed}`,
    settings: derived(base, `seed${seed}`, {}, seed),
  }));
}

/** The rank a run trains at (its own r, else PEFT's default). */
export function rankOf(settings: RunSettings): number {
  return settings.lora.r ?? DEFAULT_LORA_CONFIG.r;
}

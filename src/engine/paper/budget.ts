/**
 * Which weights to adapt under a fixed budget of trainable parameters (LoRA paper §7.1, Table 5):
 * the same number of trainable parameters spent on different targets, with r chosen per option.
 *
 * The paper's options are W_q, W_v, W_q + W_v, W_q + W_k + W_v + W_o (and we add every linear
 * layer). They exist as separate modules in the Llama family (q_proj, k_proj, v_proj, o_proj).
 * GPT-2 computes q, k and v in one fused layer, `attn.c_attn` (d_out = 3·n_embd); PEFT targets
 * whole modules, so neither it nor this app can adapt q alone, v alone or q + v on GPT-2. Its
 * options are the modules it has: c_attn (q, k, v together: one A shared by all three),
 * attn.c_proj (W_o), both (the paper's four attention matrices) and every linear layer.
 * A pure function of module names and shapes.
 */
import { matchesTarget, selectTargets } from '../lora/match';
import { UserFacingError } from '../types';

export interface LinearModule {
  /** Full module path, e.g. "transformer.h.0.attn.c_attn" or "model.layers.0.self_attn.q_proj". */
  name: string;
  dIn: number;
  dOut: number;
}

export type ModelFamily = 'gpt2' | 'llama';

export interface BudgetOption {
  /** Stable, name-safe key ("q", "q-v", "c_attn"…), usable in adapter names and URLs. */
  id: string;
  /** For people: "q and v", "c_attn (q, k, v together)". */
  label: string;
  /** The paper's matrices this option adapts, e.g. "W_q, W_v". */
  paperName: string;
  /** A PEFT target_modules value (a list, or "all-linear"). */
  targetModules: string[] | 'all-linear';
  /** Modules it adapts. */
  modules: number;
  /** Trainable parameters per unit of rank: Σ (d_in + d_out) over those modules. */
  paramsPerRank: number;
  /** The rank that brings the trainable count closest to the budget (≥ 1). */
  r: number;
  /** r·paramsPerRank: what the option really trains. */
  trainable: number;
}

export interface BudgetChoice {
  family: ModelFamily;
  /** The requested budget (trainable parameters). */
  budget: number;
  options: BudgetOption[];
  /** Options of the paper this model cannot express, with the reason. */
  unavailable: { label: string; reason: string }[];
}

interface OptionSpec {
  id: string;
  label: string;
  paperName: string;
  targetModules: string[] | 'all-linear';
}

const LLAMA_OPTIONS: OptionSpec[] = [
  { id: 'q', label: 'q alone', paperName: 'W_q', targetModules: ['q_proj'] },
  { id: 'v', label: 'v alone', paperName: 'W_v', targetModules: ['v_proj'] },
  { id: 'q-v', label: 'q and v', paperName: 'W_q, W_v', targetModules: ['q_proj', 'v_proj'] },
  {
    id: 'q-k-v-o',
    label: 'q, k, v and o',
    paperName: 'W_q, W_k, W_v, W_o',
    targetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'],
  },
  { id: 'all-linear', label: 'every linear layer', paperName: 'all linear', targetModules: 'all-linear' },
];

const GPT2_OPTIONS: OptionSpec[] = [
  { id: 'c_attn', label: 'c_attn (q, k, v together)', paperName: 'W_q, W_k, W_v (fused)', targetModules: ['c_attn'] },
  { id: 'attn.c_proj', label: 'attn.c_proj (o)', paperName: 'W_o', targetModules: ['attn.c_proj'] },
  {
    id: 'c_attn-attn.c_proj',
    label: 'c_attn and attn.c_proj (q, k, v, o)',
    paperName: 'W_q, W_k, W_v (fused), W_o',
    targetModules: ['c_attn', 'attn.c_proj'],
  },
  { id: 'all-linear', label: 'every linear layer', paperName: 'all linear', targetModules: 'all-linear' },
];

const FUSED =
  'GPT-2 computes q, k and v in one layer (attn.c_attn); PEFT adapts whole modules, so a third of c_attn cannot be targeted';
const GPT2_UNAVAILABLE = [
  { label: 'q alone', reason: FUSED },
  { label: 'v alone', reason: FUSED },
  { label: 'q and v', reason: FUSED },
];

/** Which layout the modules follow, from their names. */
export function modelFamily(modules: readonly LinearModule[]): ModelFamily {
  if (modules.some((m) => m.name.endsWith('.self_attn.q_proj'))) return 'llama';
  if (modules.some((m) => m.name.endsWith('.attn.c_attn'))) return 'gpt2';
  const leaves = [...new Set(modules.map((m) => m.name.split('.').pop()))].join(', ');
  throw new UserFacingError(
    `these layers are neither GPT-2's (attn.c_attn) nor the Llama family's (self_attn.q_proj): ${leaves || 'none'}`,
  );
}

/** Σ (d_in + d_out) over the modules `targetModules` selects, by PEFT's matching rule. */
export function paramsPerRank(modules: readonly LinearModule[], targetModules: string[] | string): number {
  const hits = new Set(
    selectTargets(
      modules.map((m) => m.name),
      targetModules,
    ),
  );
  return modules.filter((m) => hits.has(m.name)).reduce((n, m) => n + m.dIn + m.dOut, 0);
}

/** The integer r ≥ 1 whose r·perRank is closest to `budget` (the lower one on a tie). */
export function nearestRank(budget: number, perRank: number): number {
  const lo = Math.max(1, Math.floor(budget / perRank));
  const hi = lo + 1;
  return Math.abs(hi * perRank - budget) < Math.abs(lo * perRank - budget) ? hi : lo;
}

/** The options this family has, before a budget is applied. */
function specs(family: ModelFamily): OptionSpec[] {
  return family === 'llama' ? LLAMA_OPTIONS : GPT2_OPTIONS;
}

/**
 * The paper's default budget for a model: r = 8 on the first option (W_q in the paper; c_attn on
 * GPT-2), which is how Table 5 fixes it (r = 8 for one matrix type, 4 for two, 2 for four).
 */
export function defaultBudget(modules: readonly LinearModule[]): number {
  const first = specs(modelFamily(modules))[0];
  return 8 * paramsPerRank(modules, first.targetModules);
}

/**
 * The Table 5 options for these modules at `budget` trainable parameters, each with the r that
 * gets closest to it and the count it really trains.
 * @throws UserFacingError for a budget that is not a positive whole number, or unknown layers.
 */
export function budgetOptions(modules: readonly LinearModule[], budget = defaultBudget(modules)): BudgetChoice {
  if (!Number.isSafeInteger(budget) || budget < 1) {
    throw new UserFacingError(`the budget must be a positive whole number of parameters, got ${budget}`);
  }
  const family = modelFamily(modules);
  const options = specs(family).map((s): BudgetOption => {
    const per = paramsPerRank(modules, s.targetModules);
    const r = nearestRank(budget, per);
    const count = modules.filter((m) => matchesTarget(m.name, s.targetModules)).length;
    return { ...s, modules: count, paramsPerRank: per, r, trainable: r * per };
  });
  return { family, budget, options, unavailable: family === 'gpt2' ? GPT2_UNAVAILABLE : [] };
}

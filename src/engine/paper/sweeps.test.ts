import { describe, expect, it } from 'vitest';
import { parseGpt2Config } from '../gpt2/config';
import { gpt2Linears } from '../gpt2/params';
import type { RunSettings } from '../session/types';
import { budgetSweepPlan, PAPER_RANKS, rankOf, rankSweepPlan, seedPlan } from './sweeps';

const base: RunSettings = {
  mode: 'lora',
  adapterName: 'names',
  lora: { r: 8, lora_alpha: 16, lora_dropout: 0.05, target_modules: ['c_attn'], use_rslora: false },
  learningRate: 2e-3,
  totalSteps: 150,
  warmupSteps: 10,
  batch: 16,
  seq: 32,
  seed: 42,
  evalBatches: 4,
};
const modules = gpt2Linears(parseGpt2Config({ vocab_size: 97, n_positions: 32, n_embd: 96, n_layer: 3, n_head: 4 }));

/** Everything but the LoRA rank/targets, the adapter name and the seed. */
const rest = (s: RunSettings) => {
  const { adapterName: _a, lora, seed: _s, ...others } = s;
  const { r: _r, target_modules: _t, ...loraRest } = lora;
  return { ...others, loraRest };
};

describe('sweep plans', () => {
  it('rank sweep: r = 1, 2, 4, 8, 64 with everything else (steps, seed, α, data) as in the base run', () => {
    const plan = rankSweepPlan(base);
    expect(plan.map((p) => [p.key, p.label, rankOf(p.settings)])).toEqual(
      PAPER_RANKS.map((r) => [`r${r}`, `r = ${r}`, r]),
    );
    for (const p of plan) {
      expect(rest(p.settings)).toEqual(rest(base));
      expect(p.settings.seed).toBe(42);
      expect(p.settings.lora.lora_alpha).toBe(16); // α fixed, as in the paper: s = α/r changes with r
      expect(p.settings.lora.target_modules).toEqual(['c_attn']);
    }
    expect(new Set(plan.map((p) => p.settings.adapterName)).size).toBe(5);
    expect(plan[0].settings.adapterName).toBe('names-r1');
    expect(base.lora.r).toBe(8); // the base settings are not changed
  });

  it('rank sweep takes other ranks (sorted, deduplicated) and refuses bad ones and full runs', () => {
    expect(rankSweepPlan(base, [16, 2, 2]).map((p) => p.key)).toEqual(['r2', 'r16']);
    expect(() => rankSweepPlan(base, [0])).toThrow(/positive whole number, got 0/);
    expect(() => rankSweepPlan({ ...base, mode: 'full' })).toThrow(/sweeps LoRA runs/);
  });

  it('budget sweep: one run per option with its r and target_modules, same steps and seed', () => {
    const plan = budgetSweepPlan(base, modules);
    expect(plan.budget).toBe(9216);
    expect(plan.runs.map((p) => [p.key, p.settings.lora.r, p.settings.lora.target_modules])).toEqual([
      ['c_attn', 8, ['c_attn']],
      ['attn.c_proj', 16, ['attn.c_proj']],
      ['c_attn-attn.c_proj', 5, ['c_attn', 'attn.c_proj']],
      ['all-linear', 2, 'all-linear'],
    ]);
    expect(plan.runs[2].label).toBe('c_attn and attn.c_proj (q, k, v, o) (r = 5)');
    for (const p of plan.runs) expect(rest(p.settings)).toEqual(rest(base));
    expect(plan.unavailable).toHaveLength(3);
    expect(budgetSweepPlan(base, modules, 20_000).runs.map((p) => p.option.trainable)).toEqual([
      19_584, 20_160, 20_736, 18_432,
    ]);
  });

  it('seed plan: the same run under the base seed and the next, or given seeds', () => {
    expect(seedPlan(base).map((p) => [p.key, p.settings.seed, p.settings.lora.r])).toEqual([
      ['seed42', 42, 8],
      ['seed43', 43, 8],
    ]);
    expect(seedPlan(base, [7, 7, 9]).map((p) => p.settings.adapterName)).toEqual(['names-seed7', 'names-seed9']);
    expect(() => seedPlan(base, [-1])).toThrow(/seed must be a whole number/);
  });
});

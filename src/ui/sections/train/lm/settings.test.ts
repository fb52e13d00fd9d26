import { describe, expect, it } from 'vitest';
import { runSettings } from '../../../../engine/session/defaults';
import type { ModelSummary } from '../../../../engine/session/types';
import { CODECS, DEFAULTS, adapterNameFor, settingsProblem, targetParams, toPlan, toRunSettings } from './settings';

const model = {
  name: 'm',
  config: {
    vocab_size: 97,
    n_positions: 32,
    n_embd: 128,
    n_layer: 4,
    n_head: 4,
    n_inner: 512,
    layer_norm_epsilon: 1e-5,
    activation_function: 'gelu_new',
  },
  baseParams: 1,
  weightBytes: 4,
  tokenizer: 'char',
  vocabSize: 97,
  targets: [
    { key: 'attn.c_attn', layers: 4, dIn: 128, dOut: 384, paramsPerRank: 4 * 512 },
    { key: 'mlp.c_fc', layers: 4, dIn: 128, dOut: 512, paramsPerRank: 4 * 640 },
  ],
  modules: [],
} satisfies ModelSummary;

describe('Train settings', () => {
  it('counts a target group as layers·(d_in + d_out)·r', () => {
    expect(targetParams(model.targets[0], 8)).toBe(4 * (128 + 384) * 8);
  });

  it("become PEFT's LoRA config and a run the Worker accepts", () => {
    const run = toRunSettings({ ...DEFAULTS, targets: ['attn.c_attn', 'not.here'], init: 'none', seq: 512 }, model);
    expect(run.lora).toEqual({
      r: 8,
      lora_alpha: 16,
      lora_dropout: 0,
      target_modules: ['attn.c_attn'],
      init_lora_weights: false,
      use_rslora: false,
    });
    expect(run.seq).toBe(32); // clamped to the model's context
    expect(run.adapterName).toBe('names-r8');
    expect(run.warmupSteps).toBeLessThan(run.totalSteps);
    expect(toRunSettings(DEFAULTS, model, 'full').mode).toBe('full');
    expect(adapterNameFor({ task: 'user', r: 2 })).toBe('my-text-r2');
  });

  it("start from the engine's run defaults (the Worker's and the CLI's)", () => {
    expect(toRunSettings(DEFAULTS, model)).toEqual(runSettings({ adapterName: 'names-r8' }));
  });

  it('plans about ten evaluations and a few samples, none during very short runs', () => {
    expect(toPlan(80, ['a'], 'm', 12)).toMatchObject({
      evalEvery: 8,
      sampleEvery: 20,
      sampleTokens: 12,
      deltaWModule: 'm',
    });
    expect(toPlan(4, [], null).sampleEvery).toBe(0);
    expect(toPlan(1, [], null).evalEvery).toBe(1);
  });

  it('says why a run cannot start', () => {
    expect(settingsProblem(DEFAULTS, null)).toMatch(/No base model/);
    expect(settingsProblem({ ...DEFAULTS, targets: [] }, model)).toMatch(/at least one target/);
    expect(settingsProblem({ ...DEFAULTS, targets: [], mode: 'full' }, model)).toBeNull();
  });

  it('URL codecs clamp numbers and reject unknown choices', () => {
    expect(CODECS.r.parse('1000')).toBe(256);
    expect(CODECS.task.parse('poems')).toBeUndefined();
    expect(CODECS.targets.parse('attn.c_attn,,bad name')).toEqual(['attn.c_attn']);
    expect(CODECS.targets.format(['a', 'b'])).toBe('a,b');
  });
});

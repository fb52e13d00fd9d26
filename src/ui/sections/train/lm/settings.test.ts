import { describe, expect, it } from 'vitest';
import { runSettings } from '../../../../engine/session/defaults';
import type { ModelSummary } from '../../../../engine/session/types';
import { defaultsOf, readSettings, settingPatch } from '../../../urlSchema';
import {
  DEFAULTS,
  TRAIN_SETTINGS,
  VIEW_SETTINGS,
  adapterNameFor,
  settingsProblem,
  targetParams,
  toPlan,
  toRunSettings,
  validTargets,
  type TrainSettings,
} from './settings';

const model = {
  name: 'm',
  family: 'gpt2',
  familyLabel: 'GPT-2',
  dims: {
    family: 'gpt2',
    layers: 4,
    hidden: 128,
    heads: 4,
    kvHeads: 4,
    headDim: 32,
    inner: 512,
    vocabSize: 97,
    nPositions: 32,
    tiedHead: true,
  },
  targetNames: ['c_attn', 'c_proj', 'c_fc'],
  defaultTargets: ['c_attn'],
  dtypes: ['F32'],
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
    expect(TRAIN_SETTINGS.r.codec.parse('1000')).toBe(256);
    expect(TRAIN_SETTINGS.steps.codec.parse('12.4')).toBe(12);
    expect(TRAIN_SETTINGS.task.codec.parse('poems')).toBeUndefined();
    expect(TRAIN_SETTINGS.targets.codec.parse('attn.c_attn,,bad name')).toEqual(['attn.c_attn']);
    expect(TRAIN_SETTINGS.targets.codec.format(['a', 'b'])).toBe('a,b');
  });

  it('keep the URL keys links have always used', () => {
    const keys = [...Object.values(TRAIN_SETTINGS), ...Object.values(VIEW_SETTINGS)].map((s) => s.param);
    expect(keys).toEqual([
      'base',
      'task',
      'mode',
      'targets',
      'r',
      'alpha',
      'dropout',
      'init',
      'rslora',
      'lr',
      'steps',
      'batch',
      'seq',
      'seed',
      'sample',
      'module',
      'log',
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('read an old link, and a link from the schema reads back the same settings', () => {
    const old = new URLSearchParams(
      'task=dates&mode=full&targets=attn.c_attn,mlp.c_fc&r=4&alpha=8&dropout=0.1&init=pissa&rslora=1&lr=0.01&steps=30&batch=4&seq=16&seed=3&sample=12&module=transformer.h.0.attn.c_attn&log=0',
    );
    const settings = readSettings(TRAIN_SETTINGS, old);
    expect(settings).toEqual({
      ...DEFAULTS,
      task: 'dates',
      mode: 'full',
      targets: ['attn.c_attn', 'mlp.c_fc'],
      r: 4,
      alpha: 8,
      dropout: 0.1,
      init: 'pissa',
      rslora: true,
      learningRate: 0.01,
      steps: 30,
      batch: 4,
      seq: 16,
      seed: 3,
      sampleTokens: 12,
    });
    expect(readSettings(VIEW_SETTINGS, old)).toEqual({ module: 'transformer.h.0.attn.c_attn', log: false });
    const again = new URLSearchParams();
    for (const key of Object.keys(TRAIN_SETTINGS) as (keyof TrainSettings)[])
      for (const [k, v] of Object.entries(settingPatch(TRAIN_SETTINGS, key, settings[key])))
        if (v !== null) again.set(k, v);
    expect(readSettings(TRAIN_SETTINGS, again)).toEqual(settings);
    expect(again.has('base')).toBe(false); // a default leaves no trace in the link
  });

  it('defaults come from the table and pass the run checks', () => {
    expect(defaultsOf(TRAIN_SETTINGS)).toEqual(DEFAULTS);
    expect(DEFAULTS).toMatchObject({ r: 8, alpha: 16, steps: 150, batch: 8, seq: 32, targets: ['attn.c_attn'] });
    const numbers = Object.values(TRAIN_SETTINGS).filter((s) => 'bounds' in s);
    for (const { default: v, bounds } of numbers) expect(v >= bounds.min && v <= bounds.max).toBe(true);
  });

  it("on a Llama-family model the untouched default means the family's PEFT targets (q_proj, v_proj); a choice is kept", () => {
    const group = (key: string, dOut: number) => ({ key, layers: 2, dIn: 16, dOut, paramsPerRank: 2 * (16 + dOut) });
    const llama = {
      ...model,
      family: 'llama',
      familyLabel: 'Llama',
      defaultTargets: ['q_proj', 'v_proj'],
      targets: [group('self_attn.q_proj', 16), group('self_attn.k_proj', 8), group('self_attn.v_proj', 8)],
    } satisfies ModelSummary;
    expect(validTargets(DEFAULTS.targets, llama)).toEqual(['self_attn.q_proj', 'self_attn.v_proj']);
    expect(validTargets(['self_attn.k_proj'], llama)).toEqual(['self_attn.k_proj']);
    expect(validTargets([], llama)).toEqual([]);
    expect(validTargets(DEFAULTS.targets, model)).toEqual(['attn.c_attn']);
  });
});

import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../../engine/session/types';
import { readSettings, settingPatch } from '../../urlSchema';
import { LAB_DEFAULTS, LAB_SETTINGS, labBaseRun, labPlan, rankListCodec } from './labSettings';

const model = { dims: { nPositions: 16 } } as ModelSummary;

describe('paper lab settings', () => {
  it('reads ranks as distinct whole numbers 1…256, sorted, at most eight', () => {
    expect(rankListCodec.parse('64,1,8,8, 2')).toEqual([1, 2, 8, 64]);
    expect(rankListCodec.parse('1,2,3,4,5,6,7,8,9')).toBeUndefined();
    for (const bad of ['', '0', '1,x', '1.5', '300', '-1', '1,,2']) expect(rankListCodec.parse(bad)).toBeUndefined();
    expect(rankListCodec.format([1, 2, 4, 8, 64])).toBe('1,2,4,8,64');
  });

  it('defaults to the paper’s ranks and 60 steps; a link sets view, task, steps, ranks and the compared adapters', () => {
    expect(LAB_DEFAULTS).toMatchObject({
      view: 'rank',
      task: 'names',
      steps: 60,
      ranks: [1, 2, 4, 8, 64],
      a: '',
      b: '',
    });
    const s = readSettings(
      LAB_SETTINGS,
      new URLSearchParams('view=subspace&task=dates&steps=8&ranks=1,8,64&a=sweep-r8&b=sweep-r64&module=m&view2=x'),
    );
    expect(s).toMatchObject({
      view: 'subspace',
      task: 'dates',
      steps: 8,
      ranks: [1, 8, 64],
      a: 'sweep-r8',
      b: 'sweep-r64',
    });
    // Unreadable values fall back; a default is left out of the link.
    expect(readSettings(LAB_SETTINGS, new URLSearchParams('view=nope&steps=0&ranks=0')).view).toBe('rank');
    expect(readSettings(LAB_SETTINGS, new URLSearchParams('steps=0')).steps).toBe(1);
    expect(settingPatch(LAB_SETTINGS, 'steps', 60)).toEqual({ steps: null });
    expect(settingPatch(LAB_SETTINGS, 'ranks', [1, 4])).toEqual({ ranks: '1,4' });
  });

  it('the base run is the Train page’s default LoRA run with the lab’s steps and seed, named "sweep"', () => {
    const run = labBaseRun({ steps: 8, seed: 3 }, model);
    expect(run).toMatchObject({
      mode: 'lora',
      adapterName: 'sweep',
      totalSteps: 8,
      warmupSteps: 0,
      seed: 3,
      batch: 8,
      seq: 16, // clamped to the model's context
      learningRate: 5e-3,
      lora: { r: 8, lora_alpha: 16, target_modules: ['attn.c_attn'] },
    });
    expect(labBaseRun({ steps: 60, seed: 0 }, model).warmupSteps).toBe(6);
    expect(labPlan(8)).toEqual({ evalEvery: 8, sampleEvery: 0, prompts: [], sampleTokens: 0, deltaWModule: null });
  });
});

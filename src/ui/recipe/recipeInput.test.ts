import { describe, expect, it } from 'vitest';
import { parseGpt2Config } from '../../engine/gpt2/config';
import { gpt2Linears } from '../../engine/gpt2/params';
import { buildRecipe } from '../../engine/recipe/recipe';
import { settingsFromScript } from '../../engine/recipe/trainScript';
import { runSettings } from '../../engine/session/defaults';
import type { ModelSummary } from '../../engine/session/types';
import { chooseRecipeBase, hubOriginOf, noteHubOrigin, recipeInputFor, recordResult } from './recipeInput';

const config = parseGpt2Config({ vocab_size: 97, n_positions: 32, n_embd: 96, n_layer: 3, n_head: 4 });
const model = {
  name: 'lowrank-tiny',
  family: 'gpt2',
  dims: { nPositions: config.n_positions },
  modules: gpt2Linears(config),
} as unknown as ModelSummary;
const dataset = {
  id: 'names' as const,
  label: 'First names',
  train: ['Anna', 'Bob'],
  validation: ['Eve'],
  samplePrompts: [],
  alignToDocuments: true,
};
const files = { config: '{}', weights: new Uint8Array([1, 2, 3]), tokenizer: '{"model":{}}' };
const eot = { token: '<|endoftext|>', id: 0 };

describe('the recipe of a run on the page', () => {
  it('names the Hub repository when the base came from there, else carries its files', () => {
    expect(hubOriginOf('gpt2-hub')).toBeNull();
    noteHubOrigin('gpt2-hub', { repoId: 'openai-community/gpt2', revision: 'abc123' });
    expect(chooseRecipeBase('gpt2-hub', hubOriginOf('gpt2-hub'), files)).toEqual({
      kind: 'hub',
      repoId: 'openai-community/gpt2',
      revision: 'abc123',
    });
    expect(chooseRecipeBase('lowrank-tiny', null, files)).toEqual({
      kind: 'folder',
      folder: 'base',
      files: { 'config.json': '{}', 'model.safetensors': files.weights, 'tokenizer.json': '{"model":{}}' },
    });
    expect(() => chooseRecipeBase('x', null, null)).toThrow(/files of x are not available/);
  });

  it('a run’s settings, data as split and browser result land in train_lora.py and the data files unchanged', () => {
    const settings = runSettings({ adapterName: 'sweep-r4', totalSteps: 60, seed: 2, lora: { r: 4 } });
    const result = recordResult({ finalValidationLoss: 2.25, baseValidationLoss: 2.6, steps: 60 }, 'wasm');
    const input = recipeInputFor({ settings, dataset, result }, model, chooseRecipeBase('t', null, files), eot);
    const recipe = buildRecipe(input);
    const s = settingsFromScript(recipe.files['train_lora.py'] as string);
    expect(s.lora).toMatchObject({ r: 4, lora_alpha: 16, target_modules: ['attn.c_attn'] });
    expect(s.training).toMatchObject({ steps: 60, seed: 2, batch: 8, seq: 32, learning_rate: 5e-3, warmup_steps: 6 });
    expect(s.browser).toEqual({ validation_loss: 2.25, steps: 60, base_validation_loss: 2.6, backend: 'wasm' });
    expect(recipe.files['train.txt']).toBe('Anna\nBob\n');
    expect(recipe.files['validation.txt']).toBe('Eve\n');
    expect(recipe.files['base/model.safetensors']).toEqual(files.weights);
    expect(recipe.folder).toBe('lowrank-recipe-sweep-r4');
  });

  it('a run that diverged has no result to compare against; settings alone have none either', () => {
    expect(recordResult({ finalValidationLoss: NaN, baseValidationLoss: 2.6, steps: 9 })).toBeUndefined();
    expect(recordResult({ finalValidationLoss: 2, baseValidationLoss: NaN, steps: 9 })).toEqual({
      validationLoss: 2,
      steps: 9,
    });
    const input = recipeInputFor({ settings: runSettings(), dataset }, model, chooseRecipeBase('t', null, files), eot);
    expect(input.browser).toBeUndefined();
    expect(settingsFromScript(buildRecipe(input).files['train_lora.py'] as string).browser).toBeNull();
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tinyGpt2Config } from '../gpt2/config';
import { Gpt2Model } from '../gpt2/model';
import { gpt2Linears } from '../gpt2/params';
import { buildAdapterConfig } from '../peft/adapterConfig';
import { UserFacingError } from '../types';
import { adapterParamCount, checkTargetRules, layerIndexOf, selectTargets, targetVerdict } from './match';
import { DEFAULT_LORA_CONFIG } from './types';

const config4 = tinyGpt2Config({ n_layer: 4 });
const names = gpt2Linears(config4).map((m) => m.name);
const layersOf = (hits: string[]) => [...new Set(hits.map((n) => layerIndexOf(n, null)))];

describe("PEFT's layers_to_transform / layers_pattern / exclude_modules (check_target_module_exists)", () => {
  it('layers_to_transform [0, 2] adapts blocks 0 and 2 only; an int means one block', () => {
    const hits = selectTargets(names, ['c_attn', 'c_fc'], { layers_to_transform: [0, 2] });
    expect(hits).toEqual([
      'transformer.h.0.attn.c_attn',
      'transformer.h.0.mlp.c_fc',
      'transformer.h.2.attn.c_attn',
      'transformer.h.2.mlp.c_fc',
    ]);
    expect(layersOf(selectTargets(names, ['c_proj'], { layers_to_transform: 3 }))).toEqual([3]);
    expect(selectTargets(names, ['c_attn'], { layers_to_transform: [] })).toHaveLength(4); // empty: no filter
  });

  it('reads the layer index as PEFT does: after the first dot and a word, or after layers_pattern', () => {
    expect(layerIndexOf('transformer.h.3.attn.c_attn', null)).toBe(3);
    expect(layerIndexOf('transformer.h.3.attn.c_attn', 'h')).toBe(3);
    expect(layerIndexOf('transformer.h.3.attn.c_attn', ['layers', 'h'])).toBe(3);
    expect(layerIndexOf('transformer.h.3.attn.c_attn', 'layers')).toBeNull(); // ⇒ not adapted
    expect(layerIndexOf('model.layers.7.mlp.experts.2.down_proj', null)).toBe(7); // lazy: the block, not the expert
    expect(layerIndexOf('h.3.attn.c_attn', null)).toBeNull(); // the pattern needs a prefix before the block list
    expect(() => layerIndexOf('transformer.h.3.attn.c_attn', '(h)')).toThrow(/has a group of its own/);
    expect(() => selectTargets(names, ['c_attn'], { layers_to_transform: [0], layers_pattern: 'layers' })).toThrow(
      /exclude_modules \/ layers_to_transform leave none of them/,
    );
  });

  it('exact full names bypass the layer filter, and a regex target ignores it, as in PEFT', () => {
    expect(
      targetVerdict('transformer.h.1.attn.c_attn', ['transformer.h.1.attn.c_attn'], { layers_to_transform: [0] }),
    ).toBe('adapted');
    expect(targetVerdict('transformer.h.1.attn.c_attn', ['attn.c_attn'], { layers_to_transform: [0] })).toBe(
      'other-layer',
    );
    expect(() => checkTargetRules('.*c_attn', { layers_to_transform: [0] })).toThrow(
      /layers_to_transform cannot be used when target_modules is a single string.*PEFT refuses/,
    );
    expect(() => checkTargetRules('all-linear', { layers_to_transform: [0] })).toThrow(UserFacingError);
    expect(() => checkTargetRules(['c_attn'], { layers_pattern: 'h' })).toThrow(/needs both/);
    expect(() => checkTargetRules(['c_attn'], { layers_to_transform: [-1] })).toThrow(/layer index/);
    expect(() => checkTargetRules(['c_attn'], { layers_to_transform: 1.5 })).toThrow(/layer index/);
  });

  it('exclude_modules: a list by name or "." suffix, or a regex over the whole name; checked first', () => {
    expect(selectTargets(names, 'all-linear', { exclude_modules: ['mlp.c_proj', 'c_fc'] })).toHaveLength(8);
    expect(selectTargets(names, ['c_attn'], { exclude_modules: 'transformer\\.h\\.[12]\\..*' })).toEqual([
      'transformer.h.0.attn.c_attn',
      'transformer.h.3.attn.c_attn',
    ]);
    expect(
      targetVerdict('transformer.h.0.attn.c_attn', ['transformer.h.0.attn.c_attn'], { exclude_modules: ['c_attn'] }),
    ).toBe('excluded');
    expect(targetVerdict('transformer.h.0.attn.c_attn', ['c_attn'], { modules_to_save: ['attn'] })).toBe('excluded');
    expect(() => selectTargets(names, ['c_attn'], { exclude_modules: '.*' })).toThrow(/leave none of them/);
  });

  it('counts parameters of the filtered modules only', () => {
    const c = { ...DEFAULT_LORA_CONFIG, target_modules: ['c_attn'], layers_to_transform: [0, 2] };
    const all = adapterParamCount(gpt2Linears(config4), { ...c, layers_to_transform: null });
    expect(adapterParamCount(gpt2Linears(config4), c)).toBe(all / 2);
  });
});

describe('a new adapter with layer filters (cpu)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'cpu' });
  });

  it('attaches to the listed layers only, and exports a config PEFT applies to the same modules', async () => {
    const model = Gpt2Model.random(config4, 1);
    await model.adapters.add('two', { target_modules: ['c_attn', 'c_fc'], layers_to_transform: [0, 2] }, 1);
    expect(layersOf(model.adapters.targets('two'))).toEqual([0, 2]);
    const weights = await model.adapters.export('two');
    const written = buildAdapterConfig(weights, { baseModelName: 'x', taskType: 'CAUSAL_LM' });
    expect(written.layers_to_transform).toEqual([0, 2]);
    expect(written.target_modules).toEqual(['c_attn', 'c_fc']);

    await model.adapters.add('some', { target_modules: 'all-linear', exclude_modules: ['c_proj'] }, 1);
    const some = await model.adapters.export('some');
    // Old PEFT has no exclude_modules: the exported config names the adapted modules one by one.
    const w2 = buildAdapterConfig(some, { baseModelName: 'x', taskType: 'CAUSAL_LM' });
    expect(w2.target_modules).toEqual([...some.modules.keys()].sort());
    expect(w2.target_modules).toHaveLength(8);
    expect(w2).not.toHaveProperty('exclude_modules');
    await expect(model.adapters.add('bad', { target_modules: '.*c_attn', layers_to_transform: [0] })).rejects.toThrow(
      /cannot be used when target_modules is a single string/,
    );
    expect(model.adapters.names()).toEqual(['two', 'some']);
    model.dispose();
  });
});

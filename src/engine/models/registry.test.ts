import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { tinyGpt2Config, gpt2ConfigJson } from '../gpt2/config';
import { llamaConfigJson, tinyLlamaConfig } from '../llama/config';
import { exportAdapter } from '../peft/exportAdapter';
import { importAdapter } from '../peft/importAdapter';
import { readSafetensors } from '../safetensors';
import { UserFacingError } from '../types';
import { modelSpec, SUPPORTED_MODEL_TYPES } from './registry';

const gpt2Json = gpt2ConfigJson(tinyGpt2Config());
const llamaJson = llamaConfigJson(tinyLlamaConfig());
const qwenJson = llamaConfigJson(tinyLlamaConfig({ model_type: 'qwen2', qkv_bias: true, tie_word_embeddings: true }));
const enc = (s: string) => new TextEncoder().encode(s);

describe('model registry', () => {
  it('knows gpt2, llama and qwen2, with their PEFT defaults and fan_in_fan_out', () => {
    expect(SUPPORTED_MODEL_TYPES).toEqual(['gpt2', 'llama', 'qwen2']);
    const g = modelSpec(JSON.stringify(gpt2Json));
    expect([g.family, g.defaultTargets, g.fanInFanOut]).toEqual(['gpt2', ['c_attn'], true]);
    const l = modelSpec(llamaJson);
    expect([l.family, l.defaultTargets, l.fanInFanOut, l.dims.kvHeads, l.dims.tiedHead]).toEqual([
      'llama',
      ['q_proj', 'v_proj'],
      false,
      2,
      false,
    ]);
    expect(l.targetNames).toEqual(['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']);
    expect(modelSpec(qwenJson).label).toBe('Qwen2');
    // distilgpt2 and old GPT-2 configs: GPT-2 keys, model_type may be missing
    const { model_type: _t, ...old } = gpt2Json;
    void _t;
    expect(modelSpec(old).family).toBe('gpt2');
  });

  it('an unknown family is refused naming model_type and the supported ones', () => {
    const run = (c: unknown) => () => modelSpec(c);
    expect(run({ ...llamaJson, model_type: 'mistral' })).toThrow(UserFacingError);
    expect(run({ ...llamaJson, model_type: 'mistral' })).toThrow(
      'config.json: model_type "mistral" is not supported (supported: gpt2, llama, qwen2)',
    );
    expect(run({ hidden_size: 4 })).toThrow(/"model_type" is missing \(supported: gpt2, llama, qwen2\)/);
    expect(run({ ...llamaJson, model_type: '__proto__' })).toThrow(/model_type "__proto__" is not supported/);
  });

  it('parameter counts agree with the shapes of the weights each family names', () => {
    for (const json of [gpt2Json, llamaJson, qwenJson]) {
      const s = modelSpec(json);
      const total = s.naming().expected.reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0);
      expect(s.paramCount()).toBe(total);
    }
  });
});

describe.each(['cpu', 'wasm'] as const)('registry models on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ force: backend });
  });

  it.each([
    ['gpt2', gpt2Json],
    ['llama', llamaJson],
    ['qwen2', qwenJson],
  ])(
    '%s: HF files written, read back, same logits; PEFT adapter with the family names round-trips',
    async (_f, json) => {
      const before = tf.memory().numTensors;
      const spec = modelSpec(json);
      const model = spec.random(3);
      expect(model.family).toBe(spec.family);
      expect(model.baseParamCount()).toBe(spec.paramCount());
      const files = spec.hfFiles(await model.exportWeights());
      const again = modelSpec(files['config.json']).fromWeights(readSafetensors(files['model.safetensors']).tensors);
      const ids = Int32Array.from([1, 2, 3, 4]);
      expect((await again.logits(ids, 1, 4)).data).toEqual((await model.logits(ids, 1, 4)).data);
      await model.adapters.add('a', { r: 2, target_modules: [...spec.defaultTargets], init_lora_weights: false }, 1);
      const adapter = await model.adapters.export('a');
      const exported = exportAdapter(adapter, { baseModelName: 'test/base', taskType: 'CAUSAL_LM' });
      const keys = [...readSafetensors(exported['adapter_model.safetensors']).tensors.keys()];
      const config = JSON.parse(exported['adapter_config.json']);
      expect(config.fan_in_fan_out).toBe(spec.fanInFanOut);
      expect(config.target_modules).toEqual(spec.defaultTargets);
      if (spec.family === 'gpt2') expect(keys[0]).toBe('base_model.model.transformer.h.0.attn.c_attn.lora_A.weight');
      else {
        expect(keys.slice(0, 2)).toEqual([
          'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight',
          'base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight',
        ]);
        const A = readSafetensors(exported['adapter_model.safetensors']).tensors.get(keys[0])!;
        expect(A.shape).toEqual([2, 16]); // [r, H]
      }
      const imported = importAdapter(
        new Map([
          ['adapter_model.safetensors', exported['adapter_model.safetensors']],
          ['adapter_config.json', enc(exported['adapter_config.json'])],
        ]),
        { modules: new Map(spec.linears().map((l) => [l.name, l])), modelType: spec.family },
      );
      again.adapters.import('a', imported.adapter);
      expect((await again.logits(ids, 1, 4)).data).toEqual((await model.logits(ids, 1, 4)).data);
      model.dispose();
      again.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});

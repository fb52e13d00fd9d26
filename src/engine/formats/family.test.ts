import { describe, expect, it } from 'vitest';
import { MODEL_TYPES } from '../models/modelTypes';
import { SUPPORTED_MODEL_TYPES } from '../models/registry';
import { guessFamily } from './family';
import { ggufToHfName, hfToGgufName, hfToMlxName, mlxToHfName, modulePlace } from './names';

describe('base family from module names', () => {
  const cases: [string, string, boolean][] = [
    ['transformer.h.3.attn.c_attn', 'gpt2', true],
    ['model.layers.0.self_attn.q_proj', 'llama', true],
    ['model.layers.7.mlp.down_proj', 'llama', true],
    ['gpt_neox.layers.2.attention.query_key_value', 'gpt-neox', false],
    ['transformer.h.1.self_attention.query_key_value', 'bloom', false],
    ['model.decoder.layers.4.self_attn.q_proj', 'opt', false],
    ['bert.encoder.layer.5.attention.self.query', 'bert', false],
    ['encoder.block.0.layer.0.SelfAttention.q', 't5', false],
    ['lora_unet_down_blocks_0_attentions_0_proj_in', 'stable-diffusion', false],
    ['lora_te1_text_model_encoder_layers_0_self_attn_q_proj', 'stable-diffusion-xl', false],
    ['some.custom.linear', 'unknown', false],
  ];
  for (const [name, id, loadable] of cases) {
    it(`${name} → ${id}`, () => {
      const g = guessFamily([name]);
      expect(g.id).toBe(id);
      expect(g.loadable).toBe(loadable);
      expect(g.evidence).toContain(name);
    });
  }

  it('GGUF general.architecture decides it; the registry says which load', () => {
    expect(guessFamily([], 'qwen2')).toMatchObject({ id: 'llama', loadable: true });
    expect(guessFamily([], 'llama')).toMatchObject({ id: 'llama', loadable: true });
    expect(guessFamily([], 'gpt2')).toMatchObject({ id: 'gpt2', loadable: true });
    expect(guessFamily([], 'qwen3')).toMatchObject({ id: 'llama', loadable: false });
    expect(guessFamily([], 'mistral')).toMatchObject({ id: 'llama', loadable: false });
    expect(guessFamily([], 'gptneox')).toMatchObject({ id: 'gpt-neox', loadable: false });
    expect(guessFamily([], 'bloom')).toMatchObject({ id: 'bloom', loadable: false });
    expect(guessFamily([], 'mamba')).toMatchObject({ id: 'unknown', loadable: false, label: 'unknown (mamba)' });
  });

  it('loadable exactly when the engine registry has a model_type for it', () => {
    expect(MODEL_TYPES).toEqual(SUPPORTED_MODEL_TYPES); // the tf-free list is the registry's keys
    for (const [id, loadable] of [
      ['gpt2', true],
      ['llama', true],
      ['qwen2', true],
      ['mistral', false],
      ['gptneox', false],
      ['bloom', false],
    ] as const) {
      const g = guessFamily([], id);
      expect(g.loadable).toBe(loadable);
      expect(SUPPORTED_MODEL_TYPES.some((t) => g.loadableWhy.includes(t))).toBe(true);
    }
  });

  it('a base-model name narrows Llama-style names: Mistral cannot load, Llama and Qwen2 can', () => {
    const names = ['base_model.model.model.layers.0.self_attn.q_proj'];
    const mistral = guessFamily(names, null, 'mistralai/Mistral-7B-v0.1');
    expect(mistral).toMatchObject({ id: 'llama', loadable: false });
    expect(mistral.loadableWhy).toContain('mistral');
    expect(guessFamily(names, null, 'meta-llama/Llama-3.2-1B')).toMatchObject({ id: 'llama', loadable: true });
    expect(guessFamily(names, null, 'Qwen/Qwen2.5-0.5B')).toMatchObject({ id: 'llama', loadable: true });
    expect(guessFamily(names, null, 'Qwen/Qwen3-0.6B')).toMatchObject({ id: 'llama', loadable: false });
    // Names alone: loadable, with the registered types and the look-alikes that are not.
    const plain = guessFamily(names);
    expect(plain.loadable).toBe(true);
    expect(plain.loadableWhy).toMatch(/llama, qwen2 load here; mistral/);
    // A name that contradicts the family (a GPT-2 name on Llama modules) is ignored.
    expect(guessFamily(names, null, 'gpt2')).toMatchObject({ id: 'llama', loadable: true });
    expect(guessFamily(['transformer.h.0.attn.c_attn'], null, 'openai-community/gpt2')).toMatchObject({
      id: 'gpt2',
      loadable: true,
    });
  });
});

describe('names across formats', () => {
  it('GGUF ⇄ HF for the Llama family and GPT-2', () => {
    expect(ggufToHfName('blk.12.attn_output.weight', 'llama')).toBe('model.layers.12.self_attn.o_proj');
    expect(ggufToHfName('blk.0.ffn_gate.weight', 'qwen2')).toBe('model.layers.0.mlp.gate_proj');
    expect(ggufToHfName('output.weight', 'llama')).toBe('lm_head');
    expect(ggufToHfName('blk.1.attn_qkv.weight', 'gpt2')).toBe('transformer.h.1.attn.c_attn');
    expect(ggufToHfName('blk.1.attn_q.weight', 'mamba')).toBeNull();
    expect(hfToGgufName('model.layers.3.mlp.up_proj')).toBe('blk.3.ffn_up.weight');
  });

  it('mlx-lm keeps HF names except GPT-2’s blocks (model.h ⇄ transformer.h)', () => {
    expect(mlxToHfName('model.h.0.attn.c_attn')).toBe('transformer.h.0.attn.c_attn');
    expect(mlxToHfName('model.layers.0.self_attn.q_proj')).toBe('model.layers.0.self_attn.q_proj');
    expect(hfToMlxName('transformer.h.2.mlp.c_fc')).toBe('model.h.2.mlp.c_fc');
  });

  it('layer and module type for the heatmaps', () => {
    expect(modulePlace('transformer.h.3.attn.c_attn')).toEqual({ layer: '3', index: 3, type: 'attn.c_attn' });
    expect(modulePlace('model.layers.10.mlp.up_proj')).toEqual({ layer: '10', index: 10, type: 'mlp.up_proj' });
    expect(modulePlace('encoder.block.1.layer.0.SelfAttention.q').layer).toBe('encoder.block 1');
    expect(modulePlace('lora_unet_up_blocks_1_attentions_2_transformer_blocks_0_attn2_to_k')).toEqual({
      layer: 'unet_up_blocks_1_attentions_2_transformer_blocks_0',
      index: null,
      type: 'attn2_to_k',
    });
    expect(modulePlace('lm_head')).toEqual({ layer: '', index: null, type: 'lm_head' });
  });
});

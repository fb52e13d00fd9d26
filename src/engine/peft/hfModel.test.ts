import { describe, expect, it } from 'vitest';
import { tinyGpt2Config } from '../gpt2/config';
import { gpt2ParamShapes, initGpt2Weights } from '../gpt2/params';
import { readSafetensors } from '../safetensors';
import { UserFacingError } from '../types';
import { exportHfModelFiles } from './hfModel';

describe('exportHfModelFiles', () => {
  const config = { ...tinyGpt2Config(), n_inner: null, bos_token_id: 0, eos_token_id: 10 };
  const weights = initGpt2Weights(tinyGpt2Config(), 7);

  it('writes a transformers GPT-2 config.json (sorted keys, indent 2)', () => {
    const text = exportHfModelFiles(config, weights)['config.json'];
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual(Object.keys(json).sort());
    expect(text.startsWith('{\n  "activation_function": "gelu_new",\n')).toBe(true);
    expect(json).toEqual({
      activation_function: 'gelu_new',
      architectures: ['GPT2LMHeadModel'],
      bos_token_id: 0,
      eos_token_id: 10,
      layer_norm_epsilon: 1e-5,
      model_type: 'gpt2',
      n_embd: 16,
      n_head: 2,
      n_inner: null,
      n_layer: 2,
      n_positions: 8,
      tie_word_embeddings: true,
      torch_dtype: 'float32',
      vocab_size: 11,
    });
  });

  it('writes every parameter bit-exactly in state_dict order, without a tied lm_head', () => {
    const withHead = new Map(weights);
    withHead.set('lm_head.weight', weights.get('transformer.wte.weight')!);
    const bytes = exportHfModelFiles(config, withHead)['model.safetensors'];
    const { tensors, metadata } = readSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect([...tensors.keys()]).toEqual(gpt2ParamShapes(tinyGpt2Config()).map(([n]) => n));
    for (const [name, t] of weights) expect(tensors.get(name)!.data).toEqual(t.data);
  });

  it('names the tensor or field that is wrong', () => {
    const bad = new Map(weights);
    bad.set('transformer.h.1.attn.c_attn.weight', { shape: [16, 16], data: new Float32Array(256) });
    expect(() => exportHfModelFiles(config, bad)).toThrow(
      /transformer\.h\.1\.attn\.c_attn\.weight has shape \[16, 16\], config\.json implies \[16, 48\]/,
    );
    expect(() => exportHfModelFiles({ ...config, eos_token_id: 11 }, weights)).toThrow(
      /"eos_token_id" must be a token id below vocab_size 11/,
    );
    const nan = new Map(weights);
    nan.set('transformer.ln_f.bias', { shape: [16], data: new Float32Array(16).fill(NaN) });
    expect(() => exportHfModelFiles(config, nan)).toThrow(UserFacingError);
  });
});

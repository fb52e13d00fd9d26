import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../types';
import { gpt2ConfigJson, parseGpt2Config } from './config';

const small = {
  model_type: 'gpt2',
  vocab_size: 50257,
  n_positions: 1024,
  n_embd: 768,
  n_layer: 12,
  n_head: 12,
  n_inner: null,
  activation_function: 'gelu_new',
  layer_norm_epsilon: 1e-5,
  tie_word_embeddings: true,
};

describe('parseGpt2Config', () => {
  it('parses GPT-2 small, resolving n_inner null to 4·n_embd', () => {
    const c = parseGpt2Config(JSON.stringify(small));
    expect(c).toEqual({
      vocab_size: 50257,
      n_positions: 1024,
      n_embd: 768,
      n_layer: 12,
      n_head: 12,
      n_inner: 3072,
      layer_norm_epsilon: 1e-5,
      activation_function: 'gelu_new',
    });
    expect(parseGpt2Config(gpt2ConfigJson(c))).toEqual(c);
    expect(gpt2ConfigJson(c).n_inner).toBeNull();
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['an array', '[]', /must be a JSON object/],
    ['a missing field', { ...small, n_layer: undefined }, /"n_layer" is missing/],
    ['a fractional field', { ...small, n_embd: 76.8 }, /"n_embd" must be a positive integer, got 76.8/],
    ['heads not dividing n_embd', { ...small, n_head: 5 }, /n_embd \(768\) must be divisible by n_head \(5\)/],
    [
      'an unsupported activation',
      { ...small, activation_function: 'relu' },
      /activation_function "relu" is not supported/,
    ],
    ['another architecture', { ...small, model_type: 'llama' }, /model_type "llama" is not supported/],
    ['an untied head', { ...small, tie_word_embeddings: false }, /tie_word_embeddings false/],
    ['a bad epsilon', { ...small, layer_norm_epsilon: -1 }, /layer_norm_epsilon/],
  ])('rejects %s with a message naming the field', (_what, input, message) => {
    expect(() => parseGpt2Config(input)).toThrow(UserFacingError);
    expect(() => parseGpt2Config(input)).toThrow(message);
  });
});

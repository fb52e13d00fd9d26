import { describe, expect, it } from 'vitest';
import { MODEL_LIMITS } from '../limits';
import { llamaConfigJson, parseLlamaConfig } from './config';
import { llamaParamCount } from './params';
import { ropeInvFreq, ropeTables } from './rope';

/** SmolLM2-135M's config.json as the hub has it (the fields that matter). */
const smol = {
  architectures: ['LlamaForCausalLM'],
  attention_bias: false,
  bos_token_id: 0,
  eos_token_id: 0,
  hidden_act: 'silu',
  hidden_size: 576,
  initializer_range: 0.041666666666666664,
  intermediate_size: 1536,
  max_position_embeddings: 8192,
  mlp_bias: false,
  model_type: 'llama',
  num_attention_heads: 9,
  num_hidden_layers: 30,
  num_key_value_heads: 3,
  pretraining_tp: 1,
  rms_norm_eps: 1e-5,
  rope_scaling: null,
  rope_theta: 100000,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  use_cache: true,
  vocab_size: 49152,
};

/** Qwen2.5-0.5B's config.json (abridged). */
const qwen = {
  architectures: ['Qwen2ForCausalLM'],
  hidden_act: 'silu',
  hidden_size: 896,
  intermediate_size: 4864,
  max_position_embeddings: 32768,
  max_window_layers: 24,
  model_type: 'qwen2',
  num_attention_heads: 14,
  num_hidden_layers: 24,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000,
  sliding_window: 32768,
  tie_word_embeddings: true,
  use_sliding_window: false,
  vocab_size: 151936,
};

describe('parseLlamaConfig', () => {
  it('SmolLM2-135M: GQA 9/3, head_dim 64, tied, 134,515,008 parameters', () => {
    const c = parseLlamaConfig(JSON.stringify(smol));
    expect(c).toMatchObject({ num_key_value_heads: 3, head_dim: 64, tie_word_embeddings: true, rope_theta: 100000 });
    expect(c.qkv_bias || c.o_bias || c.mlp_bias).toBe(false);
    expect(llamaParamCount(c)).toBe(134_515_008);
  });

  it('Qwen2.5-0.5B: q/k/v biases, no o_proj bias; 494,032,768 parameters (the model card: 0.49B)', () => {
    const c = parseLlamaConfig(qwen);
    expect(c).toMatchObject({ model_type: 'qwen2', qkv_bias: true, o_bias: false, mlp_bias: false, head_dim: 64 });
    expect(llamaParamCount(c)).toBe(494_032_768);
  });

  it('defaults: kv heads = heads, head_dim = hidden/heads, rope_theta 10000, untied', () => {
    const { num_key_value_heads: _kv, rope_theta: _t, tie_word_embeddings: _tie, ...rest } = smol;
    void [_kv, _t, _tie];
    const c = parseLlamaConfig(rest);
    expect(c).toMatchObject({ num_key_value_heads: 9, head_dim: 64, rope_theta: 10000, tie_word_embeddings: false });
  });

  it('writes back a config.json transformers reads, and reads it back unchanged', () => {
    for (const input of [smol, qwen]) {
      const c = parseLlamaConfig(input);
      const json = llamaConfigJson(c);
      expect(parseLlamaConfig(json)).toEqual(c);
      expect(json.architectures).toEqual([input.architectures[0]]);
    }
  });

  it('rope_parameters (transformers 5) and llama3 scaling', () => {
    const c = parseLlamaConfig({
      ...smol,
      rope_theta: undefined,
      rope_scaling: undefined,
      rope_parameters: {
        rope_type: 'llama3',
        rope_theta: 500000,
        factor: 32,
        low_freq_factor: 1,
        high_freq_factor: 4,
        original_max_position_embeddings: 8192,
      },
    });
    expect(c.rope_theta).toBe(500000);
    expect(c.rope_scaling?.rope_type).toBe('llama3');
    expect(parseLlamaConfig({ ...smol, rope_scaling: { rope_type: 'default' } }).rope_scaling).toBeNull();
  });

  it.each([
    [{ model_type: 'mistral' }, /model_type "mistral" is not a Llama-family model/],
    [{ hidden_act: 'gelu' }, /hidden_act "gelu" is not supported \(only "silu"/],
    [{ num_key_value_heads: 4 }, /num_attention_heads \(9\) must be a multiple of num_key_value_heads \(4\)/],
    [{ num_key_value_heads: 18 }, /must be a multiple of num_key_value_heads \(18\)/],
    [
      { hidden_size: 577 },
      /hidden_size \(577\) must be divisible by num_attention_heads \(9\) when head_dim is not given/,
    ],
    [{ head_dim: 63 }, /head_dim \(63\) must be even/],
    [{ vocab_size: 0 }, /"vocab_size" must be a positive integer, got 0/],
    [{ num_hidden_layers: 1e6 }, /"num_hidden_layers" is 1000000, but at most 1,024 layers can be held/],
    [{ hidden_size: 2 ** 20 }, /"hidden_size" is 1048576, but at most 65,536 as the model width/],
    [{ vocab_size: MODEL_LIMITS.vocab + 1 }, /"vocab_size" is 2097153, but at most 2,097,152 tokens/],
    [{ intermediate_size: 1.5 }, /"intermediate_size" must be a positive integer, got 1.5/],
    [{ rms_norm_eps: -1 }, /"rms_norm_eps" must be a positive number/],
    [{ rope_theta: 'big' }, /"rope_theta" must be a number above 1/],
    [{ rope_scaling: { type: 'dynamic', factor: 2 } }, /rope_scaling type "dynamic" is not supported/],
    [{ rope_scaling: { rope_type: 'yarn', factor: 4 } }, /rope_scaling type "yarn" is not supported/],
    [{ rope_scaling: { rope_type: 'linear' } }, /rope_scaling\.factor must be a positive number, got null/],
    [{ tie_word_embeddings: 'yes' }, /"tie_word_embeddings" must be true or false/],
    [{ eos_token_id: 49152 }, /"eos_token_id" must be a token id below vocab_size 49152/],
  ])('refuses %j by name', (patch, message) => {
    expect(() => parseLlamaConfig({ ...smol, ...patch })).toThrow(message);
  });

  it('refuses Qwen2 sliding-window attention and non-JSON', () => {
    expect(() => parseLlamaConfig({ ...qwen, use_sliding_window: true })).toThrow(
      /use_sliding_window true is not supported/,
    );
    expect(() => parseLlamaConfig('{')).toThrow(/config\.json is not valid JSON/);
  });
});

describe('rotary embeddings', () => {
  it('inv_freq_j = θ^(−2j/hd); angles duplicated over the two halves; position 0 is the identity', () => {
    expect([...ropeInvFreq(4, 10000, null)]).toEqual([1, 0.01]);
    const { cos, sin } = ropeTables(3, 4, 10000, null);
    expect([...cos.slice(0, 4)]).toEqual([1, 1, 1, 1]);
    expect([...sin.slice(0, 4)]).toEqual([0, 0, 0, 0]);
    expect(cos[2 * 4 + 0]).toBeCloseTo(Math.cos(2), 15);
    expect(cos[2 * 4 + 2]).toBe(cos[2 * 4 + 0]);
    expect(sin[2 * 4 + 3]).toBeCloseTo(Math.sin(0.02), 15);
  });

  it('linear divides every frequency; llama3 keeps high ones, divides low ones, interpolates between', () => {
    const base = ropeInvFreq(64, 500000, null);
    const lin = ropeInvFreq(64, 500000, { rope_type: 'linear', factor: 4 });
    lin.forEach((f, j) => expect(f).toBeCloseTo(base[j] / 4, 15));
    const s = {
      rope_type: 'llama3',
      factor: 32,
      low_freq_factor: 1,
      high_freq_factor: 4,
      original_max_position_embeddings: 8192,
    } as const;
    const l3 = ropeInvFreq(64, 500000, s);
    const wavelen = (f: number) => (2 * Math.PI) / f;
    let kept = 0;
    let divided = 0;
    let between = 0;
    base.forEach((f, j) => {
      if (wavelen(f) < 8192 / 4) {
        expect(l3[j], `j=${j}`).toBe(f);
        kept++;
      } else if (wavelen(f) > 8192) {
        expect(l3[j]).toBeCloseTo(f / 32, 18);
        divided++;
      } else {
        expect(l3[j] > f / 32 && l3[j] < f).toBe(true);
        between++;
      }
    });
    expect(kept * divided * between).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { modelSpec } from './models/registry';
import { BUILTIN_MODELS, builtinModel } from './learn/modelConfigs';
import { countLora, describeModel, describeModelText, matchesTarget, targetOptions } from './paramCount';
import { UserFacingError } from './types';

const arch = (id: string) => describeModel(builtinModel(id)!.config);

describe('GPT-2', () => {
  it('small: base 124,439,808 and PEFT’s exact line for r = 8 on c_attn', () => {
    // wte 50257·768 + wpe 1024·768 + 12 × (LN 2·1536 + c_attn 768·2304+2304 + c_proj 768²+768
    //   + c_fc 768·3072+3072 + mlp.c_proj 3072·768+768) + ln_f 1536
    // = 38,597,376 + 786,432 + 12 × 7,087,872 + 1,536 = 124,439,808
    const a = arch('gpt2');
    expect(a.base).toBe(124_439_808);
    const c = countLora(a, ['c_attn'], 8);
    expect(c.trainable).toBe(294_912); // 12 × 8 × (768 + 2304)
    expect(c.peftLine).toBe('trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364');
  });

  it('medium: base 354,823,168; r = 8 on c_attn adds 786,432', () => {
    // 50257·1024 + 1024·1024 + 24 × 12,596,224 + 2,048 = 51,463,168 + 1,048,576 + 302,309,376 + 2,048
    const a = arch('gpt2-medium');
    expect(a.base).toBe(354_823_168);
    expect(countLora(a, ['c_attn'], 8).trainable).toBe(24 * 8 * (1024 + 3072));
  });

  it('"c_proj" matches attn.c_proj AND mlp.c_proj (PEFT suffix matching)', () => {
    const c = countLora(arch('gpt2'), ['c_proj'], 8);
    expect(c.matched.map((m) => m.path)).toEqual(Array(12).fill(['attn.c_proj', 'mlp.c_proj']).flat());
    // 12 × 8 × ((768 + 768) + (3072 + 768)) = 516,096
    expect(c.trainable).toBe(516_096);
  });

  it('n_inner null means 4·n_embd; an explicit n_inner is used', () => {
    const base = { model_type: 'gpt2', vocab_size: 10, n_positions: 4, n_embd: 8, n_layer: 1, n_head: 2 };
    const d = describeModel({ ...base, n_inner: null });
    const e = describeModel({ ...base, n_inner: 16 });
    expect(d.linears.find((m) => m.path === 'mlp.c_fc')!.dOut).toBe(32);
    expect(e.linears.find((m) => m.path === 'mlp.c_fc')!.dOut).toBe(16);
    // two MLP matrices of 8×16 fewer numbers each, and 16 fewer c_fc biases
    expect(d.base - e.base).toBe(2 * 8 * 16 + 16);
  });
});

describe('BLOOM', () => {
  it('3B: base 3,002,557,440; r = 8 on query_key_value = the numbers older PEFT printed', () => {
    // 250880·2560 + 2·2560 + 30 × 78,676,480 + 2·2560 = 642,252,800 + 5,120 + 2,360,294,400 + 5,120
    const a = arch('bloom-3b');
    expect(a.base).toBe(3_002_557_440);
    const c = countLora(a, ['query_key_value'], 8);
    expect(c.trainable).toBe(2_457_600); // 30 × 8 × (2560 + 7680)
    expect(c.all).toBe(3_005_015_040);
    // Older PEFT printed: 0.08178328451893539 %
    expect((100 * c.trainable) / c.all).toBeCloseTo(0.08178328451893539, 15);
    expect(c.peftLine).toBe('trainable params: 2,457,600 || all params: 3,005,015,040 || trainable%: 0.0818');
  });

  it('560m: base 559,214,592', () => {
    // 250880·1024 + 2·1024 + 24 × 12,596,224 + 2·1024 = 256,901,120 + 2,048 + 302,309,376 + 2,048
    expect(arch('bloom-560m').base).toBe(559_214_592);
  });
});

describe('Llama', () => {
  it('Llama-2-7B: base 6,738,415,616; r = 8 on q_proj, v_proj adds 4,194,304', () => {
    // 2 × 32000·4096 (untied) + 32 × (2·4096 + 4·4096² + 3·4096·11008) + 4096
    const a = arch('Llama-2-7b');
    expect(a.base).toBe(6_738_415_616);
    const c = countLora(a, ['q_proj', 'v_proj'], 8);
    expect(c.trainable).toBe(32 * 2 * 8 * (4096 + 4096));
    expect(c.peftLine).toBe('trainable params: 4,194,304 || all params: 6,742,609,920 || trainable%: 0.0622');
  });

  it('GQA (TinyLlama-1.1B: 32 heads, 4 kv heads) gives 1,100,048,384', () => {
    // head_dim 64; k/v_proj 2048→256. Per layer: 2·2048 + 2·2048² + 2·2048·256 + 3·2048·5632
    // = 44,044,288; × 22 + 2048 + 2 × 32000·2048 = 1,100,048,384
    const a = describeModel({
      model_type: 'llama',
      vocab_size: 32000,
      hidden_size: 2048,
      intermediate_size: 5632,
      num_hidden_layers: 22,
      num_attention_heads: 32,
      num_key_value_heads: 4,
      tie_word_embeddings: false,
    });
    expect(a.base).toBe(1_100_048_384);
    expect(a.linears.find((m) => m.path === 'self_attn.k_proj')).toMatchObject({ dIn: 2048, dOut: 256 });
  });

  it('tie_word_embeddings: true counts the head once', () => {
    const cfg = {
      model_type: 'llama',
      vocab_size: 100,
      hidden_size: 8,
      intermediate_size: 16,
      num_hidden_layers: 1,
      num_attention_heads: 2,
    };
    expect(describeModel(cfg).base - describeModel({ ...cfg, tie_word_embeddings: true }).base).toBe(800);
  });
});

describe('matching and options', () => {
  it('matches equal names and dotted suffixes only', () => {
    expect(matchesTarget('transformer.h.0.attn.c_proj', ['c_proj'])).toBe(true);
    expect(matchesTarget('transformer.h.0.attn.c_proj', ['attn.c_proj'])).toBe(true);
    expect(matchesTarget('transformer.h.0.attn.c_proj', ['proj'])).toBe(false);
    expect(matchesTarget('lm_head', ['lm_head'])).toBe(true);
  });

  it('every built-in model offers its default targets, with per-rank counts', () => {
    for (const m of BUILTIN_MODELS) {
      const a = describeModel(m.config);
      const opts = targetOptions(a);
      for (const t of a.defaultTargets) expect(opts.map((o) => o.entry)).toContain(t);
      const all = opts.reduce((s, o) => s + o.perRank, 0);
      expect(
        countLora(
          a,
          opts.map((o) => o.entry),
          4,
        ).trainable,
      ).toBe(4 * all);
      expect(a.breakdown.reduce((s, b) => s + b.params, 0)).toBe(a.base);
    }
  });
});

describe('validation', () => {
  const bad = (cfg: unknown, msg: RegExp) => {
    expect(() => describeModel(cfg)).toThrow(UserFacingError);
    expect(() => describeModel(cfg)).toThrow(msg);
  };
  it('says which field is wrong', () => {
    bad([], /JSON object/);
    bad({}, /"model_type" is missing/);
    bad({ model_type: 't5' }, /model_type "t5" is not supported/);
    bad({ model_type: 'gpt2', vocab_size: 50257, n_positions: 1024, n_layer: 12, n_head: 12 }, /"n_embd" is missing/);
    bad(
      { model_type: 'gpt2', vocab_size: 50257, n_positions: 1024, n_embd: -1, n_layer: 12, n_head: 12 },
      /"n_embd" must be a positive integer/,
    );
    bad(
      { model_type: 'gpt2', vocab_size: 50257, n_positions: 1024, n_embd: 770, n_layer: 12, n_head: 12 },
      /divisible/,
    );
    bad({ model_type: 'bloom', vocab_size: 10, n_layer: 1, n_head: 1 }, /"hidden_size" or "n_embed" is missing/);
    bad(
      {
        model_type: 'llama',
        vocab_size: 10,
        hidden_size: 8,
        intermediate_size: 8,
        num_hidden_layers: 1,
        num_attention_heads: 4,
        num_key_value_heads: 3,
      },
      /multiple of num_key_value_heads/,
    );
  });
  it('reports JSON syntax errors', () => {
    expect(() => describeModelText('{"model_type": gpt2}')).toThrow(/not valid JSON/);
  });
});

describe('the config-only counter agrees with the model registry', () => {
  const configs = [
    { model_type: 'gpt2', vocab_size: 50257, n_positions: 1024, n_embd: 768, n_layer: 12, n_head: 12 },
    {
      model_type: 'llama',
      hidden_size: 576,
      intermediate_size: 1536,
      num_hidden_layers: 30,
      num_attention_heads: 9,
      num_key_value_heads: 3,
      max_position_embeddings: 8192,
      tie_word_embeddings: true,
      vocab_size: 49152,
    },
    {
      model_type: 'qwen2',
      hidden_size: 896,
      intermediate_size: 4864,
      num_hidden_layers: 24,
      num_attention_heads: 14,
      num_key_value_heads: 2,
      max_position_embeddings: 32768,
      tie_word_embeddings: true,
      vocab_size: 151936,
    },
  ];
  it.each(configs)('$model_type: base parameters, every linear layer and the default targets', (config) => {
    const arch = describeModel(config);
    const spec = modelSpec(config);
    expect(arch.base).toBe(spec.paramCount());
    expect(arch.linears.map((l) => [l.name, l.dIn, l.dOut])).toEqual(
      spec.linears().map((l) => [l.name, l.dIn, l.dOut]),
    );
    expect(arch.defaultTargets).toEqual([...spec.defaultTargets]);
  });
});

import { describe, expect, it } from 'vitest';
import { gpt2Linears, gpt2ParamCount } from '../gpt2/params';
import { formatPeftLine } from '../peftLine';
import { UserFacingError } from '../types';
import {
  adapterParamCount,
  matchesTarget,
  moduleScaling,
  patternValue,
  selectTargets,
  validateLoraConfig,
} from './match';
import { DEFAULT_LORA_CONFIG } from './types';

const gpt2Small = {
  vocab_size: 50257,
  n_positions: 1024,
  n_embd: 768,
  n_layer: 12,
  n_head: 12,
  n_inner: 3072,
  layer_norm_epsilon: 1e-5,
  activation_function: 'gelu_new' as const,
};
const names = gpt2Linears(gpt2Small).map((m) => m.name);

describe('target_modules matching (PEFT rules)', () => {
  it('a list matches full names or "." + suffix, never a bare substring', () => {
    expect(matchesTarget('transformer.h.0.attn.c_attn', ['c_attn'])).toBe(true);
    expect(matchesTarget('transformer.h.0.attn.c_attn', ['attn.c_attn'])).toBe(true);
    expect(matchesTarget('transformer.h.0.attn.c_attn', ['transformer.h.0.attn.c_attn'])).toBe(true);
    expect(matchesTarget('transformer.h.0.attn.c_attn', ['attn'])).toBe(false);
    expect(matchesTarget('transformer.h.0.attn.c_attn', ['_attn'])).toBe(false);
  });

  it('c_proj adapts both attn.c_proj and mlp.c_proj', () => {
    const hits = selectTargets(names, ['c_proj']);
    expect(hits).toHaveLength(24);
    expect(hits).toContain('transformer.h.3.attn.c_proj');
    expect(hits).toContain('transformer.h.3.mlp.c_proj');
  });

  it('a single string is a regex over the whole name (fullmatch)', () => {
    expect(selectTargets(names, 'transformer\\.h\\.[01]\\.attn\\.c_attn')).toEqual([
      'transformer.h.0.attn.c_attn',
      'transformer.h.1.attn.c_attn',
    ]);
    expect(() => selectTargets(names, 'c_attn')).toThrow(/matched no module/); // not a search
    expect(() => selectTargets(names, '([')).toThrow(UserFacingError);
  });

  it('"all-linear" takes every Conv1D (the tied head is not one)', () => {
    expect(selectTargets(names, 'all-linear')).toHaveLength(48);
  });

  it('no match and empty lists are clear errors', () => {
    expect(() => selectTargets(names, ['q_proj'])).toThrow(/q_proj.*matched no module.*c_attn, c_proj, c_fc/);
    expect(() => selectTargets(names, [])).toThrow(/empty/);
  });

  it('rank_pattern / alpha_pattern: first key matching the name end at a "." boundary', () => {
    expect(patternValue('transformer.h.0.mlp.c_fc', { c_fc: 4 }, 8)).toBe(4);
    expect(patternValue('transformer.h.0.mlp.c_fc', { fc: 4 }, 8)).toBe(8);
    expect(patternValue('transformer.h.1.attn.c_attn', { 'h\\.1\\.attn\\.c_attn': 2 }, 8)).toBe(2);
    expect(patternValue('transformer.h.11.attn.c_attn', { 'h\\.1\\.attn\\.c_attn': 2 }, 8)).toBe(8);
  });

  it('scaling is α/r, or α/√r with rsLoRA', () => {
    const c = { ...DEFAULT_LORA_CONFIG, r: 16, lora_alpha: 32 };
    expect(moduleScaling('x.c_attn', c).scaling).toBe(2);
    expect(moduleScaling('x.c_attn', { ...c, use_rslora: true }).scaling).toBe(8);
    expect(moduleScaling('x.c_attn', { ...c, rank_pattern: { c_attn: 4 } })).toEqual({ r: 4, alpha: 32, scaling: 8 });
  });

  it('validates config fields with specific messages', () => {
    expect(() => validateLoraConfig({ ...DEFAULT_LORA_CONFIG, r: 0 })).toThrow(/r must be a positive integer/);
    expect(() => validateLoraConfig({ ...DEFAULT_LORA_CONFIG, lora_dropout: 1 })).toThrow(/lora_dropout/);
    expect(() => validateLoraConfig({ ...DEFAULT_LORA_CONFIG, lora_alpha: NaN })).toThrow(/lora_alpha/);
  });
});

describe('parameter counts', () => {
  it("GPT-2 small, r = 8 on c_attn reproduces PEFT's line", () => {
    expect(gpt2ParamCount(gpt2Small)).toBe(124_439_808);
    const trainable = adapterParamCount(gpt2Linears(gpt2Small), DEFAULT_LORA_CONFIG);
    expect(trainable).toBe(294_912);
    expect(formatPeftLine(trainable, gpt2ParamCount(gpt2Small) + trainable)).toBe(
      'trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364',
    );
  });

  it('counts rank patterns per module', () => {
    // 12 × [c_attn r=8: 8·(768+2304)] + 12 × [mlp.c_fc r=2: 2·(768+3072)]
    const c = { ...DEFAULT_LORA_CONFIG, target_modules: ['c_attn', 'c_fc'], rank_pattern: { c_fc: 2 } };
    expect(adapterParamCount(gpt2Linears(gpt2Small), c)).toBe(12 * 8 * 3072 + 12 * 2 * 3840);
  });
});

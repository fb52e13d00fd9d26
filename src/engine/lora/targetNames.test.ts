import { describe, expect, it } from 'vitest';
import { selectTargets } from './match';
import { peftTargetNames } from './targetNames';

const layers = (n: number, kinds: string[], prefix: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => kinds.map((k) => `${prefix(i)}.${k}`)).flat();
const llama = layers(
  2,
  [
    'self_attn.q_proj',
    'self_attn.k_proj',
    'self_attn.v_proj',
    'self_attn.o_proj',
    'mlp.gate_proj',
    'mlp.up_proj',
    'mlp.down_proj',
  ],
  (i) => `model.layers.${i}`,
);
const gpt2 = layers(2, ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'], (i) => `transformer.h.${i}`);

describe('peftTargetNames', () => {
  it('writes what PEFT users write: q_proj, v_proj for Llama; c_attn for GPT-2', () => {
    expect(peftTargetNames(['self_attn.q_proj', 'self_attn.v_proj'], llama)).toEqual(['q_proj', 'v_proj']);
    expect(peftTargetNames(['attn.c_attn', 'mlp.c_fc'], gpt2)).toEqual(['c_attn', 'c_fc']);
  });

  it("keeps GPT-2's attn.c_proj qualified (c_proj alone would also pick mlp.c_proj)", () => {
    expect(peftTargetNames(['attn.c_proj'], gpt2)).toEqual(['attn.c_proj']);
    expect(peftTargetNames(['attn.c_proj', 'mlp.c_proj'], gpt2)).toEqual(['attn.c_proj', 'mlp.c_proj']);
  });

  it('picks exactly the same layers under PEFT’s matching rule, for every subset of groups', () => {
    for (const [names, groups] of [
      [
        llama,
        [
          'self_attn.q_proj',
          'self_attn.k_proj',
          'self_attn.v_proj',
          'self_attn.o_proj',
          'mlp.gate_proj',
          'mlp.up_proj',
          'mlp.down_proj',
        ],
      ],
      [gpt2, ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj']],
    ] as const) {
      for (let mask = 1; mask < 1 << groups.length; mask++) {
        const picked = groups.filter((_, i) => mask & (1 << i));
        const short = peftTargetNames(picked, names);
        expect(selectTargets([...names], short, {}).sort()).toEqual(selectTargets([...names], picked, {}).sort());
      }
    }
  });

  it('leaves an entry that matches nothing as it is, and drops duplicates', () => {
    expect(peftTargetNames(['nope.q', 'self_attn.q_proj', 'q_proj'], llama)).toEqual(['nope.q', 'q_proj']);
  });
});

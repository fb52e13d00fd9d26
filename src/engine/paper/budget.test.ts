import { describe, expect, it } from 'vitest';
import { parseGpt2Config } from '../gpt2/config';
import { gpt2Linears } from '../gpt2/params';
import { budgetOptions, defaultBudget, modelFamily, nearestRank, paramsPerRank, type LinearModule } from './budget';

/** The shipped tiny GPT-2: 3 layers, n_embd 96, n_inner 384. */
const gpt2 = gpt2Linears(parseGpt2Config({ vocab_size: 97, n_positions: 32, n_embd: 96, n_layer: 3, n_head: 4 }));

/** A Llama-family layout (HF names); kv < hidden is grouped-query attention (SmolLM2-135M: 576, 192, 1536, 30). */
function llama(layers: number, hidden: number, kv: number, ffn: number): LinearModule[] {
  const out: LinearModule[] = [];
  for (let i = 0; i < layers; i++) {
    const p = `model.layers.${i}`;
    out.push(
      { name: `${p}.self_attn.q_proj`, dIn: hidden, dOut: hidden },
      { name: `${p}.self_attn.k_proj`, dIn: hidden, dOut: kv },
      { name: `${p}.self_attn.v_proj`, dIn: hidden, dOut: kv },
      { name: `${p}.self_attn.o_proj`, dIn: hidden, dOut: hidden },
      { name: `${p}.mlp.gate_proj`, dIn: hidden, dOut: ffn },
      { name: `${p}.mlp.up_proj`, dIn: hidden, dOut: ffn },
      { name: `${p}.mlp.down_proj`, dIn: ffn, dOut: hidden },
    );
  }
  return out;
}

const summary = (modules: LinearModule[], budget?: number) =>
  budgetOptions(modules, budget).options.map((o) => [o.id, o.r, o.trainable]);

describe('fixed-budget target choice (LoRA Table 5)', () => {
  it('Llama with equal q/k/v/o shapes gets exactly the paper’s ranks: 8, 8, 4, 2 at one budget', () => {
    const m = llama(2, 64, 64, 256);
    const choice = budgetOptions(m);
    expect(choice.family).toBe('llama');
    expect(choice.budget).toBe(8 * 2 * 128);
    expect(summary(m)).toEqual([
      ['q', 8, 2048],
      ['v', 8, 2048],
      ['q-v', 4, 2048],
      ['q-k-v-o', 2, 2048],
      ['all-linear', 1, 2 * (4 * 128 + 3 * 320)], // the MLP alone is more than the budget at r = 1
    ]);
    expect(choice.unavailable).toEqual([]);
    expect(choice.options[2]).toMatchObject({ targetModules: ['q_proj', 'v_proj'], paperName: 'W_q, W_v', modules: 4 });
  });

  it('grouped-query attention (SmolLM2-135M’s shapes): r per option is the nearest integer, counts stated', () => {
    const m = llama(30, 576, 192, 1536);
    expect(defaultBudget(m)).toBe(276_480); // r = 8 on q_proj: 8·30·(576 + 576)
    expect(summary(m)).toEqual([
      ['q', 8, 276_480],
      ['v', 12, 276_480], // k and v project to 192 only: a v rank costs 768 per layer
      ['q-v', 5, 288_000], // 4.8 → 5 (r = 4 would train 230,400)
      ['q-k-v-o', 2, 230_400], // 2.4 → 2 (r = 3 would train 345,600)
      ['all-linear', 1, 305_280],
    ]);
  });

  it('GPT-2 offers the modules it has (c_attn fuses q, k, v) and says why q alone is not one of them', () => {
    const choice = budgetOptions(gpt2);
    expect(modelFamily(gpt2)).toBe('gpt2');
    expect(choice.budget).toBe(8 * 3 * (96 + 288));
    expect(summary(gpt2)).toEqual([
      ['c_attn', 8, 9216],
      ['attn.c_proj', 16, 9216],
      ['c_attn-attn.c_proj', 5, 8640], // 5.33 → 5
      ['all-linear', 2, 9216],
    ]);
    expect(choice.options.map((o) => o.targetModules)).toEqual([
      ['c_attn'],
      ['attn.c_proj'],
      ['c_attn', 'attn.c_proj'],
      'all-linear',
    ]);
    // "attn.c_proj", not "c_proj": PEFT's suffix rule would also catch mlp.c_proj.
    expect(choice.options[1].modules).toBe(3);
    expect(choice.unavailable.map((u) => u.label)).toEqual(['q alone', 'v alone', 'q and v']);
    expect(choice.unavailable[0].reason).toMatch(/one layer \(attn\.c_attn\).*cannot be targeted/);
  });

  it('takes any budget; a budget below one rank of an option still gives r = 1', () => {
    expect(summary(gpt2, 20_000)).toEqual([
      ['c_attn', 17, 19_584],
      ['attn.c_proj', 35, 20_160],
      ['c_attn-attn.c_proj', 12, 20_736],
      ['all-linear', 4, 18_432],
    ]);
    expect(summary(gpt2, 100)[0]).toEqual(['c_attn', 1, 1152]);
  });

  it('checks its inputs, and counts per rank with PEFT’s matching rule', () => {
    expect(paramsPerRank(gpt2, ['c_proj'])).toBe(3 * (192 + 480)); // both c_proj layers per block
    expect(nearestRank(15, 10)).toBe(1); // a tie goes to the lower rank
    expect(nearestRank(16, 10)).toBe(2);
    expect(() => budgetOptions(gpt2, 0)).toThrow(/positive whole number of parameters, got 0/);
    expect(() => budgetOptions(gpt2, 1.5)).toThrow(/positive whole number/);
    expect(() => modelFamily([{ name: 'encoder.layer.0.attention.self.query', dIn: 8, dOut: 8 }])).toThrow(
      /neither GPT-2's .* nor the Llama family's .*: query/,
    );
  });
});

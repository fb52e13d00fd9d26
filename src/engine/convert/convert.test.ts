import { describe, expect, it } from 'vitest';
import { hfToGgufName } from '../formats/names';
import { readAdapter } from '../formats/read';
import {
  denseDelta,
  ggufFile,
  kohyaFile,
  llamaModules,
  llamaPermuteRows,
  lowRankModule,
  mlxFiles,
  peftFiles,
  type TestModule,
} from '../testing/adapterFiles';
import type { ParsedAdapter } from '../formats/types';
import { svdHost } from '../lora/hostMath';
import { tinyGpt2Base } from '../testing/testAdapter';
import { Rng } from '../rng';
import { exactAlpha, filesToMap } from './common';
import { shrinkAdapter } from './shrink';
import { toMlx } from './toMlx';
import { toPeft } from './toPeft';
import { baseFromConfig, checkWithImporter } from './verify';

const files = filesToMap;

/** ΔW of every module, bit for bit: same factors and the same scaling. */
function sameDelta(a: ParsedAdapter, b: ParsedAdapter) {
  expect(b.modules.map((m) => m.name)).toEqual(a.modules.map((m) => m.name));
  a.modules.forEach((m, i) => {
    const n = b.modules[i];
    expect(n.scaling).toBe(m.scaling);
    expect(n.r).toBe(m.r);
    expect(Buffer.from(n.A.data.buffer).equals(Buffer.from(m.A.data.buffer))).toBe(true);
    expect(Buffer.from(n.B.data.buffer).equals(Buffer.from(m.B.data.buffer))).toBe(true);
  });
}

const gpt2Mods = (C: number): TestModule[] =>
  [0, 1].flatMap((l) => [
    lowRankModule(`transformer.h.${l}.attn.c_attn`, 3 * C, C, 4, 4, l + 1),
    lowRankModule(`transformer.h.${l}.attn.c_proj`, C, C, 4, 4, l + 3),
    lowRankModule(`transformer.h.${l}.mlp.c_fc`, 4 * C, C, 4, 4, l + 5),
    lowRankModule(`transformer.h.${l}.mlp.c_proj`, C, 4 * C, 4, 4, l + 7),
  ]);

const LLAMA_CONFIG = {
  model_type: 'llama',
  hidden_size: 32,
  intermediate_size: 48,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  vocab_size: 50,
};

describe('PEFT ⇄ MLX with identical ΔW', () => {
  it('GPT-2: PEFT → MLX → PEFT, and the PEFT output passes the importer', async () => {
    const peft = await readAdapter(peftFiles(gpt2Mods(8), { r: 4, lora_alpha: 12, fan_in_fan_out: true }));
    const mlx = toMlx(peft);
    expect(mlx.scale).toBe(3);
    const viaMlx = await readAdapter(files(mlx.files));
    expect(viaMlx.format).toBe('mlx');
    expect(viaMlx.modules[0].key).toBe('model.h.0.attn.c_attn'); // mlx-lm's GPT-2 names
    sameDelta(peft, viaMlx);
    const back = toPeft(viaMlx);
    const again = await readAdapter(files(back.files));
    sameDelta(peft, again);
    const imported = checkWithImporter(back.files, tinyGpt2Base(2, 8));
    expect(imported.adapter.modules.size).toBe(8);
    expect(imported.adapter.config.fan_in_fan_out).toBe(true);
    for (const [name, m] of imported.adapter.modules)
      expect(m.scaling).toBe(peft.modules.find((p) => p.name === name)!.scaling);
  });

  it('Llama: MLX (scale 20) → PEFT (α = 20·r) → MLX, and the importer accepts it for a Llama base', async () => {
    const mods = llamaModules(2, 32, 16, 48, 8);
    const mlx = await readAdapter(mlxFiles(mods, 20, { model: 'HuggingFaceTB/SmolLM2-135M' }));
    const peft = toPeft(mlx);
    expect(peft.adapter.config.lora_alpha).toBe(160);
    expect(peft.adapter.config.fan_in_fan_out).toBe(false);
    expect(peft.baseModelName).toBe('HuggingFaceTB/SmolLM2-135M');
    const readBack = await readAdapter(files(peft.files));
    sameDelta(mlx, readBack);
    sameDelta(mlx, await readAdapter(files(toMlx(readBack).files)));
    const { base } = baseFromConfig(new TextEncoder().encode(JSON.stringify(LLAMA_CONFIG)));
    expect(checkWithImporter(peft.files, base).adapter.modules.size).toBe(14);
  });

  it('exactAlpha finds α with α/r === s for awkward scales and ranks', () => {
    const rng = new Rng(4);
    let all = 0;
    let exact = 0;
    for (let i = 0; i < 2000; i++) {
      const s = rng.uniform(0.01, 50);
      const r = 1 + Math.floor(rng.uniform(0, 64));
      const { alpha, exact: ok } = exactAlpha(s, r);
      all++;
      if (ok) {
        exact++;
        expect(alpha / r).toBe(s);
      } else expect(Math.abs(alpha / r - s)).toBeLessThanOrEqual(2 * Number.EPSILON * s);
    }
    expect(exact / all).toBeGreaterThan(0.7);
  });

  it('MLX needs one rank and one scale: zero padding and power-of-two folds are exact, anything else is refused', async () => {
    const a = lowRankModule('model.layers.0.self_attn.q_proj', 16, 16, 4, 4, 1);
    const b = lowRankModule('model.layers.0.self_attn.v_proj', 8, 16, 2, 2, 2);
    const parsed = await readAdapter(
      peftFiles([a, b], { r: 4, lora_alpha: 8, rank_pattern: { v_proj: 2 }, alpha_pattern: { v_proj: 2 } }),
    );
    expect(parsed.modules.map((m) => m.scaling)).toEqual([2, 1]);
    const mlx = toMlx(parsed);
    expect(mlx.rank).toBe(4);
    expect(mlx.notes.join(' ')).toMatch(/padded with zeros/);
    const back = await readAdapter(files(mlx.files));
    for (const [i, m] of [a, b].entries()) {
      const want = denseDelta(m, parsed.modules[i].scaling);
      const got = back.modules[i];
      const d = denseDelta({ ...m, A: got.A.data, B: got.B.data, r: got.r }, got.scaling);
      expect(Array.from(d)).toEqual(Array.from(want));
    }
    const odd = await readAdapter(
      peftFiles([a, b], { r: 4, lora_alpha: 8, rank_pattern: { v_proj: 2 }, alpha_pattern: { v_proj: 3 } }),
    );
    expect(() => toMlx(odd)).toThrow(/not 2 times a power of two/);
  });
});

describe('GGUF → PEFT for the Llama family', () => {
  const heads = 4;
  const hf = llamaModules(1, 32, 16, 48, 4); // q 32 = 4 heads × 8; k 16 = 2 kv heads × 8
  const ggufTensors = (permute: boolean) =>
    hf.map((m) => {
      const kv = m.name.endsWith('k_proj') ? 2 : heads;
      const qk = /[qk]_proj$/.test(m.name);
      return { ...m, name: hfToGgufName(m.name)!, B: permute && qk ? llamaPermuteRows(m.B, m.dOut, m.r, kv) : m.B };
    });

  it('llama: q/k rows are put back into HF order, so ΔW equals the original; heads are required', async () => {
    const parsed = await readAdapter(
      new Map([['a.gguf', ggufFile(ggufTensors(true), { architecture: 'llama', alpha: 8, dtype: 'F32' })]]),
    );
    expect(() => toPeft(parsed)).toThrow(/number of attention heads/);
    const out = toPeft(parsed, { heads });
    const back = await readAdapter(files(out.files));
    hf.forEach((m, i) => {
      expect(back.modules[i].name).toBe(m.name);
      expect(back.modules[i].scaling).toBe(2);
      expect(Array.from(back.modules[i].B.data)).toEqual(Array.from(m.B));
      expect(Array.from(back.modules[i].A.data)).toEqual(Array.from(m.A));
    });
    const { base, heads: h } = baseFromConfig(
      new TextEncoder().encode(JSON.stringify({ ...LLAMA_CONFIG, num_hidden_layers: 1 })),
    );
    expect(h).toBe(4);
    checkWithImporter(out.files, base);
  });

  it('qwen2 (no permutation in llama.cpp): converts without heads; F16 factors convert exactly', async () => {
    const parsed = await readAdapter(
      new Map([['a.gguf', ggufFile(ggufTensors(false), { architecture: 'qwen2', alpha: 4, dtype: 'F16' })]]),
    );
    const out = toPeft(parsed);
    sameDelta(parsed, await readAdapter(files(out.files)));
  });

  it('refuses other architectures and kohya files by name', async () => {
    const g = await readAdapter(
      new Map([['a.gguf', ggufFile(ggufTensors(false), { architecture: 'phi3', alpha: 4 })]]),
    );
    expect(() => toPeft(g)).toThrow(/"phi3"/);
    const k = await readAdapter(
      new Map([['k.safetensors', kohyaFile([lowRankModule('lora_unet_x_0_to_q', 8, 8, 2, 2, 1)])]]),
    );
    expect(() => toPeft(k)).toThrow(/Stable Diffusion/);
    expect(() => toMlx(k)).toThrow(/Stable Diffusion/);
  });
});

describe('shrink to rank k', () => {
  it('a rank-3 ΔW stored at r = 8: k = 3 keeps it, k = 1 loses exactly √(σ₂² + σ₃²)', async () => {
    const m = lowRankModule('model.layers.0.self_attn.q_proj', 24, 20, 8, 3, 9);
    const parsed = await readAdapter(peftFiles([m], { r: 8, lora_alpha: 16 }));
    const S = svdHost(denseDelta(m, 2), 24, 20).S;
    const three = shrinkAdapter(parsed, 3);
    expect(three.modules[0]).toMatchObject({ fromRank: 8, toRank: 3 });
    expect(three.modules[0].relative).toBeLessThan(1e-6);
    const one = shrinkAdapter(parsed, 1);
    expect(one.modules[0].droppedNorm).toBeCloseTo(Math.hypot(S[1], S[2]), 10);
    expect(Math.abs(one.modules[0].error - Math.hypot(S[1], S[2]))).toBeLessThan(1e-5 * S[0]);
    expect(one.modules[0].norm).toBeCloseTo(Math.hypot(S[0], S[1], S[2]), 5);
    const back = await readAdapter(files(one.files));
    expect(back.modules[0]).toMatchObject({ r: 1, scaling: 1 });
    expect(back.modules[0].A.shape).toEqual([1, 20]);
    const { base } = baseFromConfig(
      new TextEncoder().encode(
        JSON.stringify({
          ...LLAMA_CONFIG,
          hidden_size: 20,
          num_attention_heads: 4,
          num_key_value_heads: 4,
          head_dim: 6,
          num_hidden_layers: 1,
        }),
      ),
    );
    expect(base.modules.get('model.layers.0.self_attn.q_proj')).toEqual({ dIn: 20, dOut: 24 });
    checkWithImporter(one.files, base);
  });
});

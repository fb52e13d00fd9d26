/** Seeded adapters and bases for tests of the adapter-file layer (and the fuzzer's valid seeds). */
import { DEFAULT_LORA_CONFIG, type AdapterWeights, type LoraConfig } from '../lora/types';
import { Rng } from '../rng';
import type { AdapterImportBase } from '../peft/importAdapter';

/** A GPT-2-shaped base with n_embd C: every block's c_attn, c_proj, c_fc and mlp c_proj. */
export function tinyGpt2Base(layers = 2, C = 8): AdapterImportBase {
  const modules = new Map<string, { dIn: number; dOut: number }>();
  for (let i = 0; i < layers; i++) {
    modules.set(`transformer.h.${i}.attn.c_attn`, { dIn: C, dOut: 3 * C });
    modules.set(`transformer.h.${i}.attn.c_proj`, { dIn: C, dOut: C });
    modules.set(`transformer.h.${i}.mlp.c_fc`, { dIn: C, dOut: 4 * C });
    modules.set(`transformer.h.${i}.mlp.c_proj`, { dIn: 4 * C, dOut: C });
  }
  return { modules, modelType: 'gpt2' };
}

/** Random A and B (B nonzero, so the adapter changes outputs) for the modules `config` targets. */
export function randomAdapter(base: AdapterImportBase, config: Partial<LoraConfig> = {}, seed = 1): AdapterWeights {
  const c: LoraConfig = { ...DEFAULT_LORA_CONFIG, ...config };
  const rng = new Rng(seed);
  const modules: AdapterWeights['modules'] = new Map();
  const targets = typeof c.target_modules === 'string' ? [] : c.target_modules;
  for (const [name, { dIn, dOut }] of base.modules) {
    if (c.target_modules !== 'all-linear' && !targets.some((t) => name === t || name.endsWith(`.${t}`))) continue;
    const r = c.rank_pattern[name.split('.').pop() as string] ?? c.r;
    const alpha = c.lora_alpha;
    modules.set(name, {
      A: { shape: [r, dIn], data: Float32Array.from({ length: r * dIn }, () => rng.uniform(-1, 1)) },
      B: { shape: [dOut, r], data: Float32Array.from({ length: dOut * r }, () => rng.uniform(-1, 1)) },
      r,
      alpha,
      scaling: c.use_rslora ? alpha / Math.sqrt(r) : alpha / r,
    });
  }
  return { config: c, modules };
}

/** Deep copy, to prove later that nothing changed an adapter. */
export function cloneAdapter(a: AdapterWeights): AdapterWeights {
  const modules: AdapterWeights['modules'] = new Map();
  for (const [k, m] of a.modules) {
    modules.set(k, {
      ...m,
      A: { shape: [...m.A.shape], data: m.A.data.slice() },
      B: { shape: [...m.B.shape], data: m.B.data.slice() },
    });
  }
  return { config: structuredClone(a.config), modules };
}

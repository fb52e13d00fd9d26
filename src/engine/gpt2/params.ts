/**
 * GPT-2's parameters by their Hugging Face names, in `state_dict` order, with shapes; seeded
 * random init like transformers' `_init_weights`; and name/shape checks for loaded weights.
 */
import { Rng } from '../rng';
import { UserFacingError, sizeOf, type TensorMap } from '../types';
import { estimateModelMemory } from '../limits';
import { gpt2Dims, type Gpt2Config } from './config';

/** A Conv1D module: weight [d_in, d_out] (x·W, no transpose), bias [d_out]. */
export interface Gpt2Linear {
  name: string;
  dIn: number;
  dOut: number;
}

export function gpt2Linears(c: Gpt2Config): Gpt2Linear[] {
  const out: Gpt2Linear[] = [];
  const C = c.n_embd;
  for (let i = 0; i < c.n_layer; i++) {
    const p = `transformer.h.${i}`;
    out.push({ name: `${p}.attn.c_attn`, dIn: C, dOut: 3 * C });
    out.push({ name: `${p}.attn.c_proj`, dIn: C, dOut: C });
    out.push({ name: `${p}.mlp.c_fc`, dIn: C, dOut: c.n_inner });
    out.push({ name: `${p}.mlp.c_proj`, dIn: c.n_inner, dOut: C });
  }
  return out;
}

/** [name, shape] for every parameter, in the order transformers' state_dict lists them. */
export function gpt2ParamShapes(c: Gpt2Config): [string, number[]][] {
  const C = c.n_embd;
  const out: [string, number[]][] = [
    ['transformer.wte.weight', [c.vocab_size, C]],
    ['transformer.wpe.weight', [c.n_positions, C]],
  ];
  for (let i = 0; i < c.n_layer; i++) {
    const p = `transformer.h.${i}`;
    out.push([`${p}.ln_1.weight`, [C]], [`${p}.ln_1.bias`, [C]]);
    out.push([`${p}.attn.c_attn.weight`, [C, 3 * C]], [`${p}.attn.c_attn.bias`, [3 * C]]);
    out.push([`${p}.attn.c_proj.weight`, [C, C]], [`${p}.attn.c_proj.bias`, [C]]);
    out.push([`${p}.ln_2.weight`, [C]], [`${p}.ln_2.bias`, [C]]);
    out.push([`${p}.mlp.c_fc.weight`, [C, c.n_inner]], [`${p}.mlp.c_fc.bias`, [c.n_inner]]);
    out.push([`${p}.mlp.c_proj.weight`, [c.n_inner, C]], [`${p}.mlp.c_proj.bias`, [C]]);
  }
  out.push(['transformer.ln_f.weight', [C]], ['transformer.ln_f.bias', [C]]);
  return out;
}

/**
 * Total parameters of the base model (tied head counted once), in closed form (engine/limits), so
 * it answers at once for any config. GPT-2 small: 124,439,808.
 */
export function gpt2ParamCount(c: Gpt2Config): number {
  return estimateModelMemory(gpt2Dims(c)).params;
}

/**
 * Seeded random weights like transformers' GPT-2 init: Conv1D weights and embeddings
 * N(0, 0.02), biases 0, LayerNorm weight 1 / bias 0, and every `c_proj` weight
 * N(0, 0.02/√(2·n_layer)) (GPT-2's residual scaling).
 */
export function initGpt2Weights(c: Gpt2Config, seed: number): TensorMap {
  const rng = new Rng(seed);
  const std = 0.02;
  const out: TensorMap = new Map();
  for (const [name, shape] of gpt2ParamShapes(c)) {
    const n = sizeOf(shape);
    let data: Float32Array;
    if (/\.ln_\w+\.weight$/.test(name)) data = new Float32Array(n).fill(1);
    else if (name.endsWith('.bias')) data = new Float32Array(n);
    else if (name.endsWith('c_proj.weight')) data = rng.normalArray(n, std / Math.sqrt(2 * c.n_layer));
    else data = rng.normalArray(n, std);
    out.set(name, { shape, data });
  }
  return out;
}

/** Buffers some GPT-2 checkpoints carry that are not parameters (causal-mask constants). */
const IGNORED = /(^|\.)attn\.(bias|masked_bias)$/;

/**
 * Bring a loaded map to the canonical names and check every shape: accepts names with or
 * without the `transformer.` prefix (the hub's gpt2 checkpoint has none), drops mask buffers
 * and a tied `lm_head.weight`, and reports missing, unexpected or mis-shaped tensors by name.
 */
export function normalizeGpt2Weights(c: Gpt2Config, weights: TensorMap): TensorMap {
  const byName = new Map<string, { shape: number[]; data: Float32Array }>();
  const unexpected: string[] = [];
  for (const [raw, t] of weights) {
    if (IGNORED.test(raw) || raw === 'lm_head.weight') continue;
    const name = raw.startsWith('transformer.') ? raw : `transformer.${raw}`;
    byName.set(name, t);
  }
  const expected = gpt2ParamShapes(c);
  const names = new Set(expected.map(([n]) => n));
  for (const n of byName.keys()) if (!names.has(n)) unexpected.push(n);
  const missing = expected.filter(([n]) => !byName.has(n)).map(([n]) => n);
  const problems: string[] = [];
  if (missing.length) problems.push(`missing ${listSome(missing)}`);
  if (unexpected.length) problems.push(`unexpected ${listSome(unexpected)}`);
  const out: TensorMap = new Map();
  for (const [name, shape] of expected) {
    const t = byName.get(name);
    if (!t) continue;
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      problems.push(`${name} has shape [${t.shape.join(', ')}], config.json implies [${shape.join(', ')}]`);
    } else if (t.data.length !== sizeOf(shape)) {
      problems.push(`${name} holds ${t.data.length} values, its shape needs ${sizeOf(shape)}`);
    }
    out.set(name, { shape: [...shape], data: t.data });
  }
  if (problems.length) throw new UserFacingError(`GPT-2 weights do not match config.json: ${problems.join('; ')}`);
  return out;
}

function listSome(names: string[]): string {
  const head = names.slice(0, 4).join(', ');
  return names.length > 4 ? `${head} and ${names.length - 4} more` : head;
}

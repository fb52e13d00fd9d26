/**
 * Parameter counts from a Hugging Face `config.json` alone (no weights): the base model's
 * total, every linear module LoRA can adapt (full module name, d_in, d_out), and PEFT's
 * trainable/all numbers for a set of `target_modules` and a rank r.
 *
 * Families: GPT-2 (Conv1D c_attn/c_proj/c_fc, learned positions, tied head), BLOOM
 * (query_key_value/dense/dense_h_to_4h/dense_4h_to_h, embedding LayerNorm, ALiBi, tied head)
 * and Llama-style (q/k/v/o_proj, gate/up/down_proj, RMSNorm weight only, GQA, untied head
 * unless tie_word_embeddings).
 */
import { formatPeftLine } from './peftLine';
import { wrongJsonMessage, wrongTextMessage } from './fileKind';
import { assertWithinLimit, type LimitedField } from './limits';
import { UserFacingError } from './types';
import { errorMessage } from './types';

export type Family = 'gpt2' | 'bloom' | 'llama';

/** One linear layer LoRA can adapt. Shapes in nn.Linear terms: W0 is [dOut, dIn]. */
export interface LinearModule {
  /** Full module name as PEFT sees it, e.g. "transformer.h.0.attn.c_attn". */
  name: string;
  /** Name without the per-layer prefix, e.g. "attn.c_attn" (same for every layer). */
  path: string;
  dIn: number;
  dOut: number;
  bias: boolean;
}

export interface ModelArch {
  family: Family;
  /** The config's model_type. */
  modelType: string;
  layers: number;
  hidden: number;
  /** Base parameters, tied embeddings counted once. */
  base: number;
  /** Where the base parameters are, for a breakdown table. Sums to `base`. */
  breakdown: { part: string; params: number }[];
  /** Every adaptable linear layer of every block, in model order. */
  linears: LinearModule[];
  /** PEFT's default target_modules for this family (peft/utils/constants.py). */
  defaultTargets: string[];
}

type Json = Record<string, unknown>;

/** A positive integer field, trying each alias in turn; a clear message when none is usable. */
function posInt(cfg: Json, keys: string[], family: string, field: LimitedField, fallback?: number): number {
  for (const k of keys) {
    const v = cfg[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new UserFacingError(`config.json: "${k}" must be a positive integer (got ${JSON.stringify(v)}).`);
    }
    return assertWithinLimit(v, k, field); // bounded, so per-layer lists stay small
  }
  if (fallback !== undefined) return fallback;
  const names = keys.map((k) => `"${k}"`).join(' or ');
  throw new UserFacingError(`config.json: ${names} is missing; a ${family} config needs it.`);
}

function bool(cfg: Json, key: string, fallback: boolean): boolean {
  const v = cfg[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean')
    throw new UserFacingError(`config.json: "${key}" must be true or false (got ${JSON.stringify(v)}).`);
  return v;
}

function blocks(prefix: string, layers: number, perLayer: Omit<LinearModule, 'name'>[]): LinearModule[] {
  const out: LinearModule[] = [];
  for (let i = 0; i < layers; i++) for (const m of perLayer) out.push({ ...m, name: `${prefix}.${i}.${m.path}` });
  return out;
}

const linearParams = (m: Omit<LinearModule, 'name'>) => m.dIn * m.dOut + (m.bias ? m.dOut : 0);
const sumLinear = (ms: Omit<LinearModule, 'name'>[]) => ms.reduce((a, m) => a + linearParams(m), 0);

function gpt2(cfg: Json): ModelArch {
  const f = 'GPT-2';
  const vocab = posInt(cfg, ['vocab_size'], f, 'vocab');
  const positions = posInt(cfg, ['n_positions'], f, 'positions');
  const d = posInt(cfg, ['n_embd'], f, 'hidden');
  const layers = posInt(cfg, ['n_layer'], f, 'layers');
  const heads = posInt(cfg, ['n_head'], f, 'heads');
  if (d % heads !== 0) throw new UserFacingError(`config.json: n_embd (${d}) must be divisible by n_head (${heads}).`);
  const inner = posInt(cfg, ['n_inner'], f, 'inner', 4 * d); // null means 4·n_embd
  // Conv1D stores [d_in, d_out]; LoRA's shapes are the same as for nn.Linear.
  const attn = [
    { path: 'attn.c_attn', dIn: d, dOut: 3 * d, bias: true },
    { path: 'attn.c_proj', dIn: d, dOut: d, bias: true },
  ];
  const mlp = [
    { path: 'mlp.c_fc', dIn: d, dOut: inner, bias: true },
    { path: 'mlp.c_proj', dIn: inner, dOut: d, bias: true },
  ];
  const norms = layers * 2 * (2 * d) + 2 * d; // ln_1, ln_2 per block + ln_f, weight and bias
  const breakdown = [
    { part: 'token embeddings wte (tied with the LM head)', params: vocab * d },
    { part: 'position embeddings wpe', params: positions * d },
    { part: 'attention (c_attn, c_proj) × layers', params: layers * sumLinear(attn) },
    { part: 'MLP (c_fc, c_proj) × layers', params: layers * sumLinear(mlp) },
    { part: 'LayerNorms', params: norms },
  ];
  if (!bool(cfg, 'tie_word_embeddings', true)) breakdown.push({ part: 'LM head (untied)', params: vocab * d });
  return finish('gpt2', cfg, layers, d, breakdown, blocks('transformer.h', layers, [...attn, ...mlp]), ['c_attn']);
}

function bloom(cfg: Json): ModelArch {
  const f = 'BLOOM';
  const vocab = posInt(cfg, ['vocab_size'], f, 'vocab');
  const h = posInt(cfg, ['hidden_size', 'n_embed'], f, 'hidden');
  const layers = posInt(cfg, ['n_layer', 'num_hidden_layers'], f, 'layers');
  const heads = posInt(cfg, ['n_head', 'num_attention_heads'], f, 'heads');
  if (h % heads !== 0)
    throw new UserFacingError(`config.json: hidden size (${h}) must be divisible by the number of heads (${heads}).`);
  const attn = [
    { path: 'self_attention.query_key_value', dIn: h, dOut: 3 * h, bias: true },
    { path: 'self_attention.dense', dIn: h, dOut: h, bias: true },
  ];
  const mlp = [
    { path: 'mlp.dense_h_to_4h', dIn: h, dOut: 4 * h, bias: true },
    { path: 'mlp.dense_4h_to_h', dIn: 4 * h, dOut: h, bias: true },
  ];
  const breakdown = [
    { part: 'word embeddings (tied with the LM head)', params: vocab * h },
    { part: 'attention (query_key_value, dense) × layers', params: layers * sumLinear(attn) },
    { part: 'MLP (dense_h_to_4h, dense_4h_to_h) × layers', params: layers * sumLinear(mlp) },
    // word_embeddings_layernorm + input/post_attention per block + ln_f; ALiBi has no parameters
    { part: 'LayerNorms (incl. word_embeddings_layernorm)', params: 2 * h + layers * 4 * h + 2 * h },
  ];
  if (!bool(cfg, 'tie_word_embeddings', true)) breakdown.push({ part: 'LM head (untied)', params: vocab * h });
  return finish('bloom', cfg, layers, h, breakdown, blocks('transformer.h', layers, [...attn, ...mlp]), [
    'query_key_value',
  ]);
}

/** Llama, Mistral; with `qkvBias` Qwen2 (biases on q, k and v only). */
function llama(cfg: Json, qkvBias = false): ModelArch {
  const f = qkvBias ? 'Qwen2' : 'Llama-style';
  const vocab = posInt(cfg, ['vocab_size'], f, 'vocab');
  const h = posInt(cfg, ['hidden_size'], f, 'hidden');
  const inter = posInt(cfg, ['intermediate_size'], f, 'inner');
  const layers = posInt(cfg, ['num_hidden_layers'], f, 'layers');
  const heads = posInt(cfg, ['num_attention_heads'], f, 'heads');
  const kvHeads = posInt(cfg, ['num_key_value_heads'], f, 'heads', heads);
  if (heads % kvHeads !== 0) {
    throw new UserFacingError(
      `config.json: num_attention_heads (${heads}) must be a multiple of num_key_value_heads (${kvHeads}).`,
    );
  }
  if (cfg.head_dim == null && h % heads !== 0) {
    throw new UserFacingError(
      `config.json: hidden_size (${h}) must be divisible by num_attention_heads (${heads}), or give head_dim.`,
    );
  }
  const headDim = posInt(cfg, ['head_dim'], f, 'hidden', h / heads);
  const ab = bool(cfg, 'attention_bias', false);
  const mb = bool(cfg, 'mlp_bias', false);
  const attn = [
    { path: 'self_attn.q_proj', dIn: h, dOut: heads * headDim, bias: ab || qkvBias },
    { path: 'self_attn.k_proj', dIn: h, dOut: kvHeads * headDim, bias: ab || qkvBias }, // GQA: fewer k/v heads
    { path: 'self_attn.v_proj', dIn: h, dOut: kvHeads * headDim, bias: ab || qkvBias },
    { path: 'self_attn.o_proj', dIn: heads * headDim, dOut: h, bias: ab },
  ];
  const mlp = [
    { path: 'mlp.gate_proj', dIn: h, dOut: inter, bias: mb },
    { path: 'mlp.up_proj', dIn: h, dOut: inter, bias: mb },
    { path: 'mlp.down_proj', dIn: inter, dOut: h, bias: mb },
  ];
  const tied = bool(cfg, 'tie_word_embeddings', false);
  const breakdown = [
    { part: tied ? 'token embeddings (tied with the LM head)' : 'token embeddings embed_tokens', params: vocab * h },
    { part: 'attention (q, k, v, o_proj) × layers', params: layers * sumLinear(attn) },
    { part: 'MLP (gate, up, down_proj) × layers', params: layers * sumLinear(mlp) },
    { part: 'RMSNorms (weight only)', params: layers * 2 * h + h },
  ];
  if (!tied) breakdown.push({ part: 'LM head lm_head (untied)', params: vocab * h });
  return finish('llama', cfg, layers, h, breakdown, blocks('model.layers', layers, [...attn, ...mlp]), [
    'q_proj',
    'v_proj',
  ]);
}

function finish(
  family: Family,
  cfg: Json,
  layers: number,
  hidden: number,
  breakdown: ModelArch['breakdown'],
  linears: LinearModule[],
  defaultTargets: string[],
): ModelArch {
  const base = breakdown.reduce((a, b) => a + b.params, 0);
  return { family, modelType: String(cfg.model_type), layers, hidden, base, breakdown, linears, defaultTargets };
}

const FAMILIES: Record<string, (cfg: Json) => ModelArch> = {
  gpt2,
  bloom,
  llama: (c) => llama(c),
  mistral: (c) => llama(c),
  qwen2: (c) => llama(c, true),
};

/**
 * Describe a model from its config.json object. Throws a UserFacingError naming the missing or
 * invalid field, or the unknown model_type.
 */
export function describeModel(config: unknown): ModelArch {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new UserFacingError('config.json must be a JSON object like {"model_type": "gpt2", …}.');
  }
  const cfg = config as Json;
  const mixup = wrongJsonMessage(cfg, 'model-config');
  if (mixup) throw new UserFacingError(`This is not a config.json: ${mixup}.`);
  const type = cfg.model_type;
  if (typeof type !== 'string')
    throw new UserFacingError(
      'config.json: "model_type" is missing; it says which architecture this is (e.g. "gpt2").',
    );
  const make = FAMILIES[type];
  if (!make) {
    throw new UserFacingError(
      `config.json: model_type "${type}" is not supported here; supported: ${Object.keys(FAMILIES)
        .map((k) => `"${k}"`)
        .join(', ')}.`,
    );
  }
  return make(cfg);
}

/** Parse pasted config.json text; a UserFacingError with the JSON error's position when it is not JSON. */
export function describeModelText(text: string): ModelArch {
  const asText = wrongTextMessage(text, 'config.json');
  if (asText) throw new UserFacingError(`This is not a config.json: ${asText}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UserFacingError(`This is not valid JSON: ${errorMessage(e)}`);
  }
  return describeModel(parsed);
}

/**
 * PEFT's list matching: a module is adapted when its full name equals an entry or ends with
 * "." + entry, so on GPT-2 "c_proj" hits both attn.c_proj and mlp.c_proj.
 */
export function matchesTarget(moduleName: string, targets: readonly string[]): boolean {
  return targets.some((t) => moduleName === t || moduleName.endsWith(`.${t}`));
}

export interface LoraCount {
  /** Σ r·(d_in + d_out) over the matched modules. */
  trainable: number;
  /** base + trainable (what PEFT calls "all params"). */
  all: number;
  base: number;
  /** Matched modules, in model order. */
  matched: LinearModule[];
  /** PEFT's print_trainable_parameters() line. */
  peftLine: string;
}

/** Trainable and total parameters for LoRA of rank r on `targets` (PEFT's list form). */
export function countLora(arch: ModelArch, targets: readonly string[], r: number): LoraCount {
  const matched = arch.linears.filter((m) => matchesTarget(m.name, targets));
  const trainable = matched.reduce((a, m) => a + r * (m.dIn + m.dOut), 0);
  const all = arch.base + trainable;
  return { trainable, all, base: arch.base, matched, peftLine: formatPeftLine(trainable, all) };
}

export interface TargetOption {
  /** The target_modules entry (a leaf name like "c_proj"). */
  entry: string;
  /** Each distinct per-layer module it hits, with shapes and how many layers. */
  hits: { path: string; dIn: number; dOut: number; count: number }[];
  /** LoRA parameters this entry adds at rank r = 1 (multiply by r). */
  perRank: number;
}

/** The target_modules entries offered for a model: one per distinct leaf name, in model order. */
export function targetOptions(arch: ModelArch): TargetOption[] {
  const byEntry = new Map<string, TargetOption>();
  for (const m of arch.linears) {
    const entry = m.path.slice(m.path.lastIndexOf('.') + 1);
    let opt = byEntry.get(entry);
    if (!opt) byEntry.set(entry, (opt = { entry, hits: [], perRank: 0 }));
    let hit = opt.hits.find((h) => h.path === m.path);
    if (!hit) opt.hits.push((hit = { path: m.path, dIn: m.dIn, dOut: m.dOut, count: 0 }));
    hit.count++;
    opt.perRank += m.dIn + m.dOut;
  }
  return [...byEntry.values()];
}

/**
 * Which base model an adapter was trained for, guessed from its module names alone (or from a
 * GGUF file's general.architecture), and whether this product can load that base: the engine's
 * model registry decides that (the `model_type`s it is keyed by, models/modelTypes.ts), not a
 * list kept here.
 */
import { MODEL_TYPES as SUPPORTED_MODEL_TYPES, isLoadableModelType as registered } from '../models/modelTypes';

export type FamilyId =
  | 'gpt2'
  | 'llama'
  | 'gpt-neox'
  | 'bloom'
  | 'opt'
  | 'bert'
  | 't5'
  | 'phi'
  | 'stable-diffusion'
  | 'stable-diffusion-xl'
  | 'unknown';

export interface FamilyGuess {
  id: FamilyId;
  label: string;
  /** The names (or metadata) that decided it. */
  evidence: string;
  loadable: boolean;
  /** Why it can or cannot be loaded here. */
  loadableWhy: string;
}

interface Rule {
  id: FamilyId;
  label: string;
  test: RegExp;
}

/** First match wins; the more specific names come first (OPT and Llama share q_proj). */
const RULES: Rule[] = [
  { id: 'stable-diffusion-xl', label: 'Stable Diffusion XL (UNet + two text encoders)', test: /^lora_te[12]_/ },
  {
    id: 'stable-diffusion',
    label: 'Stable Diffusion (UNet / CLIP text encoder)',
    test: /^lora_(unet|te)_|(down|up)_blocks[._]\d/,
  },
  { id: 'gpt2', label: 'GPT-2', test: /(^|\.)h\.\d+\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)$/ },
  {
    id: 'gpt-neox',
    label: 'GPT-NeoX (Pythia, GPT-J-style)',
    test: /gpt_neox\.layers\.\d+\.|\.attention\.query_key_value$/,
  },
  { id: 'bloom', label: 'BLOOM / Falcon', test: /\.self_attention\.(query_key_value|dense)$/ },
  { id: 'opt', label: 'OPT', test: /decoder\.layers\.\d+\.(self_attn\.(q|k|v|out)_proj|fc[12])$/ },
  { id: 'phi', label: 'Phi', test: /\.(self_attn\.qkv_proj|mlp\.gate_up_proj|mixer\.Wqkv|self_attn\.dense)$/ },
  {
    id: 'llama',
    label: 'Llama family (Llama, Mistral, Qwen2, SmolLM2, …)',
    test: /layers\.\d+\.(self_attn\.[qkvo]_proj|mlp\.(gate|up|down)_proj)$/,
  },
  {
    id: 'bert',
    label: 'BERT family (BERT, RoBERTa, …)',
    test: /\.layer\.\d+\.(attention\.(self\.(query|key|value)|output\.dense)|intermediate\.dense|output\.dense)$/,
  },
  { id: 't5', label: 'T5', test: /\.(SelfAttention|EncDecAttention)\.[qkvo]$|DenseReluDense\.w[io]/ },
];

/** GGUF general.architecture → family and the config.json model_type it corresponds to. */
const GGUF_ARCHS: Record<string, { id: FamilyId; modelType: string }> = {
  llama: { id: 'llama', modelType: 'llama' },
  mistral: { id: 'llama', modelType: 'mistral' },
  qwen2: { id: 'llama', modelType: 'qwen2' },
  qwen3: { id: 'llama', modelType: 'qwen3' },
  gemma: { id: 'llama', modelType: 'gemma' },
  gpt2: { id: 'gpt2', modelType: 'gpt2' },
  gptneox: { id: 'gpt-neox', modelType: 'gpt_neox' },
  bloom: { id: 'bloom', modelType: 'bloom' },
  falcon: { id: 'bloom', modelType: 'falcon' },
  bert: { id: 'bert', modelType: 'bert' },
  t5: { id: 't5', modelType: 't5' },
  phi2: { id: 'phi', modelType: 'phi' },
  phi3: { id: 'phi', modelType: 'phi3' },
};

/** The model_types a family's module names are shared by (one adapter's names cannot tell them apart). */
const FAMILY_MODEL_TYPES: Record<FamilyId, readonly string[]> = {
  gpt2: ['gpt2'],
  llama: ['llama', 'qwen2', 'mistral', 'qwen3', 'gemma'],
  'gpt-neox': ['gpt_neox', 'gptj'],
  bloom: ['bloom', 'falcon'],
  opt: ['opt'],
  bert: ['bert', 'roberta'],
  t5: ['t5'],
  phi: ['phi', 'phi3'],
  'stable-diffusion': [],
  'stable-diffusion-xl': [],
  unknown: [],
};

/** A base-model name (PEFT's base_model_name_or_path, mlx-lm's model) → the model_type it implies. */
const BASE_NAME_TYPES: [RegExp, string][] = [
  [/mi[sx]tral/i, 'mistral'],
  [/qwen-?3/i, 'qwen3'],
  [/qwen-?2|qwen1\.5/i, 'qwen2'],
  [/gemma/i, 'gemma'],
  [/llama|smollm|tinyllama/i, 'llama'],
  [/pythia|gpt-?neox|gpt-?j/i, 'gpt_neox'],
  [/gpt2|distilgpt2/i, 'gpt2'],
];

const list = (ts: readonly string[]) => ts.join(', ');

/**
 * Whether the engine's registry loads the base: the model_type when the file says it (GGUF
 * architecture, a base-model name), else whether the family's module names are any registered type's.
 */
function loadability(id: FamilyId, modelType: string | null): Pick<FamilyGuess, 'loadable' | 'loadableWhy'> {
  if (id === 'stable-diffusion' || id === 'stable-diffusion-xl')
    return { loadable: false, loadableWhy: 'an image model: this product loads language models only' };
  const supported = `this product loads ${list(SUPPORTED_MODEL_TYPES)} bases`;
  if (modelType)
    return registered(modelType)
      ? { loadable: true, loadableWhy: `${modelType} bases load here (${supported})` }
      : { loadable: false, loadableWhy: `its base is a ${modelType} model; ${supported}` };
  if (id === 'unknown') return { loadable: false, loadableWhy: 'its module names match no family this product knows' };
  const types = FAMILY_MODEL_TYPES[id].filter(registered);
  if (types.length === 0) return { loadable: false, loadableWhy: supported };
  const others = FAMILY_MODEL_TYPES[id].filter((t) => !registered(t));
  return {
    loadable: true,
    loadableWhy:
      others.length > 0
        ? `bases with model_type ${list(types)} load here; ${list(others)} bases share these module names and do not`
        : `${list(types)} bases load here`,
  };
}

const LABELS: Record<FamilyId, string> = Object.fromEntries([
  ...RULES.map((r) => [r.id, r.label]),
  ['unknown', 'unknown'],
]) as Record<FamilyId, string>;

/**
 * Guess the base family from module names (HF names where known) or a GGUF architecture.
 * @param names module names, e.g. "transformer.h.0.attn.c_attn".
 * @param baseModel the base model's name when the files say it (e.g. "mistralai/Mistral-7B-v0.1"):
 *   it narrows a family whose names several model_types share.
 */
export function guessFamily(
  names: readonly string[],
  architecture: string | null = null,
  baseModel: string | null = null,
): FamilyGuess {
  if (architecture) {
    const arch = GGUF_ARCHS[architecture];
    const id = arch?.id ?? 'unknown';
    const label = id === 'unknown' ? `unknown (${architecture})` : LABELS[id];
    return {
      id,
      label,
      evidence: `general.architecture = "${architecture}"`,
      ...loadability(id, arch?.modelType ?? architecture),
    };
  }
  for (const rule of RULES) {
    const hit = names.find((n) => rule.test.test(n));
    if (!hit) continue;
    const named = baseModel ? BASE_NAME_TYPES.find(([re]) => re.test(baseModel))?.[1] : undefined;
    const modelType = named && FAMILY_MODEL_TYPES[rule.id].includes(named) ? named : null;
    const evidence = `module names like ${hit}${modelType ? `; base model ${baseModel}` : ''}`;
    return { id: rule.id, label: rule.label, evidence, ...loadability(rule.id, modelType) };
  }
  const example = names[0] ?? 'none';
  return {
    id: 'unknown',
    label: LABELS.unknown,
    evidence: `module names like ${example}`,
    ...loadability('unknown', null),
  };
}

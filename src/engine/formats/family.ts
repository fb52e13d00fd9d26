/**
 * Which base model an adapter was trained for, guessed from its module names alone (or from a
 * GGUF file's general.architecture), and whether this product can load that base.
 */

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

/** GGUF general.architecture → family (llama.cpp's LLM_ARCH names). */
const GGUF_ARCHS: Record<string, FamilyId> = {
  llama: 'llama',
  qwen2: 'llama',
  qwen3: 'llama',
  gpt2: 'gpt2',
  gptneox: 'gpt-neox',
  bloom: 'bloom',
  falcon: 'bloom',
  bert: 'bert',
  t5: 't5',
  phi2: 'phi',
  phi3: 'phi',
};

/** GGUF architectures of the Llama family this product's loader handles. */
const LOADABLE_LLAMA_ARCHS = new Set(['llama', 'qwen2']);

function loadability(id: FamilyId, architecture: string | null): Pick<FamilyGuess, 'loadable' | 'loadableWhy'> {
  if (id === 'gpt2') return { loadable: true, loadableWhy: 'GPT-2 bases load on the Train and Adapters pages' };
  if (id === 'llama') {
    if (architecture && !LOADABLE_LLAMA_ARCHS.has(architecture))
      return { loadable: false, loadableWhy: `the loader handles llama and qwen2, not ${architecture}` };
    return { loadable: true, loadableWhy: 'Llama-family bases (llama, qwen2 module names) load here' };
  }
  if (id === 'stable-diffusion' || id === 'stable-diffusion-xl')
    return { loadable: false, loadableWhy: 'an image model: this product loads language models only' };
  if (id === 'unknown') return { loadable: false, loadableWhy: 'its module names match no family this product knows' };
  return { loadable: false, loadableWhy: 'this product loads GPT-2 and Llama-family language models only' };
}

const LABELS: Record<FamilyId, string> = Object.fromEntries([
  ...RULES.map((r) => [r.id, r.label]),
  ['unknown', 'unknown'],
]) as Record<FamilyId, string>;

/**
 * Guess the base family from module names (HF names where known) or a GGUF architecture.
 * @param names module names, e.g. "transformer.h.0.attn.c_attn".
 */
export function guessFamily(names: readonly string[], architecture: string | null = null): FamilyGuess {
  if (architecture) {
    const id = GGUF_ARCHS[architecture] ?? 'unknown';
    const label = id === 'unknown' ? `unknown (${architecture})` : LABELS[id];
    return { id, label, evidence: `general.architecture = "${architecture}"`, ...loadability(id, architecture) };
  }
  for (const rule of RULES) {
    const hit = names.find((n) => rule.test.test(n));
    if (hit)
      return { id: rule.id, label: rule.label, evidence: `module names like ${hit}`, ...loadability(rule.id, null) };
  }
  const example = names[0] ?? 'none';
  return {
    id: 'unknown',
    label: LABELS.unknown,
    evidence: `module names like ${example}`,
    ...loadability('unknown', null),
  };
}

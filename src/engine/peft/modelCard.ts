/** The README.md model card that goes with an exported adapter. */
import type { AdapterWeights } from '../lora/types';

export interface ModelCardInfo {
  baseModelName: string;
  taskType: 'CAUSAL_LM' | null;
  dataset?: string;
  steps?: number;
  /** Validation loss (nats/token) at the end of training. */
  finalLoss?: number;
  /** The adapter's folder name: what the Python passes to PeftModel.from_pretrained. */
  adapterFolder?: string;
  /**
   * A local folder that holds the base model (config.json, model.safetensors, tokenizer.json),
   * next to the adapter's folder, when the base is not on the Hugging Face Hub (lowrank's own
   * base, downloaded with the adapter). Without it the base is loaded by `baseModelName`.
   */
  baseFolder?: string;
  /** The base was downloaded from the Hugging Face Hub: `baseModelName` is its repo id. */
  fromHub?: boolean;
  /** The base's Hub revision when pinned (not main): the Python loads the base at it. */
  revision?: string;
}

/** Trainable parameters of the adapter: Σ r·(d_in + d_out). */
export function adapterParamCount(adapter: AdapterWeights): number {
  let n = 0;
  for (const m of adapter.modules.values()) n += m.A.data.length + m.B.data.length;
  return n;
}

/** Python string literal for a name that may contain quotes or backslashes. */
const py = (s: string): string => JSON.stringify(s);

/**
 * A Hugging Face style model card: YAML front matter, what the adapter is, how it was trained,
 * and a snippet that loads it with transformers + PEFT.
 */
export function modelCard(adapter: AdapterWeights, info: ModelCardInfo): string {
  const c = adapter.config;
  const targets = typeof c.target_modules === 'string' ? c.target_modules : c.target_modules.join(', ');
  const ranks = [...new Set([...adapter.modules.values()].map((m) => m.r))].sort((a, b) => a - b).join(', ');
  const rows: [string, string][] = [
    ['Base model', `\`${info.baseModelName}\``],
    ['Data', info.dataset ?? 'not recorded'],
    ['Training steps', info.steps !== undefined ? String(info.steps) : 'not recorded'],
    [
      'Validation loss at the end (nats/token)',
      info.finalLoss !== undefined ? info.finalLoss.toFixed(4) : 'not recorded',
    ],
    ['Rank r', ranks || String(c.r)],
    ['lora_alpha', String(c.lora_alpha)],
    ['Scaling', c.use_rslora ? 'α/√r (rsLoRA)' : 'α/r'],
    ['Target modules', `${targets} (${adapter.modules.size} layers)`],
    ['Trainable parameters', adapterParamCount(adapter).toLocaleString('en-US')],
  ];
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)].join('\n');
  const load =
    info.taskType === 'CAUSAL_LM'
      ? pythonLoader(info)
      : [
          'This adapter belongs to a model that is not a transformers language model; its tensors follow',
          "PEFT's layout (`base_model.model.<module>.lora_A.weight` [r, d_in], `lora_B.weight` [d_out, r]).",
        ];
  return [
    '---',
    `base_model: ${py(info.baseModelName)}`,
    'library_name: peft',
    'tags:',
    '- lora',
    '- lowrank',
    '---',
    '',
    `# LoRA adapter for ${info.baseModelName}`,
    '',
    'Trained in the browser with lowrank. Only the low-rank factors A and B were trained; the base',
    'model stays frozen, and this folder holds just the adapter.',
    '',
    table,
    '',
    '## Load it with transformers + PEFT',
    '',
    ...load,
    '',
    ...afterLoader(info),
    '',
  ].join('\n');
}

/**
 * The Python that loads base + adapter with transformers and PEFT and generates from a prompt.
 * Only input_ids go to generate: GPT-2 would add a token-type embedding for token_type_ids.
 */
export function pythonLoader(info: ModelCardInfo): string[] {
  const adapter = py(info.adapterFolder ?? 'path/to/this/folder');
  const local = info.baseFolder !== undefined;
  const base = py(info.baseFolder ?? info.baseModelName);
  if (info.fromHub && !local) return hubLoader(info, adapter);
  return [
    '```python',
    local
      ? 'from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast'
      : 'from transformers import AutoModelForCausalLM, AutoTokenizer',
    'from peft import PeftModel',
    '',
    `base = AutoModelForCausalLM.from_pretrained(${base})`,
    local
      ? `tokenizer = PreTrainedTokenizerFast(tokenizer_file=${py(`${info.baseFolder}/tokenizer.json`)}, eos_token="<|endoftext|>")`
      : `tokenizer = AutoTokenizer.from_pretrained(${base})`,
    `model = PeftModel.from_pretrained(base, ${adapter})`,
    'model.eval()',
    '',
    '# Training saw each text after <|endoftext|>, so a new text starts with it too (as in lowrank).',
    'input_ids = tokenizer(tokenizer.eos_token + "The", return_tensors="pt").input_ids',
    'output = model.generate(input_ids=input_ids, max_new_tokens=20, do_sample=False)',
    'print(tokenizer.decode(output[0], skip_special_tokens=True))',
    '',
    '# Optional: fold ΔW = s·B·A into the base weights for plain inference.',
    'merged = model.merge_and_unload()',
    '```',
  ];
}

/** Where the base comes from, said under the Python. */
function afterLoader(info: ModelCardInfo): string[] {
  if (info.fromHub && info.baseFolder === undefined) {
    return [
      `The base is ${info.baseModelName} on the Hugging Face Hub${info.revision ? ` at revision ${info.revision}` : ''}: transformers downloads it by that id, and \`adapter_config.json\` names it the same way (\`base_model_name_or_path\`${info.revision ? ' and `revision`' : ''}), so \`AutoPeftModelForCausalLM.from_pretrained(${py(info.adapterFolder ?? 'path/to/this/folder')})\` works too.`,
    ];
  }
  if (info.baseFolder) {
    return [
      `The base is not on the Hugging Face Hub, so export it too: lowrank's "Download base + adapter together" puts it in \`${info.baseFolder}\` beside \`${info.adapterFolder ?? 'this adapter'}\` (or use "Export base model"). Run the Python in the folder that holds both.`,
    ];
  }
  return ['If the base was exported from lowrank too, pass the path of that folder as the base model.'];
}

/**
 * A base from the Hub, by its repo id: the adapter on top of it in one line,
 * `PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained("<id>"), "<folder>")`
 * (with `revision=` when the base was pinned), then the same greedy sample as for a local base.
 */
function hubLoader(info: ModelCardInfo, adapter: string): string[] {
  const id = py(info.baseModelName);
  const at = info.revision ? `, revision=${py(info.revision)}` : '';
  return [
    '```python',
    'from transformers import AutoModelForCausalLM, AutoTokenizer',
    'from peft import PeftModel',
    '',
    `model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(${id}${at}), ${adapter})`,
    `tokenizer = AutoTokenizer.from_pretrained(${id}${at})`,
    'model.eval()',
    '',
    '# Training saw each text after <|endoftext|>, so a new text starts with it too (as in lowrank).',
    'input_ids = tokenizer(tokenizer.eos_token + "The", return_tensors="pt").input_ids',
    'output = model.generate(input_ids=input_ids, max_new_tokens=20, do_sample=False)',
    'print(tokenizer.decode(output[0], skip_special_tokens=True))',
    '',
    '# Optional: fold ΔW = s·B·A into the base weights for plain inference.',
    'merged = model.merge_and_unload()',
    '```',
  ];
}

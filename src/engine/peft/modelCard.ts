/** The README.md model card that goes with an exported adapter. */
import type { AdapterWeights } from '../lora/types';

export interface ModelCardInfo {
  baseModelName: string;
  taskType: 'CAUSAL_LM' | null;
  dataset?: string;
  steps?: number;
  finalLoss?: number;
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
    ['Final loss', info.finalLoss !== undefined ? info.finalLoss.toFixed(4) : 'not recorded'],
    ['Rank r', ranks || String(c.r)],
    ['lora_alpha', String(c.lora_alpha)],
    ['Scaling', c.use_rslora ? 'α/√r (rsLoRA)' : 'α/r'],
    ['Target modules', `${targets} (${adapter.modules.size} layers)`],
    ['Trainable parameters', adapterParamCount(adapter).toLocaleString('en-US')],
  ];
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)].join('\n');
  const load =
    info.taskType === 'CAUSAL_LM'
      ? [
          '```python',
          'from transformers import AutoModelForCausalLM',
          'from peft import PeftModel',
          '',
          `base = AutoModelForCausalLM.from_pretrained(${py(info.baseModelName)})`,
          'model = PeftModel.from_pretrained(base, "path/to/this/folder")',
          'model.eval()',
          '',
          '# Optional: fold ΔW = s·B·A into the base weights for plain inference.',
          'merged = model.merge_and_unload()',
          '```',
        ]
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
    'If the base was exported from lowrank too, pass the path of that folder as the base model.',
    '',
  ].join('\n');
}

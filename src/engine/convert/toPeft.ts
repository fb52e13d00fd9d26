/**
 * Any readable adapter of GPT-2 or the Llama family → a PEFT adapter folder with the same ΔW:
 * the factors are copied (MLX's lora_a/lora_b transposed into lora_A/lora_B, llama.cpp's q/k rows
 * put back in Hugging Face's order), and r, lora_alpha are chosen so PEFT's α/r is the scaling
 * the source format applied. A PEFT source is rewritten with PEFT's own key names.
 */
import { exportAdapter, type AdapterFiles } from '../peft/exportAdapter';
import { FORMAT_LABELS, type AdapterModule, type ParsedAdapter } from '../formats/types';
import { guessFamily } from '../formats/family';
import { GGUF_CONVERTIBLE_ARCHS } from '../formats/names';
import { short } from '../formats/factors';
import { DEFAULT_LORA_CONFIG, type AdapterWeights, type LoraConfig, type LoraModuleWeights } from '../lora/types';
import { UserFacingError } from '../types';
import { convertedCard, convertibleFamily, exactAlpha, linearModules, refuseNonLora, targetPaths } from './common';

export interface ToPeftOptions {
  /** num_attention_heads of the base: needed to undo llama.cpp's q/k row order (GGUF, llama). */
  heads?: number;
}

export interface PeftConversion {
  adapter: AdapterWeights;
  files: AdapterFiles;
  baseModelName: string;
  /** What was changed or left out, for the user. */
  notes: string[];
}

const mode = (values: number[]): number => {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
};

/**
 * The inverse of convert_hf_to_gguf.py's LlamaModel.permute on B's rows: within each head,
 * llama.cpp interleaves the two rotary halves (row h·hd + 2i + j holds HF row h·hd + j·hd/2 + i).
 */
export function unpermuteLlamaRows(B: Float32Array, dOut: number, r: number, heads: number): Float32Array {
  const hd = dOut / heads;
  const out = new Float32Array(B.length);
  for (let h = 0; h < heads; h++)
    for (let i = 0; i < hd / 2; i++)
      for (let j = 0; j < 2; j++) {
        const hf = h * hd + j * (hd / 2) + i;
        const gg = h * hd + 2 * i + j;
        out.set(B.subarray(gg * r, gg * r + r), hf * r);
      }
  return out;
}

/** llama.cpp's llama architecture stores q_proj / k_proj rows permuted; qwen2 does not. */
function ggufRows(mods: AdapterModule[], parsed: ParsedAdapter, opts: ToPeftOptions, notes: string[]): AdapterModule[] {
  if (parsed.architecture !== 'llama') return mods;
  const qk = mods.filter((m) => /self_attn\.[qk]_proj$/.test(m.name));
  if (qk.length === 0) return mods;
  const heads = opts.heads;
  if (!heads || !Number.isInteger(heads) || heads <= 0)
    throw new UserFacingError(
      "converting llama.cpp's attn_q / attn_k needs the base model's number of attention heads (num_attention_heads in its config.json): llama.cpp keeps their rows in its own rotary order",
    );
  const q = qk.find((m) => m.name.endsWith('q_proj'));
  // head_dim from q_proj's height when present, else from the hidden size (k_proj's width).
  const headDim = q ? q.B.shape[0] / heads : qk[0].A.shape[1] / heads;
  if (!Number.isInteger(headDim) || headDim % 2 !== 0)
    throw new UserFacingError(`${heads} attention heads do not divide ${short(qk[0].name, 60)} into even-sized heads`);
  notes.push(
    `q_proj / k_proj rows were put back from llama.cpp's rotary order into Hugging Face's (${heads} heads of ${headDim})`,
  );
  return mods.map((m) => {
    if (!/self_attn\.[qk]_proj$/.test(m.name)) return m;
    const dOut = m.B.shape[0];
    if (dOut % headDim !== 0)
      throw new UserFacingError(`${short(m.name, 60)}: ${dOut} rows are not a whole number of ${headDim}-wide heads`);
    return { ...m, B: { shape: m.B.shape, data: unpermuteLlamaRows(m.B.data, dOut, m.r, dOut / headDim) } };
  });
}

/**
 * Converts a parsed adapter to PEFT files (adapter_model.safetensors, adapter_config.json, README.md).
 * @throws UserFacingError for formats, families or contents that cannot be converted exactly.
 */
export function toPeft(parsed: ParsedAdapter, opts: ToPeftOptions = {}): PeftConversion {
  refuseNonLora(parsed);
  const notes: string[] = [];
  if (parsed.format === 'kohya')
    throw new UserFacingError(
      'kohya / diffusers Stable Diffusion LoRAs are not converted: this product handles language models',
    );
  if (parsed.format === 'gguf' && !GGUF_CONVERTIBLE_ARCHS.has(parsed.architecture ?? ''))
    throw new UserFacingError(
      `GGUF → PEFT converts the Llama family (general.architecture "llama" or "qwen2"); this file says "${short(parsed.architecture ?? 'nothing', 30)}"`,
    );
  const family =
    parsed.format === 'peft'
      ? guessFamily(
          parsed.modules.map((m) => m.name),
          null,
        )
      : convertibleFamily(parsed, 'PEFT');
  let mods = linearModules(parsed, notes);
  if (parsed.format === 'gguf') {
    const unmapped = mods.filter((m) => m.name === m.key);
    if (unmapped.length > 0)
      throw new UserFacingError(`no Hugging Face name is known for GGUF tensor ${short(unmapped[0].key, 60)}`);
    mods = ggufRows(mods, parsed, opts, notes);
  }
  // PEFT sources keep their config's α and rsLoRA when it agrees with the tensors.
  const c = parsed.peft;
  const keep = parsed.format === 'peft' && c !== null && parsed.lints.every((l) => l.id !== 'rank-mismatch');
  const modules = new Map<string, LoraModuleWeights>();
  let approximate = 0;
  for (const m of mods) {
    let alpha = m.alpha ?? m.r;
    if (!(keep && m.alpha !== null)) {
      const a = exactAlpha(m.scaling, m.r);
      alpha = a.alpha;
      if (!a.exact) approximate++;
    }
    modules.set(m.name, { A: m.A, B: m.B, r: m.r, alpha, scaling: m.scaling });
  }
  if (approximate > 0)
    notes.push(
      `${approximate} module(s): no double α gives α/r equal to the scale exactly; it is off by 1 ulp (≈ 1e-16 relative)`,
    );
  // GPT-2's Conv1D layers need fan_in_fan_out; nn.Linear families must not have it.
  const fanInFanOut = family.id === 'gpt2' ? true : family.id === 'unknown' ? (c?.fan_in_fan_out ?? false) : false;
  if (c && c.fan_in_fan_out !== fanInFanOut)
    notes.push(`fan_in_fan_out was corrected to ${fanInFanOut} for ${family.label}`);
  const ranks = [...modules.values()].map((m) => m.r);
  const alphas = [...modules.values()].map((m) => m.alpha);
  const config: LoraConfig = {
    ...structuredClone(DEFAULT_LORA_CONFIG),
    r: mode(ranks),
    lora_alpha: mode(alphas),
    use_rslora: keep && c ? c.use_rslora : false,
    fan_in_fan_out: fanInFanOut,
    target_modules: keep && c && Array.isArray(c.target_modules) ? c.target_modules : targetPaths([...modules.keys()]),
    rank_pattern: {},
    alpha_pattern: {},
  };
  const adapter: AdapterWeights = { config, modules };
  const baseModelName = parsed.baseModel ?? 'unknown';
  if (!parsed.baseModel)
    notes.push(
      'base_model_name_or_path is unknown: set it in adapter_config.json before loading with PEFT or llama.cpp',
    );
  if (parsed.format === 'peft' && parsed.taskType && parsed.taskType !== 'CAUSAL_LM')
    notes.push(
      `task_type ${short(parsed.taskType, 20)} and any task head are not carried over (only the LoRA factors are)`,
    );
  if (parsed.extras.length > 0) notes.push(`${parsed.extras.length} tensor(s) that are not LoRA factors were left out`);
  const otherTask = parsed.format === 'peft' && parsed.taskType !== null && parsed.taskType !== 'CAUSAL_LM';
  const files = exportAdapter(adapter, { baseModelName, taskType: otherTask ? null : 'CAUSAL_LM' });
  files['README.md'] = convertedCard(adapter, FORMAT_LABELS[parsed.format], baseModelName, notes);
  return { adapter, files, baseModelName, notes };
}

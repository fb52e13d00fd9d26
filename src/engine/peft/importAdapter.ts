/**
 * Reads a PEFT LoRA adapter (adapter_model.safetensors + adapter_config.json) and checks it
 * against the loaded base before anything is used. Every problem becomes one UserFacingError
 * that says what does not fit; ignorable extras become warnings. Inputs are never modified.
 */
import { deltaWBound, maxSafeDelta, SCALING_WARN_ABOVE } from '../lora/deltaBound';
import {
  checkedScaling,
  matchesTarget,
  patternValue,
  targetVerdict,
  type LayerFilters,
  type TargetVerdict,
} from '../lora/match';
import type { AdapterWeights, LoraConfig, LoraModuleWeights } from '../lora/types';
import { readSafetensors, type SafetensorsFile } from '../safetensors';
import { UserFacingError, errorMessage, type HostTensor } from '../types';
import { unzipFiles } from '../zip';
import { readAdapterConfig } from './adapterConfig';
import { parseJsonObject } from './json';
import { CONFIG, locateAdapterFiles, WEIGHTS } from './locateFiles';

export interface AdapterImportBase {
  /** Every adaptable module of the loaded base by full name, with its Linear shape. */
  modules: Map<string, { dIn: number; dOut: number }>;
  /** e.g. "gpt2", "llama" or "mlp": used in messages. */
  modelType: string;
  /**
   * What the base's layers are (the registry's): true for GPT-2's Conv1D, false for nn.Linear. Default:
   * modelType is gpt2.
   */
  fanInFanOut?: boolean;
  /** The base's PEFT task type; absent: "CAUSAL_LM" for a language model family, else none. */
  taskType?: string | null;
}

export interface ImportedAdapter {
  adapter: AdapterWeights;
  warnings: string[];
  baseModelName: string | null;
  taskType: string | null;
}

const LORA_KEY = /^(base_model\.model\.)?(.+)\.lora_([AB])\.weight$/;
const LANGUAGE_MODELS = new Set(['gpt2', 'llama', 'qwen2', 'mistral', 'bloom']);
const TASKS: Record<string, string> = {
  SEQ_CLS: 'sequence classification',
  TOKEN_CLS: 'token classification',
  QUESTION_ANS: 'question answering',
  SEQ_2_SEQ_LM: 'sequence-to-sequence LM',
  FEATURE_EXTRACTION: 'feature extraction',
};

const shape = (t: HostTensor): string => `[${t.shape.join(', ')}]`;
const short = (s: string): string => (s.length > 100 ? `${s.slice(0, 100)}…` : s);

function readWeights(path: string, bytes: Uint8Array): SafetensorsFile {
  try {
    return readSafetensors(bytes);
  } catch (e) {
    if (e instanceof UserFacingError) {
      throw new UserFacingError(
        `${short(path)} is not a valid safetensors file: ${e.message.replace(/^Invalid safetensors file: /, '')}`,
      );
    }
    throw e;
  }
}

function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

function summarize(problems: string[]): string {
  if (problems.length === 1) return problems[0];
  const head = problems
    .slice(0, 4)
    .map((p, i) => `(${i + 1}) ${p}`)
    .join('; ');
  return `${problems.length} problems: ${head}${problems.length > 4 ? `; and ${problems.length - 4} more` : ''}`;
}

/**
 * Imports a PEFT LoRA adapter onto a base.
 * @param files path → bytes: the two files, a folder's files (any prefix), or an unzipped archive.
 * @returns the adapter (A [r, d_in], B [d_out, r] as F32 per module, r/α/scaling from the config)
 *   and warnings about what was ignored.
 * @throws UserFacingError naming every tensor or field that does not fit the base.
 */
export function importAdapter(files: Map<string, Uint8Array>, base: AdapterImportBase): ImportedAdapter {
  const located = locateAdapterFiles(files);
  const warnings = [...located.warnings];
  const parsed = readAdapterConfig(parseJsonObject(located.config.bytes, CONFIG));
  warnings.push(...parsed.warnings);
  const { tensors } = readWeights(located.weights.path, located.weights.bytes);

  const pairs = new Map<string, { A?: HostTensor; B?: HostTensor; keyA?: string; keyB?: string }>();
  const ignored: string[] = [];
  const problems: string[] = [];
  let unprefixed = false;
  for (const [key, t] of tensors) {
    const m = LORA_KEY.exec(key);
    if (!m) {
      ignored.push(key);
      continue;
    }
    if (!m[1]) unprefixed = true;
    const entry = pairs.get(m[2]) ?? {};
    const plain: HostTensor = { shape: t.shape, data: t.data }; // drop the stored dtype
    const earlier = m[3] === 'A' ? entry.keyA : entry.keyB;
    if (earlier !== undefined) {
      // e.g. "base_model.model.X.lora_B.weight" and "X.lora_B.weight": which one PEFT would use is unclear
      problems.push(`two tensors are lora_${m[3]} of ${short(m[2])}: ${short(earlier)} and ${short(key)}; keep one`);
      continue;
    }
    if (m[3] === 'A') Object.assign(entry, { A: plain, keyA: key });
    else Object.assign(entry, { B: plain, keyB: key });
    pairs.set(m[2], entry);
  }
  if (ignored.length > 0) {
    const shown = ignored.slice(0, 4).map(short).join(', ');
    warnings.push(
      `Ignored ${ignored.length} tensor${ignored.length > 1 ? 's' : ''} that ${ignored.length > 1 ? 'are' : 'is'} not lora_A/lora_B of a linear layer (${shown}${ignored.length > 4 ? ', …' : ''}): classifier heads, modules_to_save copies and embedding adapters are not applied`,
    );
  }
  if (unprefixed)
    warnings.push(`Some tensor names lack PEFT's "base_model.model." prefix; they were matched by module path`);
  if (pairs.size === 0)
    throw new UserFacingError(`${WEIGHTS} has no LoRA tensors (names ending in .lora_A.weight / .lora_B.weight)`);

  const c = parsed.config;
  const target_modules = c.target_modules ?? [...new Set([...pairs.keys()].map((n) => n.split('.').pop() as string))];
  const filters: LayerFilters = { ...c, modules_to_save: parsed.modulesToSave };
  const left: { name: string; why: TargetVerdict }[] = [];
  const missing: string[] = [];
  const modules = new Map<string, LoraModuleWeights>();
  const loud: string[] = [];
  for (const [module, { A, B, keyA, keyB }] of pairs) {
    if (!A || !B) {
      problems.push(`${short(module)} has ${A ? 'lora_A but no lora_B' : 'lora_B but no lora_A'}`);
      continue;
    }
    const target = base.modules.get(module);
    if (!target) {
      missing.push(short(module));
      continue;
    }
    const verdict = targetVerdict(module, target_modules, filters);
    if (verdict === 'excluded' || verdict === 'other-layer') {
      left.push({ name: module, why: verdict }); // PEFT adds no adapter there: its tensors go unused
      continue;
    }
    if (A.shape.length !== 2 || B.shape.length !== 2) {
      problems.push(`${short(module)}: lora_A is ${shape(A)} and lora_B is ${shape(B)}; both must be matrices`);
      continue;
    }
    const r = A.shape[0];
    if (B.shape[1] !== r) {
      problems.push(`${short(module)}: lora_A has rank ${r} but lora_B has rank ${B.shape[1]}`);
      continue;
    }
    const different = '— this adapter was trained for a different model';
    if (A.shape[1] !== target.dIn)
      problems.push(`${short(module)}: lora_A is ${shape(A)}, base expects [${r}, ${target.dIn}] ${different}`);
    if (B.shape[0] !== target.dOut)
      problems.push(`${short(module)}: lora_B is ${shape(B)}, base expects [${target.dOut}, ${r}] ${different}`);
    if (A.shape[1] !== target.dIn || B.shape[0] !== target.dOut) continue;
    const configR = patternValue(module, c.rank_pattern, c.r);
    if (configR !== r) {
      problems.push(`${CONFIG} says r = ${configR} for ${short(module)}, but its tensors have rank ${r}`);
    }
    let finite = true;
    for (const [key, t] of [
      [keyA, A],
      [keyB, B],
    ] as [string, HostTensor][]) {
      const at = firstNonFinite(t.data);
      if (at >= 0) problems.push(`tensor ${short(key)} contains ${t.data[at]} at index ${at}`);
      finite &&= at < 0;
    }
    const alpha = patternValue(module, c.alpha_pattern, c.lora_alpha);
    let scaling: number;
    try {
      scaling = checkedScaling(short(module), alpha, r, c.use_rslora);
    } catch (e) {
      problems.push(errorMessage(e));
      continue;
    }
    const bound = finite ? deltaWBound(A, B, scaling) : 0;
    const limit = maxSafeDelta(target.dIn, target.dOut);
    if (bound > limit) {
      problems.push(
        `${short(module)}: its update ΔW = s·B·A can reach ${bound.toExponential(2)} (s = ${scaling.toPrecision(3)}), beyond ${limit.toExponential(2)}, where float32 overflows inside the model; lora_alpha or the tensors are wrong`,
      );
    }
    if (Math.abs(scaling) > SCALING_WARN_ABOVE) loud.push(`${short(module)} (s = ${scaling.toPrecision(3)})`);
    modules.set(module, { A, B, r, alpha, scaling });
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 4).join(', ');
    problems.unshift(
      `the base model (${base.modelType}) has no module ${shown}${missing.length > 4 ? ` and ${missing.length - 4} more` : ''} — this adapter was trained for a different model`,
    );
  }
  if (problems.length > 0) throw new UserFacingError(`Cannot load this adapter: ${summarize(problems)}`);
  if (loud.length > 0) {
    warnings.push(
      `The scaling α/r of ${loud.length} module(s) is above ${SCALING_WARN_ABOVE}, far outside what PEFT users set (e.g. ${loud[0]}): outputs may be dominated by the adapter`,
    );
  }

  if (left.length > 0) warnings.push(leftOutWarning(left, modules.size, filters));
  const untargeted = [...modules.keys()].filter((n) => !matchesTarget(n, target_modules));
  if (untargeted.length > 0) {
    warnings.push(
      `${untargeted.length} adapted module(s) are not covered by target_modules (e.g. ${short(untargeted[0])}); they were loaded anyway`,
    );
  }
  warnings.push(...taskWarnings(parsed.taskType, base));
  const conv1d = base.fanInFanOut ?? base.modelType === 'gpt2';
  if (conv1d && !c.fan_in_fan_out) {
    warnings.push(
      "fan_in_fan_out is false, but GPT-2's Conv1D layers store weights [d_in, d_out]; PEFT corrects this itself and the tensors load unchanged",
    );
  } else if (!conv1d && c.fan_in_fan_out && LANGUAGE_MODELS.has(base.modelType)) {
    warnings.push(
      `fan_in_fan_out is true, but ${base.modelType}'s nn.Linear layers store weights [d_out, d_in]; PEFT corrects this itself and the tensors load unchanged`,
    );
  }
  const config: LoraConfig = { ...c, target_modules };
  return { adapter: { config, modules }, warnings, baseModelName: parsed.baseModelName, taskType: parsed.taskType };
}

/**
 * The warning for modules PEFT would leave alone (exclude_modules, modules_to_save, or a block
 * outside layers_to_transform); refuses when nothing is left.
 */
function leftOutWarning(left: { name: string; why: TargetVerdict }[], kept: number, filters: LayerFilters): string {
  const byLayer = left.some((l) => l.why === 'other-layer');
  const why = byLayer
    ? `layers_to_transform is ${JSON.stringify(filters.layers_to_transform).slice(0, 60)}`
    : 'exclude_modules or modules_to_save names them';
  if (kept === 0) {
    throw new UserFacingError(
      `Cannot load this adapter: PEFT would apply none of its tensors (${why}; e.g. ${short(left[0].name)})`,
    );
  }
  return `${left.length} module(s) in ${WEIGHTS} were left out, as PEFT would (${why}): e.g. ${short(left[0].name)}`;
}

/** A warning when the adapter was trained for another task than the base does (its head is not applied). */
function taskWarnings(taskType: string | null, base: AdapterImportBase): string[] {
  const baseTask =
    base.taskType !== undefined ? base.taskType : LANGUAGE_MODELS.has(base.modelType) ? 'CAUSAL_LM' : null;
  if (taskType === null || baseTask === null || taskType === baseTask) return [];
  const what = TASKS[taskType] ? `${taskType} (${TASKS[taskType]})` : JSON.stringify(taskType.slice(0, 40));
  return [
    `task_type is ${what}, but the base is a ${baseTask === 'CAUSAL_LM' ? 'causal language model (CAUSAL_LM)' : baseTask}: only the LoRA updates of its linear layers are applied; its task head (e.g. score) is not`,
  ];
}

/** importAdapter for a .zip holding the adapter files (any folder prefix). */
export function importAdapterZip(zip: Uint8Array, base: AdapterImportBase): ImportedAdapter {
  return importAdapter(unzipFiles(zip), base);
}

/**
 * Reads a PEFT LoRA adapter (adapter_model.safetensors + adapter_config.json) and checks it
 * against the loaded base before anything is used. Every problem becomes one UserFacingError
 * that says what does not fit; ignorable extras become warnings. Inputs are never modified.
 */
import { matchesTarget, patternValue } from '../lora/match';
import type { AdapterWeights, LoraConfig, LoraModuleWeights } from '../lora/types';
import { readSafetensors, type SafetensorsFile } from '../safetensors';
import { UserFacingError, type HostTensor } from '../types';
import { unzipFiles } from '../zip';
import { readAdapterConfig } from './adapterConfig';
import { parseJsonObject } from './json';

export interface AdapterImportBase {
  /** Every adaptable module of the loaded base by full name, with its Linear shape. */
  modules: Map<string, { dIn: number; dOut: number }>;
  /** e.g. "gpt2" or "mlp": used in messages and to judge fan_in_fan_out. */
  modelType: string;
}

export interface ImportedAdapter {
  adapter: AdapterWeights;
  warnings: string[];
  baseModelName: string | null;
  taskType: string | null;
}

const WEIGHTS = 'adapter_model.safetensors';
const CONFIG = 'adapter_config.json';
const PICKLE = 'adapter_model.bin';
const LORA_KEY = /^(base_model\.model\.)?(.+)\.lora_([AB])\.weight$/;

const shape = (t: HostTensor): string => `[${t.shape.join(', ')}]`;
const short = (s: string): string => (s.length > 100 ? `${s.slice(0, 100)}…` : s);

/** Finds each adapter file by its base name, wherever the folder prefix puts it. */
function locate(files: Map<string, Uint8Array>): Map<string, { path: string; bytes: Uint8Array }> {
  const found = new Map<string, { path: string; bytes: Uint8Array }>();
  for (const [path, bytes] of files) {
    const parts = path.replace(/\\/g, '/').split('/');
    const base = parts[parts.length - 1];
    if (parts.includes('__MACOSX') || base.startsWith('._')) continue; // Finder's resource forks
    if (base !== WEIGHTS && base !== CONFIG && base !== PICKLE) continue;
    const previous = found.get(base);
    if (previous) {
      throw new UserFacingError(
        `Found two ${base} files (${short(previous.path)} and ${short(path)}): import one adapter at a time`,
      );
    }
    found.set(base, { path, bytes });
  }
  return found;
}

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
  const found = locate(files);
  const weightsFile = found.get(WEIGHTS);
  const configFile = found.get(CONFIG);
  const warnings: string[] = [];
  if (!weightsFile) {
    if (found.has(PICKLE)) {
      throw new UserFacingError(`${PICKLE} is a PyTorch pickle: convert to safetensors (never unpickled here)`);
    }
    throw new UserFacingError(`${WEIGHTS} is missing: a PEFT adapter needs ${WEIGHTS} and ${CONFIG}`);
  }
  if (found.has(PICKLE)) warnings.push(`${PICKLE} (a PyTorch pickle) was ignored; ${WEIGHTS} was used`);
  if (!configFile)
    throw new UserFacingError(
      `${CONFIG} is missing: it holds r and lora_alpha, without which the adapter's scale is unknown`,
    );

  const parsed = readAdapterConfig(parseJsonObject(configFile.bytes, CONFIG));
  warnings.push(...parsed.warnings);
  const { tensors } = readWeights(weightsFile.path, weightsFile.bytes);

  const pairs = new Map<string, { A?: HostTensor; B?: HostTensor; keyA?: string; keyB?: string }>();
  const ignored: string[] = [];
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
  const problems: string[] = [];
  const missing: string[] = [];
  const modules = new Map<string, LoraModuleWeights>();
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
    const configR = patternValue(module, c.rank_pattern, c.r);
    if (configR !== r) {
      problems.push(`${CONFIG} says r = ${configR} for ${short(module)}, but its tensors have rank ${r}`);
    }
    for (const [key, t] of [
      [keyA, A],
      [keyB, B],
    ] as [string, HostTensor][]) {
      const at = firstNonFinite(t.data);
      if (at >= 0) problems.push(`tensor ${short(key)} contains ${t.data[at]} at index ${at}`);
    }
    const alpha = patternValue(module, c.alpha_pattern, c.lora_alpha);
    modules.set(module, { A, B, r, alpha, scaling: c.use_rslora ? alpha / Math.sqrt(r) : alpha / r });
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 4).join(', ');
    problems.unshift(
      `the base model (${base.modelType}) has no module ${shown}${missing.length > 4 ? ` and ${missing.length - 4} more` : ''} — this adapter was trained for a different model`,
    );
  }
  if (problems.length > 0) throw new UserFacingError(`Cannot load this adapter: ${summarize(problems)}`);

  const target_modules = c.target_modules ?? [...new Set([...modules.keys()].map((n) => n.split('.').pop() as string))];
  const untargeted = [...modules.keys()].filter((n) => !matchesTarget(n, target_modules));
  if (untargeted.length > 0) {
    warnings.push(
      `${untargeted.length} adapted module(s) are not covered by target_modules (e.g. ${short(untargeted[0])}); they were loaded anyway`,
    );
  }
  if (base.modelType === 'gpt2' && !c.fan_in_fan_out) {
    warnings.push(
      "fan_in_fan_out is false, but GPT-2's Conv1D layers store weights [d_in, d_out]; PEFT corrects this itself and the tensors load unchanged",
    );
  }
  const config: LoraConfig = { ...c, target_modules };
  return { adapter: { config, modules }, warnings, baseModelName: parsed.baseModelName, taskType: parsed.taskType };
}

/** importAdapter for a .zip holding the adapter files (any folder prefix). */
export function importAdapterZip(zip: Uint8Array, base: AdapterImportBase): ImportedAdapter {
  return importAdapter(unzipFiles(zip), base);
}

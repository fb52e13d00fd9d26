/**
 * `adapter_config.json`: written with only the keys old PEFT versions accept (unknown keys crash
 * them), read leniently (newer PEFT writes many more keys) but with every used field type-checked.
 */
import { checkTargetRules, keyTable, moduleScaling, MAX_LIST_ENTRIES, type LayerFilters } from '../lora/match';
import { isSimplePattern } from '../lora/pattern';
import type { AdapterWeights, InitLoraWeights, LoraConfig } from '../lora/types';
import { DEFAULT_LORA_CONFIG } from '../lora/types';
import { UserFacingError } from '../types';
import { wrongJsonMessage } from '../fileKind';
import { brief, isRecord } from './json';

/** The keys this app writes: exactly those old PEFT versions accept (lora-reference §3). */
export const PEFT_CONFIG_KEYS = [
  'alpha_pattern',
  'base_model_name_or_path',
  'bias',
  'fan_in_fan_out',
  'inference_mode',
  'init_lora_weights',
  'layers_pattern',
  'layers_to_transform',
  'lora_alpha',
  'lora_dropout',
  'modules_to_save',
  'peft_type',
  'r',
  'rank_pattern',
  'revision',
  'target_modules',
  'task_type',
  'use_dora',
  'use_rslora',
] as const;

/** Keys newer PEFT versions write that do not change how a plain LoRA adapter is applied. */
const NEWER_PEFT_KEYS = new Set([
  'auto_mapping',
  'megatron_config',
  'megatron_core',
  'loftq_config',
  'layer_replication',
  'eva_config',
  'corda_config',
  'exclude_modules',
  'lora_bias',
  'runtime_config',
  'use_qalora',
  'qalora_group_size',
  'trainable_token_indices',
  'target_parameters',
  'peft_version',
  'ensure_weight_tying',
  'arrow_config',
  'alora_invocation_tokens',
  'lora_ga_config', // initialisation only: the stored factors apply as plain LoRA
  'velora_config', // changes only the backward pass
  'monteclora_config', // refused below when set
  'use_bdlora', // refused below when set
]);

const FILE = 'adapter_config.json';

export interface AdapterFileInfo {
  baseModelName: string;
  taskType: 'CAUSAL_LM' | null;
  /** A local base folder beside the adapter (see ModelCardInfo.baseFolder). */
  baseFolder?: string;
  /** The base's Hub revision when pinned (a branch other than main, a tag or a commit): PEFT's `revision`. */
  revision?: string;
}

/** Escapes a module name so that, as a PEFT pattern key, it matches that module only. */
const exactKey = (name: string): string => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Per-module overrides that reproduce every module's actual r and α. Keeps the config's own
 * patterns when they already do; otherwise lists each deviating module by its exact name, so
 * PEFT's first-match lookup cannot pick a broader key.
 */
function patternsFor(adapter: AdapterWeights): {
  rank_pattern: Record<string, number>;
  alpha_pattern: Record<string, number>;
} {
  const c = adapter.config;
  const consistent = [...adapter.modules].every(([name, m]) => {
    const s = moduleScaling(name, c);
    return s.r === m.r && s.alpha === m.alpha;
  });
  if (consistent) return { rank_pattern: { ...c.rank_pattern }, alpha_pattern: { ...c.alpha_pattern } };
  const rank_pattern: Record<string, number> = {};
  const alpha_pattern: Record<string, number> = {};
  for (const [name, m] of adapter.modules) {
    if (m.r !== c.r) rank_pattern[exactKey(name)] = m.r;
    if (m.alpha !== c.lora_alpha) alpha_pattern[exactKey(name)] = m.alpha;
  }
  return { rank_pattern, alpha_pattern };
}

/**
 * The adapter_config.json object (unsorted; the writer sorts). "all-linear" is written as the
 * list of adapted layer names, because old PEFT would read the string as a regex.
 */
export function buildAdapterConfig(adapter: AdapterWeights, info: AdapterFileInfo): Record<string, unknown> {
  const c = adapter.config;
  // Old PEFT has no exclude_modules: name the adapted modules one by one instead (exact names
  // match without any layer filter).
  const ex = c.exclude_modules;
  const excluding = ex !== null && ex !== undefined && ex.length > 0;
  const target_modules = excluding
    ? [...adapter.modules.keys()].sort()
    : c.target_modules === 'all-linear'
      ? [...new Set([...adapter.modules.keys()].map((n) => n.split('.').pop() as string))].sort()
      : Array.isArray(c.target_modules)
        ? [...c.target_modules]
        : c.target_modules;
  return {
    peft_type: 'LORA',
    task_type: info.taskType,
    // The folder beside the adapter when the base is not on the Hub (AutoPeftModel… loads it from there).
    base_model_name_or_path: info.baseFolder ?? info.baseModelName,
    revision: info.revision ?? null,
    inference_mode: true,
    r: c.r,
    lora_alpha: c.lora_alpha,
    lora_dropout: c.lora_dropout,
    target_modules,
    fan_in_fan_out: c.fan_in_fan_out,
    bias: 'none',
    modules_to_save: null,
    init_lora_weights: c.init_lora_weights,
    layers_to_transform: excluding ? null : (c.layers_to_transform ?? null),
    layers_pattern: excluding ? null : (c.layers_pattern ?? null),
    ...patternsFor(adapter),
    use_rslora: c.use_rslora,
    use_dora: false,
  };
}

export interface ParsedAdapterConfig {
  /** target_modules is null when the file has none (the importer derives it from the tensors). */
  config: Omit<LoraConfig, 'target_modules'> & { target_modules: string[] | string | null };
  baseModelName: string | null;
  taskType: string | null;
  /** PEFT's modules_to_save: never adapted by LoRA (their full copies are not loaded here). */
  modulesToSave: string[] | null;
  warnings: string[];
}

function bad(key: string, expected: string, got: unknown): never {
  throw new UserFacingError(`${FILE}: "${key}" must be ${expected}, got ${brief(got)}`);
}

/** All non-literal regex text a config may hold: compiling is linear in it, so this bounds the time. */
export const MAX_REGEX_CHARS = 1000;

/** Runs a check from lora/match with this file's name in front of its message. */
function inFile<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof UserFacingError) throw new UserFacingError(`${FILE}: ${e.message}`);
    throw e;
  }
}

/** Characters of regex (non-literal) text in the fields PEFT reads as patterns, counted before compiling any. */
function regexChars(o: Record<string, unknown>): number {
  const text = (v: unknown): number => (typeof v === 'string' && !isSimplePattern(v) ? v.length : 0);
  const list = (v: unknown): number =>
    Array.isArray(v) ? v.slice(0, MAX_LIST_ENTRIES).reduce((n, x) => n + text(x), 0) : 0;
  const keys = (v: unknown): number => (isRecord(v) ? list(Object.keys(v).slice(0, MAX_LIST_ENTRIES)) : 0);
  return (
    text(o.target_modules) +
    text(o.exclude_modules) +
    text(o.layers_pattern) +
    list(o.layers_pattern) +
    list(o.modules_to_save) +
    keys(o.rank_pattern) +
    keys(o.alpha_pattern)
  );
}

function stringList(o: Record<string, unknown>, key: string, regexAllowed: boolean): string[] | string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' && regexAllowed) return v;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    bad(key, regexAllowed ? 'a list of names or a regex string' : 'a list of names', v);
  return [...(v as string[])];
}

/** PEFT's module filters, type-checked and validated together with target_modules. */
function readFilters(o: Record<string, unknown>, target: string[] | string | null): LayerFilters {
  const layers = o.layers_to_transform;
  const f: LayerFilters = {
    layers_to_transform: layers === undefined ? null : (layers as LayerFilters['layers_to_transform']),
    layers_pattern: stringList(o, 'layers_pattern', true),
    exclude_modules: stringList(o, 'exclude_modules', true),
    modules_to_save: stringList(o, 'modules_to_save', false) as string[] | null,
  };
  inFile(() => checkTargetRules(target ?? [], f));
  return f;
}

function readPattern(o: Record<string, unknown>, key: 'rank_pattern' | 'alpha_pattern'): Record<string, number> {
  const v = o[key];
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) bad(key, 'an object of module pattern → number', v);
  const out: Record<string, number> = {};
  const entries = Object.entries(v);
  if (entries.length > MAX_LIST_ENTRIES)
    throw new UserFacingError(`${FILE}: "${key}" has ${entries.length} keys (at most ${MAX_LIST_ENTRIES})`);
  for (const [k, n] of entries) {
    const ok =
      key === 'rank_pattern'
        ? Number.isSafeInteger(n) && (n as number) > 0
        : typeof n === 'number' && Number.isFinite(n);
    if (!ok) bad(`${key}.${k.slice(0, 60)}`, key === 'rank_pattern' ? 'a positive integer' : 'a finite number', n);
    Object.defineProperty(out, k, { value: n, enumerable: true, writable: true, configurable: true });
  }
  inFile(() => keyTable(out, `"${key}" key`)); // every key compiled now, once, as matching will use it
  return out;
}

function readInit(v: unknown, warnings: string[]): InitLoraWeights {
  if (v === undefined || v === true || v === false || v === 'gaussian' || v === 'pissa') return v ?? true;
  if (typeof v === 'string') {
    warnings.push(
      `init_lora_weights ${brief(v)} only describes how training started; the saved weights are used as they are`,
    );
    return v.startsWith('pissa') ? 'pissa' : true;
  }
  return bad('init_lora_weights', 'true, false or a method name', v);
}

/**
 * Validates a parsed adapter_config.json and fills PEFT's defaults for absent keys.
 * @throws UserFacingError naming the field for wrong types, a non-LoRA adapter, or DoRA.
 */
export function readAdapterConfig(o: Record<string, unknown>): ParsedAdapterConfig {
  const warnings: string[] = [];
  const peftType = o.peft_type ?? 'LORA';
  if (peftType !== 'LORA') {
    throw new UserFacingError(`${FILE}: peft_type is ${brief(peftType)}; only LoRA adapters ("LORA") can be loaded`);
  }
  if (o.use_dora === true)
    throw new UserFacingError(
      `${FILE}: use_dora is true; DoRA adapters (LoRA plus a magnitude vector) are not supported`,
    );
  if (o.use_bdlora !== undefined && o.use_bdlora !== null && o.use_bdlora !== false) {
    throw new UserFacingError(
      `${FILE}: use_bdlora is set; BD-LoRA adapters (block-diagonal factors) are not supported`,
    );
  }
  if (o.monteclora_config !== undefined && o.monteclora_config !== null) {
    throw new UserFacingError(
      `${FILE}: monteclora_config is set; MonteCLoRA adapters (sampled factors) are not supported`,
    );
  }
  if (o.layer_replication !== undefined && o.layer_replication !== null) {
    throw new UserFacingError(`${FILE}: layer_replication changes the base model's layers and is not supported`);
  }
  if (o.target_parameters !== undefined && o.target_parameters !== null) {
    throw new UserFacingError(
      `${FILE}: target_parameters (LoRA on raw parameters) is not supported; only target_modules`,
    );
  }
  const r = o.r ?? DEFAULT_LORA_CONFIG.r;
  if (!Number.isSafeInteger(r) || (r as number) <= 0) bad('r', 'a positive integer', r);
  const alpha = o.lora_alpha ?? DEFAULT_LORA_CONFIG.lora_alpha;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) bad('lora_alpha', 'a finite number', alpha);
  const dropout = o.lora_dropout ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) bad('lora_dropout', 'a number in [0, 1)', dropout);
  for (const key of ['use_rslora', 'fan_in_fan_out', 'inference_mode'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') bad(key, 'true or false', o[key]);
  }
  const mixup = wrongJsonMessage(o, 'adapter-config');
  if (mixup) throw new UserFacingError(`${FILE}: ${mixup}`);
  const chars = regexChars(o);
  if (chars > MAX_REGEX_CHARS)
    throw new UserFacingError(
      `${FILE}: its regular expressions total ${chars} characters (at most ${MAX_REGEX_CHARS}); list module names instead`,
    );
  let target: string[] | string | null = null;
  const t = o.target_modules;
  if (typeof t === 'string') {
    target = t;
  } else if (Array.isArray(t)) {
    if (!t.every((x) => typeof x === 'string')) bad('target_modules', 'a list of module names', t);
    target = [...(t as string[])];
  } else if (t !== undefined && t !== null) {
    bad('target_modules', 'a list of module names or a regex string', t);
  }
  for (const key of ['base_model_name_or_path', 'task_type'] as const) {
    if (o[key] !== undefined && o[key] !== null && typeof o[key] !== 'string') bad(key, 'a string or null', o[key]);
  }
  if (o.bias !== undefined && o.bias !== 'none')
    warnings.push(`bias is ${brief(o.bias)}: trained bias terms are ignored (only lora_A/lora_B are loaded)`);
  const filters = readFilters(o, target);
  if (filters.modules_to_save && filters.modules_to_save.length > 0)
    warnings.push('modules_to_save is set: those fully trained copies are ignored');
  const known = new Set<string>([...PEFT_CONFIG_KEYS, ...NEWER_PEFT_KEYS]);
  const unknown = Object.keys(o).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    const shown = unknown
      .slice(0, 5)
      .map((k) => brief(k))
      .join(', ');
    warnings.push(
      `${FILE}: ignored unknown key${unknown.length > 1 ? 's' : ''} ${shown}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`,
    );
  }
  return {
    config: {
      r: r as number,
      lora_alpha: alpha,
      lora_dropout: dropout,
      target_modules: target,
      use_rslora: (o.use_rslora as boolean | undefined) ?? false,
      init_lora_weights: readInit(o.init_lora_weights, warnings),
      rank_pattern: readPattern(o, 'rank_pattern'),
      alpha_pattern: readPattern(o, 'alpha_pattern'),
      fan_in_fan_out: (o.fan_in_fan_out as boolean | undefined) ?? false,
      bias: 'none',
      // Only when set, so a plain adapter's config stays the plain LoraConfig.
      ...(filters.layers_to_transform != null ? { layers_to_transform: filters.layers_to_transform } : {}),
      ...(filters.layers_pattern != null ? { layers_pattern: filters.layers_pattern } : {}),
      ...(filters.exclude_modules != null ? { exclude_modules: filters.exclude_modules } : {}),
    },
    modulesToSave: filters.modules_to_save ?? null,
    baseModelName: (o.base_model_name_or_path as string | null | undefined) ?? null,
    taskType: (o.task_type as string | null | undefined) ?? null,
    warnings,
  };
}

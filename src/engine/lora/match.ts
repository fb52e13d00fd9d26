/**
 * Which modules an adapter lands on, exactly as PEFT decides it
 * (peft/tuners/tuners_utils.py `check_target_module_exists`, utils/other.py `get_pattern_key`,
 * lora/config.py `__post_init__`). Every regex is matched in linear time (./pattern).
 */
import { UserFacingError } from '../types';
import {
  checkPattern,
  fullMatch,
  keyMatcher,
  matchesAtStart,
  matchGroup1,
  simpleFullMatch,
  simplePattern,
} from './pattern';
import type { LoraConfig } from './types';

/** The fields of a config that filter modules after target_modules (PEFT's names). */
export interface LayerFilters {
  layers_to_transform?: LoraConfig['layers_to_transform'];
  layers_pattern?: LoraConfig['layers_pattern'];
  exclude_modules?: LoraConfig['exclude_modules'];
  /** Modules trained in full instead: PEFT never puts an adapter on them. */
  modules_to_save?: string[] | null;
}

/** Entries per list field and keys per pattern field: far above any real config. */
export const MAX_LIST_ENTRIES = 4096;

/** name === entry or name ends with "." + entry (without building that string: lists can be long). */
const endsWithPart = (name: string, entry: string): boolean =>
  name === entry ||
  (name.length > entry.length && name.endsWith(entry) && name.charCodeAt(name.length - entry.length - 1) === 0x2e);

/** `re.fullmatch(pattern, name)`, without a regex engine when the pattern is simple. */
function regexFullMatch(pattern: string, name: string, what: string): boolean {
  const simple = simplePattern(pattern);
  return simple ? simpleFullMatch(simple, name) : fullMatch(pattern, name, what);
}

/**
 * PEFT's rule for `target_modules` alone: a single string is a regex that must match the whole
 * module name (`re.fullmatch`); a list matches a module whose full name equals an entry or ends
 * with "." + entry; "all-linear" matches every linear layer the caller lists (GPT-2's head is tied
 * to wte and is not a Conv1D, so it is never one of them).
 */
export function matchesTarget(moduleName: string, target: string[] | string): boolean {
  if (typeof target === 'string') {
    if (target === 'all-linear') return true;
    return regexFullMatch(target, moduleName, 'target_modules');
  }
  return target.some((t) => endsWithPart(moduleName, t));
}

/**
 * The block index PEFT reads from a module name: the number after `<layers_pattern>.` (the first
 * such, lazily), or with no pattern the first "<word>.<digits>." after the first dot; null when
 * there is none. GPT-2: "transformer.h.3.attn.c_attn" → 3.
 */
export function layerIndexOf(moduleName: string, layersPattern: LayerFilters['layers_pattern']): number | null {
  const patterns = typeof layersPattern === 'string' ? [layersPattern] : (layersPattern ?? []);
  if (patterns.length === 0) {
    const m = /^.*?\.[^.]*\.(\d+)\./.exec(moduleName); // module names come from the base, not the file
    return m ? Number(m[1]) : null;
  }
  for (const p of patterns) {
    const group = matchGroup1(`.*?\\.${p}\\.(\\d+)\\.`, p, moduleName, 'layers_pattern');
    if (group === null) continue;
    if (!/^\d+$/.test(group)) {
      throw new UserFacingError(
        `layers_pattern ${JSON.stringify(p.slice(0, 60))} has a group of its own, so PEFT would read "${group.slice(0, 20)}" as the layer index and fail: write it without parentheses`,
      );
    }
    return Number(group);
  }
  return null;
}

/** Why a module is or is not adapted under PEFT's rules. */
export type TargetVerdict = 'adapted' | 'excluded' | 'other-layer' | 'not-targeted';

/** PEFT's `check_target_module_exists` for one module name. */
export function targetVerdict(
  moduleName: string,
  target: string[] | string,
  filters: LayerFilters = {},
): TargetVerdict {
  const ex = filters.exclude_modules;
  if (ex) {
    const hit =
      typeof ex === 'string'
        ? regexFullMatch(ex, moduleName, 'exclude_modules')
        : ex.some((e) => endsWithPart(moduleName, e));
    if (hit) return 'excluded';
  }
  for (const m of filters.modules_to_save ?? []) {
    // PEFT: re.match(rf"(^|.*\.){m}($|\..*)", key), the entry spliced in as is.
    if (matchesAtStart(`(?:^|.*\\.)${m}(?:$|\\..*)`, m, moduleName, 'modules_to_save')) return 'excluded';
  }
  if (typeof target === 'string' && target !== 'all-linear')
    return matchesTarget(moduleName, target) ? 'adapted' : 'not-targeted';
  if (typeof target !== 'string' && target.includes(moduleName)) return 'adapted'; // exact: no layer filter
  if (!matchesTarget(moduleName, target)) return 'not-targeted';
  const layers = filters.layers_to_transform;
  const usingLayers = layers !== null && layers !== undefined && (!Array.isArray(layers) || layers.length > 0);
  if (!usingLayers) return 'adapted';
  const index = layerIndexOf(moduleName, filters.layers_pattern);
  if (index === null) return 'other-layer';
  return (typeof layers === 'number' ? index === layers : layers.includes(index)) ? 'adapted' : 'other-layer';
}

function checkStringList(v: unknown, key: string, regexEntries: boolean): void {
  if (v === null || v === undefined) return;
  if (typeof v === 'string') {
    checkPattern(v, key);
    return;
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new UserFacingError(`${key} must be a list of names or a regex string`);
  if (v.length > MAX_LIST_ENTRIES)
    throw new UserFacingError(`${key} lists ${v.length} entries (at most ${MAX_LIST_ENTRIES})`);
  if (regexEntries) for (const p of v) checkPattern(p, key);
}

/**
 * The checks PEFT's LoraConfig makes on these fields, plus types and patterns, so that matching
 * later cannot fail: layers_to_transform is a non-negative integer or a list of them, and neither
 * it nor layers_pattern goes with a string target_modules; layers_pattern needs layers_to_transform.
 * @throws UserFacingError naming the field.
 */
export function checkTargetRules(target: string[] | string, f: LayerFilters): void {
  if (typeof target === 'string') checkPattern(target, 'target_modules');
  else if (target.length > MAX_LIST_ENTRIES)
    throw new UserFacingError(`target_modules lists ${target.length} entries (at most ${MAX_LIST_ENTRIES})`);
  const layers = f.layers_to_transform;
  const index = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  if (layers !== null && layers !== undefined) {
    const ok = Array.isArray(layers) ? layers.length <= MAX_LIST_ENTRIES && layers.every(index) : index(layers);
    if (!ok)
      throw new UserFacingError(
        `layers_to_transform must be a layer index (0, 1, …) or a list of them, got ${JSON.stringify(layers).slice(0, 60)}`,
      );
  }
  checkStringList(f.layers_pattern, 'layers_pattern', true);
  checkStringList(f.exclude_modules, 'exclude_modules', false);
  checkStringList(f.modules_to_save, 'modules_to_save', true);
  if (typeof target === 'string' && layers !== null && layers !== undefined)
    throw new UserFacingError(
      'layers_to_transform cannot be used when target_modules is a single string (a regex or "all-linear"): PEFT refuses this config; list the module names instead',
    );
  if (typeof target === 'string' && f.layers_pattern !== null && f.layers_pattern !== undefined)
    throw new UserFacingError('layers_pattern cannot be used when target_modules is a single string: PEFT refuses it');
  if (f.layers_pattern && f.layers_pattern.length > 0 && (layers === null || layers === undefined))
    throw new UserFacingError('layers_pattern is set but layers_to_transform is not: PEFT needs both');
}

/** The names among `moduleNames` that the config adapts; a clear error when it adapts none. */
export function selectTargets(
  moduleNames: readonly string[],
  target: string[] | string,
  filters: LayerFilters = {},
): string[] {
  if (Array.isArray(target) && target.length === 0) {
    throw new UserFacingError('target_modules is empty: name at least one module (e.g. "c_attn")');
  }
  const verdicts = moduleNames.map((n) => targetVerdict(n, target, filters));
  const hits = moduleNames.filter((_, i) => verdicts[i] === 'adapted');
  if (hits.length > 0) return hits;
  const filtered = verdicts.filter((v) => v === 'excluded' || v === 'other-layer').length;
  if (filtered > 0) {
    throw new UserFacingError(
      `target_modules ${JSON.stringify(target).slice(0, 80)} selects ${filtered} module(s), but exclude_modules / layers_to_transform leave none of them`,
    );
  }
  const leaves = [...new Set(moduleNames.map((n) => n.split('.').pop()))].join(', ');
  throw new UserFacingError(
    `target_modules ${JSON.stringify(target).slice(0, 120)} matched no module of this model (its linear layers are: ${leaves})`,
  );
}

/**
 * PEFT's `rank_pattern` / `alpha_pattern` lookup (`get_pattern_key`): the first key, in order,
 * for which `re.match(r"(.*\.)?(key)$", name)` matches, i.e. the key matches the end of the name
 * at a "." boundary; otherwise `fallback`.
 */
export function patternValue(moduleName: string, pattern: Record<string, number>, fallback: number): number {
  for (const [matches, value] of keyTable(pattern)) if (matches(moduleName)) return value;
  return fallback;
}

/** Each pattern object's keys compiled once (a config is matched against every module); configs are not mutated. */
const tables = new WeakMap<Record<string, number>, [(name: string) => boolean, number][]>();

/**
 * Compiles a rank_pattern / alpha_pattern object's keys for matching (once per object).
 * @throws UserFacingError for a key that cannot be matched in linear time.
 */
export function keyTable(
  pattern: Record<string, number>,
  what = 'rank_pattern/alpha_pattern key',
): [(name: string) => boolean, number][] {
  let t = tables.get(pattern);
  if (!t) {
    t = Object.entries(pattern).map(([key, value]) => [keyMatcher(key, what), value]);
    tables.set(pattern, t);
  }
  return t;
}

/** Largest finite float32, 2^128 − 2^104. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Rank, α and scaling s = α/r (rsLoRA: α/√r) for one module under `config`. */
export function moduleScaling(moduleName: string, config: LoraConfig): { r: number; alpha: number; scaling: number } {
  const r = patternValue(moduleName, config.rank_pattern, config.r);
  const alpha = patternValue(moduleName, config.alpha_pattern, config.lora_alpha);
  if (!Number.isInteger(r) || r <= 0)
    throw new UserFacingError(`rank for ${moduleName} must be a positive integer, got ${r}`);
  if (!Number.isFinite(alpha))
    throw new UserFacingError(`lora_alpha for ${moduleName} must be a finite number, got ${alpha}`);
  return { r, alpha, scaling: checkedScaling(moduleName, alpha, r, config.use_rslora) };
}

/**
 * s = α/r (rsLoRA α/√r), refused when it is not a finite float32 (the forward multiplies by it in
 * float32, so 1e308/8 would become Infinity and every output NaN).
 */
export function checkedScaling(moduleName: string, alpha: number, r: number, rslora: boolean): number {
  const scaling = rslora ? alpha / Math.sqrt(r) : alpha / r;
  if (!Number.isFinite(scaling) || Math.abs(scaling) > FLOAT32_MAX) {
    throw new UserFacingError(
      `the scaling ${rslora ? 'α/√r' : 'α/r'} of ${moduleName} is ${scaling}, not a finite float32 number (lora_alpha ${alpha}, r ${r})`,
    );
  }
  return scaling;
}

/** Validate a config's scalar fields and module rules; returns it unchanged. */
export function validateLoraConfig(c: LoraConfig): LoraConfig {
  if (!Number.isInteger(c.r) || c.r <= 0) throw new UserFacingError(`r must be a positive integer, got ${c.r}`);
  if (!Number.isFinite(c.lora_alpha))
    throw new UserFacingError(`lora_alpha must be a finite number, got ${c.lora_alpha}`);
  if (!(c.lora_dropout >= 0 && c.lora_dropout < 1)) {
    throw new UserFacingError(`lora_dropout must be in [0, 1), got ${c.lora_dropout}`);
  }
  if (![true, false, 'gaussian', 'pissa'].includes(c.init_lora_weights)) {
    throw new UserFacingError(
      `init_lora_weights must be true, false, "gaussian" or "pissa", got ${JSON.stringify(c.init_lora_weights)}`,
    );
  }
  checkTargetRules(c.target_modules, c);
  keyTable(c.rank_pattern);
  keyTable(c.alpha_pattern);
  return c;
}

/**
 * Parameters an adapter with `config` adds to these linear layers, Σ r·(d_in + d_out), without
 * creating it (config-only counting; e.g. GPT-2 small, r = 8 on c_attn → 294,912).
 */
export function adapterParamCount(
  modules: readonly { name: string; dIn: number; dOut: number }[],
  config: LoraConfig,
): number {
  const names = modules.map((m) => m.name);
  const hits = new Set(selectTargets(names, config.target_modules, config));
  return modules
    .filter((m) => hits.has(m.name))
    .reduce((n, m) => n + moduleScaling(m.name, config).r * (m.dIn + m.dOut), 0);
}

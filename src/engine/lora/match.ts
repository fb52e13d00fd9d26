/**
 * Which modules an adapter lands on, exactly as PEFT decides it
 * (peft/tuners/tuners_utils.py `check_target_module_exists`, lora/model.py `get_pattern_key`).
 */
import { UserFacingError } from '../types';
import type { LoraConfig } from './types';
import { errorMessage } from '../types';

function compile(pattern: string, anchored: string, what: string): RegExp {
  try {
    return new RegExp(anchored);
  } catch (e) {
    throw new UserFacingError(`${what} "${pattern}" is not a valid regular expression: ${errorMessage(e)}`);
  }
}

/**
 * PEFT's rule for `target_modules`: a single string is a regex that must match the whole module
 * name (`re.fullmatch`); a list matches a module whose full name equals an entry or ends with
 * "." + entry; "all-linear" matches every linear layer the caller lists (the LM head is never
 * one of them here: GPT-2's head is tied to wte and is not a Conv1D).
 */
export function matchesTarget(moduleName: string, target: string[] | string): boolean {
  if (typeof target === 'string') {
    if (target === 'all-linear') return true;
    return compile(target, `^(?:${target})$`, 'target_modules').test(moduleName);
  }
  return target.some((t) => moduleName === t || moduleName.endsWith(`.${t}`));
}

/** The names among `moduleNames` that `target` selects; a clear error when it selects none. */
export function selectTargets(moduleNames: readonly string[], target: string[] | string): string[] {
  if (Array.isArray(target) && target.length === 0) {
    throw new UserFacingError('target_modules is empty: name at least one module (e.g. "c_attn")');
  }
  const hits = moduleNames.filter((n) => matchesTarget(n, target));
  if (hits.length === 0) {
    const leaves = [...new Set(moduleNames.map((n) => n.split('.').pop()))].join(', ');
    throw new UserFacingError(
      `target_modules ${JSON.stringify(target)} matched no module of this model (its linear layers are: ${leaves})`,
    );
  }
  return hits;
}

/**
 * PEFT's `rank_pattern` / `alpha_pattern` lookup: the first key (a regex) that matches the end of
 * the module name at a "." boundary, `(^|.*\.)key$`, wins; otherwise `fallback`.
 */
export function patternValue(moduleName: string, pattern: Record<string, number>, fallback: number): number {
  for (const [key, value] of Object.entries(pattern)) {
    if (compile(key, `^(?:.*\\.)?(?:${key})$`, 'rank_pattern/alpha_pattern key').test(moduleName)) return value;
  }
  return fallback;
}

/** Rank, α and scaling s = α/r (rsLoRA: α/√r) for one module under `config`. */
export function moduleScaling(moduleName: string, config: LoraConfig): { r: number; alpha: number; scaling: number } {
  const r = patternValue(moduleName, config.rank_pattern, config.r);
  const alpha = patternValue(moduleName, config.alpha_pattern, config.lora_alpha);
  if (!Number.isInteger(r) || r <= 0)
    throw new UserFacingError(`rank for ${moduleName} must be a positive integer, got ${r}`);
  if (!Number.isFinite(alpha))
    throw new UserFacingError(`lora_alpha for ${moduleName} must be a finite number, got ${alpha}`);
  return { r, alpha, scaling: config.use_rslora ? alpha / Math.sqrt(r) : alpha / r };
}

/** Validate a config's scalar fields; returns it with PEFT defaults filled in. */
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
  const hits = new Set(
    selectTargets(
      modules.map((m) => m.name),
      config.target_modules,
    ),
  );
  return modules
    .filter((m) => hits.has(m.name))
    .reduce((n, m) => n + moduleScaling(m.name, config).r * (m.dIn + m.dOut), 0);
}

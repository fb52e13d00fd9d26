/**
 * What a typed number must be, why it is not, and the keyboard's steps: the pure half of
 * NumberField, unit-tested without a DOM.
 */

export interface NumberRule {
  /** Bounds; ±Infinity for none. */
  min: number;
  max: number;
  /** Whole numbers only (steps, seeds, ranks). */
  integer: boolean;
}

/** The number a field's text stands for, or null when it is not one the rule accepts. */
export function parseNumberText(text: string, rule: NumberRule): number | null {
  const t = text.trim();
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) return null;
  if (rule.integer && !/^[-+]?\d+$/.test(t)) return null;
  return v >= rule.min && v <= rule.max ? v : null;
}

/** Why `text` is not accepted ("steps must be a whole number"), or null when it is. */
export function numberProblem(text: string, label: string, rule: NumberRule): string | null {
  const t = text.trim();
  if (rule.integer ? !/^[-+]?\d+$/.test(t) : t === '' || !Number.isFinite(Number(t)))
    return `${label} must be ${rule.integer ? 'a whole number' : 'a number'}`;
  const v = Number(t);
  if (v >= rule.min && v <= rule.max) return null;
  if (Number.isFinite(rule.min) && Number.isFinite(rule.max))
    return `${label} must be between ${rule.min} and ${rule.max}`;
  return Number.isFinite(rule.min) ? `${label} must be at least ${rule.min}` : `${label} must be at most ${rule.max}`;
}

/**
 * The value `steps` steps of `step` away from `value` (negative: down), kept within the bounds
 * and rounded to the step's decimals so 0.1 + 0.2 reads 0.3.
 */
export function stepNumber(value: number, steps: number, step: number, rule: NumberRule): number {
  const decimals = Math.max(decimalsOf(step), decimalsOf(value));
  const next = Number((value + steps * step).toFixed(Math.min(decimals, 12)));
  return Math.min(rule.max, Math.max(rule.min, rule.integer ? Math.round(next) : next)) + 0; // + 0: no "-0"
}

function decimalsOf(x: number): number {
  const s = String(x);
  if (s.includes('e-')) return Number(s.split('e-')[1]) + (s.split('e')[0].split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

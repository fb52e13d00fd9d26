/** Number formatting shared by the Adapters page's panels. */
export { formatBytes } from '../../../engine/format/bytes';
export { withCommas } from '../../../engine/peftLine';

/** A loss or NLL with enough digits to show that merged and unmerged agree. */
export const nats = (v: number): string => v.toFixed(6);

/** A tiny difference as "3.1e-7" (or "0" when exactly equal). */
export const tiny = (v: number): string => (v === 0 ? '0' : v.toExponential(1));

/** Names the engine accepts (LmSession.renameAdapter checks the same rule). */
export const ADAPTER_NAME = /^[\w.-]{1,64}$/;

/** Why a new adapter name is not acceptable, or null when it is. */
export function nameProblem(name: string, taken: string[], current?: string): string | null {
  const clean = name.trim();
  if (clean === '') return 'Give the adapter a name.';
  if (!ADAPTER_NAME.test(clean)) return 'Use letters, digits, "-", "_" and "." only (at most 64).';
  if (clean !== current && taken.includes(clean)) return `An adapter named "${clean}" already exists.`;
  return null;
}

/** "a:1,b:0.5" ⇄ weights by adapter name (only the chosen sources). */
export function parseMix(raw: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of raw.split(',')) {
    const i = part.lastIndexOf(':');
    if (i <= 0) continue;
    const w = Number(part.slice(i + 1));
    if (part.slice(i + 1).trim() !== '' && Number.isFinite(w)) out.set(part.slice(0, i), w);
  }
  return out;
}
export const formatMix = (m: Map<string, number>): string => [...m].map(([k, w]) => `${k}:${w}`).join(',');

/**
 * target_modules as a reader wants them: a mixed adapter lists every module path
 * ("transformer.h.0.attn.c_attn", …), which is shortened to the distinct layer kinds ("attn.c_attn").
 */
export function shortTargets(targets: string[]): string[] {
  return [...new Set(targets.map((t) => (t.split('.').length > 2 ? t.split('.').slice(-2).join('.') : t)))];
}

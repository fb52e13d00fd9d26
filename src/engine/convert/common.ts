/**
 * Shared by the converters: which modules a target format can carry, the α that reproduces a
 * scaling exactly, and the model card a converted adapter gets.
 */
import { guessFamily, type FamilyGuess } from '../formats/family';
import { short } from '../formats/factors';
import { modulePlace } from '../formats/names';
import type { AdapterModule, ParsedAdapter } from '../formats/types';
import type { AdapterWeights } from '../lora/types';
import { UserFacingError } from '../types';

/** The double `steps` ulps away from x (x finite, not crossing zero for small steps). */
function nextAfter(x: number, steps: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, bits + BigInt(x >= 0 ? steps : -steps));
  return view.getFloat64(0);
}

/**
 * An α with α / r === `scaling` in float64 (what PEFT computes), so converting a format that
 * stores the scale directly (MLX's `scale`) keeps ΔW = s·B·A bit for bit. s·r usually is one; when
 * rounding makes it miss, the neighbouring doubles are tried. null when none within 8 ulps works
 * (then s·r is off by at most 1 ulp of s).
 */
export function exactAlpha(scaling: number, r: number): { alpha: number; exact: boolean } {
  const a = scaling * r;
  if (a / r === scaling) return { alpha: a, exact: true };
  for (let k = 1; k <= 8; k++) {
    for (const c of [nextAfter(a, k), nextAfter(a, -k)]) if (c / r === scaling) return { alpha: c, exact: true };
  }
  return { alpha: a, exact: false };
}

/** The family a conversion needs, or a message saying which the converter handles. */
export function convertibleFamily(parsed: ParsedAdapter, target: string): FamilyGuess & { id: 'gpt2' | 'llama' } {
  const family = guessFamily(
    parsed.modules.map((m) => m.name),
    parsed.architecture,
  );
  if (family.id !== 'gpt2' && family.id !== 'llama')
    throw new UserFacingError(
      `${target} conversion handles GPT-2 and the Llama family; this adapter is for ${family.label} (${family.evidence})`,
    );
  return family as FamilyGuess & { id: 'gpt2' | 'llama' };
}

/** Modules a linear-layer format can carry; the others are named in a warning. */
export function linearModules(parsed: ParsedAdapter, warnings: string[]): AdapterModule[] {
  const keep = parsed.modules.filter((m) => m.kind === 'linear');
  const dropped = parsed.modules.filter((m) => m.kind !== 'linear');
  if (dropped.length > 0)
    warnings.push(
      `${dropped.length} ${dropped[0].kind} module${dropped.length > 1 ? 's were' : ' was'} left out (e.g. ${short(dropped[0].name, 60)}): only linear-layer adapters are converted`,
    );
  if (keep.length === 0) throw new UserFacingError('the adapter has no linear-layer modules to convert');
  return keep;
}

/** Layer-relative module paths ("self_attn.q_proj"), PEFT's and mlx-lm's way of naming targets. */
export function targetPaths(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => (modulePlace(n).layer ? modulePlace(n).type : n)))].sort();
}

/** Refuses DoRA and other updates that are more than s·B·A: converting them would drop a part. */
export function refuseNonLora(parsed: ParsedAdapter): void {
  const part = parsed.lints.find((l) => l.id === 'dora' || l.id === 'fine-tune-type');
  if (part) throw new UserFacingError(`not converted: ${part.message}`);
  const broken = parsed.lints.find((l) => l.id === 'unpaired');
  if (broken) throw new UserFacingError(`not converted: ${broken.message}`);
}

/** The README.md of a converted adapter (the product's training card would claim it trained it). */
export function convertedCard(adapter: AdapterWeights, from: string, baseModel: string, notes: string[]): string {
  const ranks = [...new Set([...adapter.modules.values()].map((m) => m.r))].sort((a, b) => a - b);
  return [
    '---',
    `base_model: ${JSON.stringify(baseModel)}`,
    'library_name: peft',
    'tags:',
    '- lora',
    '- lowrank',
    '---',
    '',
    `# LoRA adapter for ${baseModel}`,
    '',
    `Converted from ${from} by lowrank. The low-rank factors are copied unchanged (in PEFT's layout,`,
    'lora_A [r, d_in] and lora_B [d_out, r]); r and lora_alpha are set so that ΔW = (α/r)·B·A is the',
    'update the original format applies.',
    '',
    `| | |`,
    `|---|---|`,
    `| Modules | ${adapter.modules.size} |`,
    `| Rank r | ${ranks.join(', ')} |`,
    `| lora_alpha | ${adapter.config.lora_alpha} |`,
    '',
    ...notes.map((n) => `- ${n}`),
    ...(notes.length ? [''] : []),
    '```python',
    'from transformers import AutoModelForCausalLM',
    'from peft import PeftModel',
    '',
    `base = AutoModelForCausalLM.from_pretrained(${JSON.stringify(baseModel)})`,
    'model = PeftModel.from_pretrained(base, "path/to/this/folder")',
    '```',
    '',
  ].join('\n');
}

/** A converter's output ({ name: bytes or text }) as the path → bytes map the readers take. */
export function filesToMap(files: object): Map<string, Uint8Array> {
  const enc = new TextEncoder();
  return new Map(
    Object.entries(files as Record<string, Uint8Array | string>).map(([k, v]) => [
      k,
      typeof v === 'string' ? enc.encode(v) : v,
    ]),
  );
}

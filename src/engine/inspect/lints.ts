/**
 * Lints that need the whole adapter (its config against its tensors, the guessed family against
 * fan_in_fan_out, the numbers in the factors), each with the fix. Readers add their own
 * (key names, pickles, missing files) while parsing.
 */
import type { FamilyGuess } from '../formats/family';
import { short } from '../formats/factors';
import type { Lint, ParsedAdapter } from '../formats/types';
import { matchesTarget, patternValue } from '../lora/match';
import type { ModuleStats } from './moduleStats';

/** The largest finite float16 value. */
export const F16_MAX = 65504;

const examples = (names: string[], n = 2) =>
  names
    .slice(0, n)
    .map((s) => short(s, 60))
    .join(', ') + (names.length > n ? ', …' : '');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Linear-layer families whose weights are nn.Linear [d_out, d_in] (fan_in_fan_out must be false). */
const LINEAR_FAMILIES = new Set(['llama', 'gpt-neox', 'bloom', 'opt', 'bert', 't5', 'phi']);

function fanInFanOut(parsed: ParsedAdapter, family: FamilyGuess, stats: ModuleStats[]): Lint[] {
  const c = parsed.peft;
  if (!c) return [];
  const out: Lint[] = [];
  if (family.id === 'gpt2') {
    if (!c.fan_in_fan_out) {
      out.push({
        id: 'fan-in-fan-out',
        severity: 'warning',
        message:
          "fan_in_fan_out is false, but GPT-2's c_attn / c_proj / c_fc are Conv1D layers whose weights are stored [d_in, d_out]",
        fix: 'Set "fan_in_fan_out": true in adapter_config.json (PEFT corrects it with a warning; other tools may not)',
      });
    }
    // c_attn maps n_embd → 3·n_embd: lora_A must be [r, n_embd] and lora_B [3·n_embd, r].
    const flipped = stats.filter((s) => s.name.endsWith('attn.c_attn') && s.dIn === 3 * s.dOut);
    if (flipped.length > 0) {
      out.push({
        id: 'fan-in-fan-out',
        severity: 'error',
        message: `${plural(flipped.length, 'c_attn module')} have lora_A of width ${flipped[0].dIn} = 3 × lora_B's height ${flipped[0].dOut}: the factors are stored the Conv1D way round, not PEFT's`,
        fix: 'Save lora_A as [r, d_in] and lora_B as [d_out, r] whatever the layer type (PEFT keeps that orientation even for Conv1D)',
      });
    }
  } else if (LINEAR_FAMILIES.has(family.id) && c.fan_in_fan_out) {
    const nonSquare = stats.filter((s) => s.dIn !== s.dOut && s.kind === 'linear');
    out.push({
      id: 'fan-in-fan-out',
      severity: 'error',
      message: `fan_in_fan_out is true, but ${family.label} layers are nn.Linear, stored [d_out, d_in]: PEFT would add ΔWᵀ${nonSquare.length > 0 ? `, which does not even fit ${short(nonSquare[0].name, 60)} [${nonSquare[0].dOut}, ${nonSquare[0].dIn}]` : ''}`,
      fix: 'Set "fan_in_fan_out": false in adapter_config.json',
    });
  }
  return out;
}

function targets(parsed: ParsedAdapter, stats: ModuleStats[]): Lint[] {
  const names = stats.map((s) => s.name);
  if (parsed.peft?.target_modules != null) {
    const t = parsed.peft.target_modules;
    if (typeof t === 'string') {
      if (t !== 'all-linear' && !names.some((n) => matchesTarget(n, t)))
        return [
          {
            id: 'target-modules',
            severity: 'error',
            message: `target_modules ${JSON.stringify(short(t, 60))} matches none of the ${names.length} adapted modules (e.g. ${examples(names, 1)})`,
            fix: 'Set target_modules to the modules the tensors belong to, e.g. their last name parts',
          },
        ];
      return [];
    }
    const unused = t.filter((entry) => !names.some((n) => matchesTarget(n, [entry])));
    const leaves = [...new Set(names.map((n) => n.split('.').pop() as string))];
    const uncovered = names.filter((n) => !matchesTarget(n, t));
    const out: Lint[] = [];
    if (uncovered.length > 0 && unused.length < t.length)
      out.push({
        id: 'target-modules',
        severity: 'warning',
        message: `${plural(uncovered.length, 'adapted module')} ${uncovered.length === 1 ? 'is' : 'are'} not in target_modules (e.g. ${examples(uncovered, 1)}): PEFT creates no adapter there and skips their tensors`,
        fix: `Set target_modules to ${JSON.stringify(leaves.slice(0, 8))}`,
      });
    if (unused.length === 0) return out;
    const none = unused.length === t.length;
    return [
      ...out,
      {
        id: 'target-modules',
        severity: none ? 'error' : 'warning',
        message: none
          ? `target_modules ${JSON.stringify(t.slice(0, 4))} matches none of the tensors: PEFT would add fresh, untrained layers there and ignore every tensor in the file`
          : `target_modules ${JSON.stringify(unused.slice(0, 4))} ${unused.length === 1 ? 'matches' : 'match'} no tensor in the file: PEFT would add untrained (ΔW = 0) layers there`,
        fix: `Set target_modules to ${JSON.stringify(leaves.slice(0, 8))}`,
      },
    ];
  }
  const keys = parsed.mlx?.keys;
  if (keys) {
    const raw = stats.map((s) => s.key);
    const unused = keys.filter((k) => !raw.some((n) => n === k || n.endsWith(`.${k}`)));
    if (unused.length === 0) return [];
    return [
      {
        id: 'target-modules',
        severity: unused.length === keys.length ? 'error' : 'warning',
        message: `lora_parameters.keys ${JSON.stringify(unused.slice(0, 4))} ${unused.length === 1 ? 'matches' : 'match'} no tensor in adapters.safetensors`,
        fix: 'List in "keys" the layer-relative paths the tensors use (e.g. "self_attn.q_proj")',
      },
    ];
  }
  return [];
}

function ranks(parsed: ParsedAdapter, stats: ModuleStats[]): Lint[] {
  const c = parsed.peft;
  if (c) {
    const off = stats.filter((s) => patternValue(s.name, c.rank_pattern, c.r) !== s.r);
    if (off.length === 0) return [];
    const said = patternValue(off[0].name, c.rank_pattern, c.r);
    return [
      {
        id: 'rank-mismatch',
        severity: 'error',
        message: `adapter_config.json says r = ${said} for ${examples(
          off.map((s) => s.name),
          1,
        )}, but its tensors have rank ${off[0].r} (${plural(off.length, 'module')} disagree); PEFT refuses it with a size mismatch, and its scaling α/r uses the config's r`,
        fix:
          new Set(off.map((s) => s.r)).size === 1 && off.length === stats.length
            ? `Set "r": ${off[0].r} in adapter_config.json`
            : `Give each module its rank in "rank_pattern" (e.g. {"${short(off[0].type, 30)}": ${off[0].r}})`,
      },
    ];
  }
  const mlx = parsed.mlx;
  if (mlx?.rank != null) {
    const off = stats.filter((s) => s.r !== mlx.rank);
    if (off.length === 0) return [];
    return [
      {
        id: 'rank-mismatch',
        severity: 'error',
        message: `lora_parameters.rank is ${mlx.rank}, but ${plural(off.length, 'module')} have rank ${off[0].r} (e.g. ${examples(
          off.map((s) => s.key),
          1,
        )}); mlx-lm refuses the shapes`,
        fix: `Set "rank": ${off[0].r} in lora_parameters`,
      },
    ];
  }
  return [];
}

function numbers(stats: ModuleStats[]): Lint[] {
  const out: Lint[] = [];
  const bad = stats.filter((s) => s.nonFinite > 0);
  if (bad.length > 0) {
    out.push({
      id: 'non-finite',
      severity: 'error',
      message: `${plural(bad.length, 'module')} hold NaN or ±Inf (${bad.reduce((n, s) => n + s.nonFinite, 0)} entries, e.g. ${examples(
        bad.map((s) => s.name),
        1,
      )}): the training diverged or the file was damaged`,
      fix: 'Retrain with a lower learning rate (or from the last good checkpoint); such an adapter breaks every output it touches',
    });
  }
  const overflow = stats.filter((s) => s.maxAbsFactor > F16_MAX || s.deltaEntryBound > F16_MAX);
  if (overflow.length > 0) {
    const worst = overflow.reduce((a, b) =>
      Math.max(b.maxAbsFactor, b.deltaEntryBound) > Math.max(a.maxAbsFactor, a.deltaEntryBound) ? b : a,
    );
    const factor = worst.maxAbsFactor > F16_MAX;
    out.push({
      id: 'f16-overflow',
      severity: 'warning',
      message: factor
        ? `${short(worst.name, 60)} has a factor entry of ${worst.maxAbsFactor.toExponential(2)}, beyond float16's ±65504: it becomes ±Inf in F16 (${plural(overflow.length, 'module')} at risk)`
        : `ΔW entries of ${short(worst.name, 60)} can reach ${worst.deltaEntryBound.toExponential(2)} (s·max‖B row‖·max‖A column‖), beyond float16's ±65504 (${plural(overflow.length, 'module')} at risk)`,
      fix: 'Run this adapter in float32 or bfloat16, not float16',
    });
  }
  return out;
}

function extras(parsed: ParsedAdapter): Lint[] {
  const rest = parsed.extras.filter((e) => !/\.lora_magnitude_vector|\.m$/.test(e.key));
  if (rest.length === 0 || parsed.format === 'gguf') return [];
  const head = rest.find((e) => /(^|\.)(score|classifier|lm_head|qa_outputs)(\.|$)/.test(e.key));
  const shown = `${short(rest[0].key, 60)} [${rest[0].shape.join(', ')}]`;
  return [
    {
      id: 'extra-tensors',
      severity: 'info',
      message: `${plural(rest.length, 'tensor')} besides the LoRA factors (e.g. ${shown})${head ? `, including a task head${parsed.taskType ? ` for ${parsed.taskType}` : ''}` : ''}: fully trained copies (modules_to_save) or heads, not low-rank updates`,
      fix: 'Nothing to fix: they are listed, not analysed; this product’s importer ignores them',
    },
  ];
}

/** All whole-adapter lints for a parsed adapter and its per-module statistics. */
export function adapterLints(parsed: ParsedAdapter, family: FamilyGuess, stats: ModuleStats[]): Lint[] {
  return [
    ...fanInFanOut(parsed, family, stats),
    ...targets(parsed, stats),
    ...ranks(parsed, stats),
    ...numbers(stats),
    ...extras(parsed),
  ];
}

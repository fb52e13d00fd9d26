/**
 * A PEFT LoRA adapter read for inspection: leniently (no base model to check against), so that
 * what PEFT or this product's importer would refuse becomes a lint with its fix instead of an
 * error. adapter_config.json goes through the importer's own config reader.
 */
import { patternValue } from '../lora/match';
import { readAdapterConfig } from '../peft/adapterConfig';
import { parseJsonObject } from '../peft/json';
import type { SafetensorsFile } from '../safetensors';
import { UserFacingError } from '../types';
import { checkRank, completePairs, num, orientPeft, PairCollector, short, tensorKeys } from './factors';
import type { AdapterModule, Lint, ParsedAdapter } from './types';

/** base_model.model.<module>.lora_A[.<adapter>].weight, and the embedding form without .weight. */
const LINEAR_KEY = /^(base_model\.model\.)?(.+?)\.lora_([AB])(?:\.([^.]+))?\.weight$/;
const EMBEDDING_KEY = /^(base_model\.model\.)?(.+?)\.lora_embedding_([AB])(?:\.([^.]+))?$/;
const DORA_KEY = /\.lora_magnitude_vector(\.[^.]+)?(\.weight)?$/;

export interface PeftSources {
  weights: { path: string; file: SafetensorsFile };
  config: { path: string; bytes: Uint8Array } | null;
}

/** What the config says for one module: r, α and the scaling PEFT computes from them. */
function scalingOf(module: string, c: NonNullable<ParsedAdapter['peft']>) {
  const r = patternValue(module, c.rank_pattern, c.r);
  const alpha = patternValue(module, c.alpha_pattern, c.lora_alpha);
  const scaling = c.use_rslora ? alpha / Math.sqrt(r) : alpha / r;
  const rule = c.use_rslora ? `α/√r = ${num(alpha)}/√${r}` : `α/r = ${num(alpha)}/${r}`;
  return { r, alpha, scaling, rule };
}

function readConfig(
  src: PeftSources['config'],
  lints: Lint[],
): { peft: ParsedAdapter['peft']; baseModel: string | null; taskType: string | null } {
  if (!src) {
    lints.push({
      id: 'missing-config',
      severity: 'warning',
      message: 'adapter_config.json is missing, so r, α and target_modules are unknown; ΔW is shown with s = 1',
      fix: 'Add the adapter_config.json that was saved with these weights (PEFT needs it to load the adapter)',
    });
    return { peft: null, baseModel: null, taskType: null };
  }
  const raw = parseJsonObject(src.bytes, short(src.path));
  if (raw.use_dora === true) {
    lints.push({
      id: 'dora',
      severity: 'warning',
      message:
        'use_dora is true: DoRA rescales each column by a learned magnitude, so s·B·A is only part of the update',
      fix: 'Treat the spectrum shown as that of the LoRA part; DoRA adapters cannot be loaded here',
    });
  }
  const parsed = readAdapterConfig({ ...raw, use_dora: false });
  const c = parsed.config;
  return {
    peft: {
      r: c.r,
      lora_alpha: c.lora_alpha,
      use_rslora: c.use_rslora,
      fan_in_fan_out: c.fan_in_fan_out,
      target_modules: c.target_modules,
      rank_pattern: c.rank_pattern,
      alpha_pattern: c.alpha_pattern,
    },
    baseModel: parsed.baseModelName,
    taskType: parsed.taskType,
  };
}

/**
 * Reads PEFT's adapter_model.safetensors (+ adapter_config.json) into modules in PEFT's own
 * orientation, with the scaling PEFT applies (α/r, α/√r with use_rslora, per-module patterns).
 */
export function readPeft(src: PeftSources): Omit<ParsedAdapter, 'format' | 'reasons' | 'files'> {
  const lints: Lint[] = [];
  const { peft, baseModel, taskType } = readConfig(src.config, lints);
  const collector = new PairCollector();
  const kinds = new Map<string, 'linear' | 'embedding'>();
  const extras: ParsedAdapter['extras'] = [];
  const unprefixed: string[] = [];
  const named = new Set<string>();
  let dora = 0;
  for (const [key, t] of src.weights.file.tensors) {
    const m = LINEAR_KEY.exec(key) ?? EMBEDDING_KEY.exec(key);
    if (!m) {
      if (DORA_KEY.test(key)) dora++;
      extras.push({ key, shape: t.shape });
      continue;
    }
    if (!m[1]) unprefixed.push(key);
    if (m[4]) named.add(m[4]);
    collector.add(m[2], m[3] === 'A' ? 'a' : 'b', t, key);
    kinds.set(m[2], key.includes('.lora_embedding_') ? 'embedding' : 'linear');
  }
  if (unprefixed.length > 0) {
    lints.push({
      id: 'missing-prefix',
      severity: 'warning',
      message: `${unprefixed.length} tensor name${unprefixed.length > 1 ? 's lack' : ' lacks'} PEFT's "base_model.model." prefix (e.g. ${short(unprefixed[0])})`,
      fix: 'Rename each key to base_model.model.<module>.lora_A.weight / .lora_B.weight; "Convert to PEFT" writes them so',
    });
  }
  if (named.size > 0) {
    const name = [...named][0];
    lints.push({
      id: 'adapter-name-in-key',
      severity: 'warning',
      message: `the keys carry an adapter name (".lora_A.${short(name, 30)}.weight"); PEFT saves them without it and would not find these tensors`,
      fix: `Remove ".${short(name, 30)}" from every key (….lora_A.weight); "Convert to PEFT" does it`,
    });
  }
  if (dora > 0) {
    lints.push({
      id: 'dora',
      severity: 'warning',
      message: `${dora} lora_magnitude_vector tensor${dora > 1 ? 's' : ''}: a DoRA adapter, whose update is more than s·B·A`,
      fix: 'Treat the spectrum shown as that of the LoRA part; DoRA adapters cannot be loaded here',
    });
  }
  const modules: AdapterModule[] = [];
  for (const p of completePairs(collector.pairs.values(), ['lora_A', 'lora_B'], lints)) {
    const kind = kinds.get(p.key) ?? 'linear';
    // Embedding adapters: lora_embedding_A [r, vocab], lora_embedding_B [dim, r]; the same algebra.
    const o = orientPeft(p.key, p.a, p.b);
    const s = peft
      ? scalingOf(p.key, peft)
      : { r: o.r, alpha: null, scaling: 1, rule: 'no adapter_config.json: s = 1' };
    const mod: AdapterModule = {
      name: p.key,
      key: p.key,
      kind: kind === 'embedding' ? 'embedding' : o.kind,
      A: { shape: o.A.shape, data: o.A.data },
      B: { shape: o.B.shape, data: o.B.data },
      r: o.r,
      alpha: s.alpha,
      scaling: s.scaling,
      scalingRule: s.rule,
      stored: { a: { shape: p.a.shape, dtype: p.a.dtype }, b: { shape: p.b.shape, dtype: p.b.dtype } },
      ...(o.kernel ? { kernel: o.kernel } : {}),
      ...tensorKeys(p),
    };
    checkRank(mod);
    modules.push(mod);
  }
  if (modules.length === 0) {
    const unpaired = lints.find((l) => l.id === 'unpaired');
    throw new UserFacingError(
      unpaired
        ? `${short(src.weights.path)}: ${unpaired.message}`
        : `${short(src.weights.path)} has no LoRA tensors (names ending in .lora_A.weight / .lora_B.weight)`,
    );
  }
  return {
    modules,
    extras,
    lints,
    baseModel,
    taskType,
    architecture: null,
    peft,
    mlx: null,
    metadata: { ...src.weights.file.metadata },
  };
}

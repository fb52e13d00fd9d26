/**
 * mlx-lm adapters (mlx_lm/tuner/lora.py, utils.py): adapters.safetensors holds
 * `<module>.lora_a` [d_in, r] and `<module>.lora_b` [r, d_out] with ΔW = scale·(lora_a·lora_b)ᵀ,
 * and adapter_config.json holds `lora_parameters: {rank, scale, dropout, keys}`; `scale`
 * multiplies directly (no division by r; mlx-lm's default is 20).
 */
import { isRecord, parseJsonObject } from '../peft/json';
import type { SafetensorsFile } from '../safetensors';
import { UserFacingError } from '../types';
import { checkRank, completePairs, num, PairCollector, short, shapeText, tensorKeys, transposeF32 } from './factors';
import { mlxToHfName } from './names';
import type { AdapterModule, Lint, MlxConfig, ParsedAdapter } from './types';

const FACTOR_KEY = /^(.+)\.lora_([ab])$/;
const DORA_KEY = /\.m$/;
const EMBEDDING_NAME = /(^|\.)(embed_tokens|wte|tok_embeddings)$/;

export interface MlxSources {
  weights: { path: string; file: SafetensorsFile };
  config: { path: string; bytes: Uint8Array } | null;
}

const posInt = (v: unknown) => (Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : null);

/** Reads the parts of an MLX adapter_config.json that decide how the weights apply. */
export function readMlxConfig(o: Record<string, unknown>, file: string): MlxConfig {
  const lp = o.lora_parameters;
  if (!isRecord(lp)) throw new UserFacingError(`${file}: "lora_parameters" must be an object with rank and scale`);
  const scale = lp.scale;
  if (scale !== undefined && (typeof scale !== 'number' || !Number.isFinite(scale)))
    throw new UserFacingError(`${file}: lora_parameters.scale must be a finite number`);
  const keys = lp.keys;
  if (keys !== undefined && keys !== null && !(Array.isArray(keys) && keys.every((k) => typeof k === 'string')))
    throw new UserFacingError(`${file}: lora_parameters.keys must be a list of module paths`);
  const dropout = typeof lp.dropout === 'number' ? lp.dropout : 0;
  const numLayers = typeof o.num_layers === 'number' && Number.isInteger(o.num_layers) ? o.num_layers : null;
  return {
    rank: posInt(lp.rank),
    scale: typeof scale === 'number' ? scale : null,
    dropout,
    keys: Array.isArray(keys) ? [...(keys as string[])] : null,
    numLayers,
    fineTuneType: typeof o.fine_tune_type === 'string' ? o.fine_tune_type : 'lora',
    model: typeof o.model === 'string' ? o.model : null,
  };
}

/**
 * Reads an MLX adapter into PEFT's orientation (A = lora_aᵀ, B = lora_bᵀ) with s = scale.
 * Consumes `weights.file.tensors` (each factor is dropped once transposed, so it is not held twice).
 */
export function readMlx(src: MlxSources): Omit<ParsedAdapter, 'format' | 'reasons' | 'files'> {
  const lints: Lint[] = [];
  const cfgFile = src.config ? short(src.config.path) : 'adapter_config.json';
  const mlx = src.config ? readMlxConfig(parseJsonObject(src.config.bytes, cfgFile), cfgFile) : null;
  if (!mlx) {
    lints.push({
      id: 'missing-config',
      severity: 'warning',
      message: 'adapter_config.json is missing, so the scale is unknown; ΔW is shown with s = 1',
      fix: 'Add the adapter_config.json that mlx_lm.lora saved beside adapters.safetensors',
    });
  } else if (mlx.scale === null) {
    lints.push({
      id: 'missing-scale',
      severity: 'warning',
      message: 'lora_parameters has no "scale"; mlx-lm would fail to load it. ΔW is shown with s = 1',
      fix: 'Add "scale" to lora_parameters (mlx-lm’s default is 20.0)',
    });
  }
  if (mlx && mlx.fineTuneType !== 'lora') {
    lints.push({
      id: mlx.fineTuneType === 'dora' ? 'dora' : 'fine-tune-type',
      severity: 'warning',
      message: `fine_tune_type is "${short(mlx.fineTuneType, 20)}": the update is more than s·B·A`,
      fix: 'Treat the spectrum shown as that of the LoRA part only; such adapters cannot be converted',
    });
  }
  const tensors = src.weights.file.tensors;
  const collector = new PairCollector();
  const extras: ParsedAdapter['extras'] = [];
  for (const [key, t] of tensors) {
    const m = FACTOR_KEY.exec(key);
    if (!m) {
      extras.push({ key, shape: t.shape });
      if (DORA_KEY.test(key) && !lints.some((l) => l.id === 'dora'))
        lints.push({
          id: 'dora',
          severity: 'warning',
          message: `"${short(key)}" is a DoRA magnitude: the update is more than s·B·A`,
          fix: 'Treat the spectrum shown as that of the LoRA part only; DoRA adapters cannot be converted',
        });
      continue;
    }
    collector.add(m[1], m[2] as 'a' | 'b', t, key);
  }
  const scaling = mlx?.scale ?? 1;
  const rule = mlx?.scale != null ? `scale = ${num(scaling)} (multiplies directly)` : 'no scale in the config: s = 1';
  const modules: AdapterModule[] = [];
  for (const p of completePairs(collector.pairs.values(), ['lora_a', 'lora_b'], lints)) {
    if (p.a.shape.length !== 2 || p.b.shape.length !== 2) {
      // LoRASwitchLinear (mixture-of-experts) keeps one pair per expert: [experts, r, d_in].
      lints.push({
        id: 'unsupported-layer',
        severity: 'warning',
        message: `${short(p.key)}: lora_a ${shapeText(p.a.shape)} is not a matrix (a mixture-of-experts layer); not analysed`,
        fix: 'Only plain linear and embedding LoRA layers are analysed',
      });
      continue;
    }
    const [dIn, r] = p.a.shape;
    const [rB, dOut] = p.b.shape;
    if (rB !== r)
      throw new UserFacingError(
        `${short(p.key)}: lora_a ${shapeText(p.a.shape)} and lora_b ${shapeText(p.b.shape)} disagree on the rank`,
      );
    // A lazily opened file has no values yet: loadFactors transposes them when they are read.
    const A = p.a.data.length > 0 ? transposeF32(p.a.data, dIn, r) : p.a.data;
    tensors.delete(`${p.key}.lora_a`);
    const B = p.b.data.length > 0 ? transposeF32(p.b.data, r, dOut) : p.b.data;
    tensors.delete(`${p.key}.lora_b`);
    const mod: AdapterModule = {
      name: mlxToHfName(p.key),
      key: p.key,
      kind: EMBEDDING_NAME.test(p.key) ? 'embedding' : 'linear',
      A: { shape: [r, dIn], data: A },
      B: { shape: [dOut, r], data: B },
      r,
      alpha: null,
      scaling,
      scalingRule: rule,
      stored: { a: { shape: p.a.shape, dtype: p.a.dtype }, b: { shape: p.b.shape, dtype: p.b.dtype } },
      ...tensorKeys(p),
    };
    checkRank(mod);
    modules.push(mod);
  }
  if (modules.length === 0)
    throw new UserFacingError(`${short(src.weights.path)} has no MLX LoRA tensors (names ending in .lora_a / .lora_b)`);
  return {
    modules,
    extras,
    lints,
    baseModel: mlx?.model ?? null,
    taskType: null,
    architecture: null,
    peft: null,
    mlx,
    metadata: { ...src.weights.file.metadata },
  };
}

/**
 * A GPT-2 or Llama-family adapter → mlx-lm's adapter folder with the same ΔW:
 * adapters.safetensors with `<module>.lora_a` = Aᵀ [d_in, r] and `.lora_b` = Bᵀ [r, d_out]
 * (mlx-lm names: GPT-2's blocks live under `model.h`), and adapter_config.json with
 * `lora_parameters: {rank, scale, dropout, keys}` and `num_layers: -1` (every layer; layers the
 * adapter leaves out get lora_b = 0, so ΔW = 0 there, exactly).
 * mlx-lm has one rank and one scale for all modules: smaller ranks are padded with zero rows and
 * columns (exact), and a module whose scale differs by a power of two has it folded into lora_b
 * (exact in float32); any other difference is refused rather than approximated.
 */
import { short } from '../formats/factors';
import { hfToMlxName } from '../formats/names';
import type { AdapterModule, ParsedAdapter } from '../formats/types';
import { writeSafetensors } from '../safetensors';
import { UserFacingError, type TensorMap } from '../types';
import { convertibleFamily, linearModules, refuseNonLora, targetPaths } from './common';

export interface MlxFiles {
  'adapters.safetensors': Uint8Array;
  'adapter_config.json': string;
}

export interface MlxConversion {
  files: MlxFiles;
  rank: number;
  scale: number;
  notes: string[];
}

/** lora_b = (ratio·B)ᵀ, [r, d_out], padded to `rank` rows; null when ratio·B is not exact in float32. */
function loraB(m: AdapterModule, rank: number, ratio: number): Float32Array | null {
  const [dOut, r] = m.B.shape;
  const out = new Float32Array(rank * dOut);
  for (let i = 0; i < dOut; i++)
    for (let j = 0; j < r; j++) {
      const v = m.B.data[i * r + j];
      const w = Math.fround(v * ratio);
      if (w / ratio !== v) return null; // overflow or a lost subnormal bit
      out[j * dOut + i] = w;
    }
  return out;
}

/** lora_a = Aᵀ, [d_in, rank], zero columns beyond r. */
function loraA(m: AdapterModule, rank: number): Float32Array {
  const [r, dIn] = m.A.shape;
  const out = new Float32Array(dIn * rank);
  for (let t = 0; t < r; t++) for (let i = 0; i < dIn; i++) out[i * rank + t] = m.A.data[t * dIn + i];
  return out;
}

const isPowerOfTwo = (x: number) => x > 0 && Number.isFinite(x) && 2 ** Math.round(Math.log2(x)) === x;

/**
 * Converts a parsed adapter to mlx-lm files.
 * @throws UserFacingError when the family is not GPT-2 / Llama or the scales cannot be unified exactly.
 */
export function toMlx(parsed: ParsedAdapter): MlxConversion {
  refuseNonLora(parsed);
  if (parsed.format === 'kohya')
    throw new UserFacingError('kohya / diffusers Stable Diffusion LoRAs are not converted to MLX');
  convertibleFamily(parsed, 'MLX');
  const notes: string[] = [];
  const mods = linearModules(parsed, notes);
  if (
    parsed.format === 'gguf' &&
    parsed.architecture === 'llama' &&
    mods.some((m) => /self_attn\.[qk]_proj$/.test(m.name))
  )
    throw new UserFacingError(
      "convert this GGUF adapter to PEFT first (it needs the base's number of attention heads), then to MLX",
    );
  const rank = Math.max(...mods.map((m) => m.r));
  // The largest |scale| as the common one, so every fold is a power-of-two step down.
  const scale = mods.reduce((s, m) => (Math.abs(m.scaling) > Math.abs(s) ? m.scaling : s), mods[0].scaling);
  if (scale === 0) throw new UserFacingError('every module has scale 0: there is no update to convert');
  const tensors: TensorMap = new Map();
  let folded = 0;
  for (const m of mods) {
    const ratio = m.scaling / scale;
    if (ratio !== 1 && !isPowerOfTwo(ratio))
      throw new UserFacingError(
        `MLX applies one scale to every module, and ${short(m.name, 60)}'s scale ${m.scaling} is not ${scale} times a power of two: an exact conversion is not possible`,
      );
    const b = loraB(m, rank, ratio);
    if (!b) throw new UserFacingError(`${short(m.name, 60)}: folding its scale into lora_b would round in float32`);
    if (ratio !== 1) folded++;
    const name = hfToMlxName(m.name);
    tensors.set(`${name}.lora_a`, { shape: [m.A.shape[1], rank], data: loraA(m, rank) });
    tensors.set(`${name}.lora_b`, { shape: [rank, m.B.shape[0]], data: b });
  }
  if (mods.some((m) => m.r !== rank))
    notes.push(`ranks below ${rank} were padded with zeros (MLX has one rank for all modules)`);
  if (folded > 0) notes.push(`${folded} module(s) had a power-of-two ratio of scales folded into lora_b (exact)`);
  const config = {
    fine_tune_type: 'lora',
    model: parsed.baseModel,
    num_layers: -1,
    lora_parameters: { rank, scale, dropout: 0.0, keys: targetPaths(mods.map((m) => m.name)) },
  };
  return {
    files: {
      'adapters.safetensors': writeSafetensors(tensors, { format: 'mlx' }),
      'adapter_config.json': `${JSON.stringify(config, null, 4)}\n`,
    },
    rank,
    scale,
    notes,
  };
}

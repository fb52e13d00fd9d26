/**
 * LoRA adapters as other tools write them (PEFT, mlx-lm, llama.cpp's GGUF, kohya / diffusers),
 * read into one plain-data form: per module the factors in PEFT's orientation
 * (A [r, d_in], B [d_out, r], F32) and the scaling that format applies, so ΔW = scaling·B·A.
 */
import type { HostTensor } from '../types';

export type AdapterFormat = 'peft' | 'mlx' | 'gguf' | 'kohya';

export const FORMAT_LABELS: Record<AdapterFormat, string> = {
  peft: 'Hugging Face PEFT',
  mlx: 'MLX (mlx-lm)',
  gguf: 'GGUF LoRA (llama.cpp)',
  kohya: 'kohya / diffusers (Stable Diffusion)',
};

export type LintSeverity = 'error' | 'warning' | 'info';

/** One finding about a file, with what to do about it. */
export interface Lint {
  id: string;
  severity: LintSeverity;
  message: string;
  fix: string;
}

export interface AdapterModule {
  /** The module's name in the base model's (Hugging Face) terms where the format allows it. */
  name: string;
  /** The tensor-name stem the file uses for this module (what its factor keys share). */
  key: string;
  kind: 'linear' | 'conv' | 'embedding';
  /** [r, d_in], F32, PEFT's orientation. */
  A: HostTensor;
  /** [d_out, r], F32. */
  B: HostTensor;
  r: number;
  /** α as the file states it (null: the format has none or the file omits it). */
  alpha: number | null;
  /** s in ΔW = s·B·A, exactly as the format computes it. */
  scaling: number;
  /** How `scaling` came about, e.g. "α/r = 16/8". */
  scalingRule: string;
  /** Shapes and dtypes of the two factor tensors as stored. */
  stored: { a: { shape: number[]; dtype: string }; b: { shape: number[]; dtype: string } };
  /** Convolution kernel size [kh, kw] when A was flattened from a 4-D kernel. */
  kernel?: number[];
  /**
   * The safetensors names of the stored A and B tensors. An adapter opened lazily
   * (`openAdapter` on ByteSources) has empty A.data / B.data until `loadFactors` reads these.
   */
  tensors?: { a: string; b: string };
}

/** What an MLX adapter_config.json says (mlx_lm/tuner/utils.py reads these). */
export interface MlxConfig {
  rank: number | null;
  scale: number | null;
  dropout: number;
  /** Layer-relative module paths, e.g. "self_attn.q_proj" (null: every linear layer). */
  keys: string[] | null;
  numLayers: number | null;
  fineTuneType: string;
  model: string | null;
}

export interface ParsedAdapter {
  format: AdapterFormat;
  /** Why this format was chosen: the files and keys that decided it. */
  reasons: string[];
  /** Every file seen, with its size in bytes and what it was used for. */
  files: { path: string; bytes: number; role: string }[];
  modules: AdapterModule[];
  /** Tensors that are not LoRA factor pairs (classifier heads, modules_to_save, norms, DoRA). */
  extras: { key: string; shape: number[] }[];
  /** Problems found while reading, each with its fix. */
  lints: Lint[];
  /** The base model's name or path, when the files say it. */
  baseModel: string | null;
  taskType: string | null;
  /** GGUF general.architecture, e.g. "llama". */
  architecture: string | null;
  /** PEFT: the parsed adapter_config.json (null when it is missing). */
  peft: {
    r: number;
    lora_alpha: number;
    use_rslora: boolean;
    fan_in_fan_out: boolean;
    target_modules: string[] | string | null;
    rank_pattern: Record<string, number>;
    alpha_pattern: Record<string, number>;
  } | null;
  mlx: MlxConfig | null;
  /** Key → value strings worth showing (safetensors __metadata__, GGUF general.* keys). */
  metadata: Record<string, string>;
}

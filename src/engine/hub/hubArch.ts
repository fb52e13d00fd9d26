/**
 * Sizes of a Hub model from its config.json alone: parameter count, the shapes the memory
 * estimate needs, and the LoRA parameters for PEFT's default targets, all counted by
 * src/engine/paramCount.ts (whose counts equal the model registry's; Qwen2 with its q/k/v biases).
 */
import { countLora, describeModel, type ModelArch } from '../paramCount';
import { UserFacingError } from '../types';

export type HubFamily = 'gpt2' | 'llama' | 'qwen2';

export interface HubArch {
  family: HubFamily;
  /** Base model parameters (tied embeddings counted once). */
  params: number;
  layers: number;
  hidden: number;
  /** MLP inner width. */
  ffn: number;
  heads: number;
  kvHeads: number;
  /** Width of k and v: kvHeads · head_dim. */
  kvDim: number;
  vocab: number;
  /** PEFT's default target_modules for the family. */
  defaultTargets: string[];
  /** LoRA parameters per unit of rank on the default targets (Σ d_in + d_out). */
  loraPerRank: number;
}

const int = (cfg: Record<string, unknown>, key: string, fallback?: number): number => {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new UserFacingError(`config.json: "${key}" must be a positive integer.`);
  }
  return v;
};

/** Describes a gpt2, llama or qwen2 config.json object; a UserFacingError for anything else. */
export function describeHubArch(config: Record<string, unknown>): HubArch {
  const type = config.model_type;
  if (type === 'gpt2') {
    const arch = describeModel(config);
    const d = int(config, 'n_embd');
    const heads = int(config, 'n_head');
    return finish('gpt2', arch, arch.base, {
      ffn: typeof config.n_inner === 'number' ? config.n_inner : 4 * d,
      heads,
      kvHeads: heads,
      kvDim: d,
      vocab: int(config, 'vocab_size'),
    });
  }
  if (type === 'llama' || type === 'qwen2') {
    const arch = describeModel(config);
    const hidden = int(config, 'hidden_size');
    const heads = int(config, 'num_attention_heads');
    const kvHeads = int(config, 'num_key_value_heads', heads);
    const headDim = int(config, 'head_dim', hidden / heads);
    return finish(type, arch, arch.base, {
      ffn: int(config, 'intermediate_size'),
      heads,
      kvHeads,
      kvDim: kvHeads * headDim,
      vocab: int(config, 'vocab_size'),
    });
  }
  throw new UserFacingError(`config.json: model_type ${JSON.stringify(type)} is not one of gpt2, llama, qwen2.`);
}

function finish(
  family: HubFamily,
  arch: ModelArch,
  params: number,
  rest: Pick<HubArch, 'ffn' | 'heads' | 'kvHeads' | 'kvDim' | 'vocab'>,
): HubArch {
  return {
    family,
    params,
    layers: arch.layers,
    hidden: arch.hidden,
    ...rest,
    defaultTargets: arch.defaultTargets,
    loraPerRank: countLora(arch, arch.defaultTargets, 1).trainable,
  };
}

/** The Llama family as registry families: `llama` and `qwen2` (Llama with q/k/v biases). */
import { llamaConfigJson, parseLlamaConfig, type LlamaConfig } from '../llama/config';
import { LlamaModel, toComputeLayout } from '../llama/model';
import { LLAMA_DEFAULT_TARGETS, isLlamaKernel, llamaLinears, llamaNaming, llamaParamCount } from '../llama/params';
import { pythonStyleJson } from '../peft/json';
import { refLlamaLogits, refLlamaLoraGradients, refLlamaLoss } from '../reference/llama';
import { writeSafetensors } from '../safetensors';
import { UserFacingError, type TensorMap } from '../types';
import type { FamilyName } from './causalLm';
import type { HfModelFiles, ModelFamily, ModelSpec } from './family';
import { normalizeWeights } from './weightPlan';

export const LLAMA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;

/** config.json (sorted keys, indent 2, torch_dtype float32) and F32 model.safetensors in state_dict order. */
function llamaHfFiles(c: LlamaConfig, weights: TensorMap): HfModelFiles {
  const canonical = normalizeWeights(llamaNaming(c), weights);
  for (const [name, t] of canonical) {
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i]))
        throw new UserFacingError(`${name} holds ${t.data[i]} at index ${i}; the model is not exported`);
    }
  }
  return {
    'config.json': pythonStyleJson({ ...llamaConfigJson(c), torch_dtype: 'float32' }),
    'model.safetensors': writeSafetensors(canonical, { format: 'pt' }),
  };
}

function llamaSpec(c: LlamaConfig): ModelSpec {
  const label = c.model_type === 'qwen2' ? 'Qwen2' : 'Llama';
  return {
    family: c.model_type,
    label,
    config: c,
    dims: {
      family: c.model_type,
      layers: c.num_hidden_layers,
      hidden: c.hidden_size,
      heads: c.num_attention_heads,
      kvHeads: c.num_key_value_heads,
      headDim: c.head_dim,
      inner: c.intermediate_size,
      vocabSize: c.vocab_size,
      nPositions: c.max_position_embeddings,
      tiedHead: c.tie_word_embeddings,
    },
    targetNames: LLAMA_TARGETS,
    defaultTargets: LLAMA_DEFAULT_TARGETS,
    fanInFanOut: false,
    configJson: () => llamaConfigJson(c),
    naming: () => llamaNaming(c),
    paramCount: () => llamaParamCount(c),
    linears: () => llamaLinears(c),
    toComputeLayout,
    transposedOnDevice: isLlamaKernel,
    random: (seed) => LlamaModel.random(c, seed),
    fromWeights: (w) => LlamaModel.fromWeights(c, w),
    fromStore: (store) => LlamaModel.fromStore(c, store),
    hfFiles: (w, eot) =>
      llamaHfFiles(eot === undefined || c.eos_token_id !== null ? c : { ...c, eos_token_id: eot }, w),
    reference: () => ({
      logits: (w, l, ids, B, T) => refLlamaLogits(c, w, l, ids, B, T),
      loss: (w, l, b) => refLlamaLoss(c, w, l, b),
      grads: (w, l, b) => refLlamaLoraGradients(c, w, l, b),
    }),
  };
}

function llamaFamilyNamed(name: Extract<FamilyName, 'llama' | 'qwen2'>, label: string): ModelFamily {
  return {
    name,
    label,
    targetNames: LLAMA_TARGETS,
    defaultTargets: LLAMA_DEFAULT_TARGETS,
    fanInFanOut: false,
    spec: (config) => llamaSpec(parseLlamaConfig(config)),
  };
}

export const llamaFamily = llamaFamilyNamed('llama', 'Llama');
export const qwen2Family = llamaFamilyNamed('qwen2', 'Qwen2');

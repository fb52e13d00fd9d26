/** A GPT-2 base in Hugging Face form (config.json + model.safetensors) that transformers loads. */
import { gpt2ConfigJson, parseGpt2Config } from '../gpt2/config';
import { normalizeGpt2Weights } from '../gpt2/params';
import { writeSafetensors } from '../safetensors';
import { UserFacingError, type TensorMap } from '../types';
import { isRecord, pythonStyleJson } from './json';

export interface HfModelFiles {
  'config.json': string;
  'model.safetensors': Uint8Array;
}

/** Token-id keys copied from the input config when present (transformers reads them). */
const TOKEN_ID_KEYS = ['bos_token_id', 'eos_token_id', 'pad_token_id'] as const;

/**
 * Files for `GPT2LMHeadModel.from_pretrained(folder)`: config.json (sorted keys, indent 2, with
 * model_type gpt2, architectures, tie_word_embeddings true, n_inner, gelu_new, layer_norm_epsilon,
 * token ids if given) and model.safetensors (F32, state_dict order, no lm_head: it is tied to wte).
 * @param config a GPT-2 config.json object (validated; n_inner null means 4·n_embd).
 * @param weights every parameter by its HF name with the shapes config implies.
 * @throws UserFacingError naming the field or tensor that is wrong.
 */
export function exportHfModelFiles(config: object, weights: TensorMap): HfModelFiles {
  const parsed = parseGpt2Config(config);
  const canonical = normalizeGpt2Weights(parsed, weights);
  for (const [name, t] of canonical) {
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i]))
        throw new UserFacingError(`${name} holds ${t.data[i]} at index ${i}; the model is not exported`);
    }
  }
  const json: Record<string, unknown> = { ...gpt2ConfigJson(parsed), torch_dtype: 'float32' };
  const source = isRecord(config) ? config : {};
  for (const key of TOKEN_ID_KEYS) {
    const v = source[key];
    if (v === undefined || v === null) continue;
    if (!Number.isSafeInteger(v) || (v as number) < 0 || (v as number) >= parsed.vocab_size) {
      throw new UserFacingError(
        `config.json: "${key}" must be a token id below vocab_size ${parsed.vocab_size}, got ${String(v)}`,
      );
    }
    json[key] = v;
  }
  return { 'config.json': pythonStyleJson(json), 'model.safetensors': writeSafetensors(canonical, { format: 'pt' }) };
}

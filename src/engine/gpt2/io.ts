/** GPT-2 checkpoints in Hugging Face form: `model.safetensors` + `config.json`, both ways. */
import { failIfOtherKind, readSafetensors, writeSafetensors } from '../safetensors';
import { assertModelFits } from '../limits';
import { gpt2ConfigJson, gpt2Dims, parseGpt2Config } from './config';
import { Gpt2Model } from './model';

/** Load a model from the two files (config text or object). Throws UserFacingError on any mismatch. */
export function loadGpt2(safetensors: Uint8Array, configJson: string | unknown): Gpt2Model {
  const config = parseGpt2Config(configJson);
  failIfOtherKind(safetensors); // an LFS pointer or a pickle is named as such, before sizes are compared
  assertModelFits(gpt2Dims(config), safetensors.byteLength); // before a byte of the weights is decoded
  const { tensors } = readSafetensors(safetensors);
  return Gpt2Model.fromWeights(config, tensors);
}

/**
 * The model's current weights (merged adapters included) as `model.safetensors` (F32, HF names
 * and order, `{"format": "pt"}`) and its `config.json` text. Loading then saving is bit-exact.
 */
export async function saveGpt2(model: Gpt2Model): Promise<{ safetensors: Uint8Array; configJson: string }> {
  const weights = await model.exportWeights();
  return {
    safetensors: writeSafetensors(weights, { format: 'pt' }),
    configJson: `${JSON.stringify(gpt2ConfigJson(model.config), null, 2)}\n`,
  };
}

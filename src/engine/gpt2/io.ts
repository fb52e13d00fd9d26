/** GPT-2 checkpoints in Hugging Face form: `model.safetensors` + `config.json`, both ways. */
import { failIfOtherKind, readSafetensors, writeSafetensors } from '../safetensors';
import { assertModelFits } from '../limits';
import { gpt2ConfigJson, gpt2Dims, parseGpt2Config, type Gpt2Config } from './config';
import { Gpt2Model } from './model';

/**
 * The checks that need no weights decoded, in O(1) + the config's size: config.json parsed with
 * every number bounded, the weights file not something else (an LFS pointer, a pickle), and the
 * closed-form memory estimate within what a tab can hold and the file's size.
 * @throws UserFacingError with the estimate and the limit.
 */
export function checkGpt2Files(safetensors: Uint8Array, configJson: string | unknown): Gpt2Config {
  const config = parseGpt2Config(configJson);
  failIfOtherKind(safetensors); // named as what it is, before sizes are compared
  assertModelFits(gpt2Dims(config), safetensors.byteLength);
  return config;
}

/** Load a model from the two files (config text or object). Throws UserFacingError on any mismatch. */
export function loadGpt2(safetensors: Uint8Array, configJson: string | unknown): Gpt2Model {
  const config = checkGpt2Files(safetensors, configJson); // before a byte of the weights is decoded
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

/**
 * The shipped base classifier as Hugging Face-style files: `config.json` (sizes, activation)
 * and `model.safetensors` (nn.Linear layout: `layers.{i}.weight` [d_out, d_in], `layers.{i}.bias`
 * [d_out]). Reading treats both as untrusted: every problem is a UserFacingError.
 */
import { MlpModel, type MlpConfig } from '../mlp/model';
import { readSafetensors, writeSafetensors } from '../safetensors';
import { UserFacingError, type TensorMap } from '../types';
import { errorMessage } from '../types';

/** What config.json holds. */
export interface Mlp2dConfigFile {
  model_type: 'mlp2d';
  /** Layer widths, input first: [2, 32, 32, 2]. */
  sizes: number[];
  activation: MlpConfig['activation'];
  /** Class count (= the last size). */
  num_labels: number;
}

export function configFile(config: MlpConfig): Mlp2dConfigFile {
  return {
    model_type: 'mlp2d',
    sizes: [...config.sizes],
    activation: config.activation,
    num_labels: config.sizes[config.sizes.length - 1],
  };
}

/** Bytes of model.safetensors for nn.Linear-layout weights. */
export function encodeWeights(weights: TensorMap): Uint8Array {
  return writeSafetensors(weights, { format: 'pt' });
}

/** Parse and check config.json's text. The lab needs 2 inputs (a plane) and 2 classes. */
export function parseConfig(text: string): MlpConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserFacingError(`config.json is not valid JSON (${errorMessage(e)})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UserFacingError('config.json must be a JSON object');
  const c = raw as Record<string, unknown>;
  if (c.model_type !== 'mlp2d')
    throw new UserFacingError(`config.json: model_type must be "mlp2d", got ${JSON.stringify(c.model_type)}`);
  const sizes = c.sizes;
  if (
    !Array.isArray(sizes) ||
    sizes.length < 2 ||
    sizes.length > 8 ||
    !sizes.every((s) => Number.isInteger(s) && s > 0 && s <= 1024)
  ) {
    throw new UserFacingError('config.json: sizes must be 2 to 8 whole numbers between 1 and 1024');
  }
  if (sizes[0] !== 2 || sizes[sizes.length - 1] !== 2) {
    throw new UserFacingError(`config.json: the 2-D lab needs 2 inputs and 2 classes, got sizes [${sizes.join(', ')}]`);
  }
  if (c.activation !== 'tanh' && c.activation !== 'relu')
    throw new UserFacingError(`config.json: activation must be "tanh" or "relu", got ${JSON.stringify(c.activation)}`);
  return { sizes: sizes as number[], activation: c.activation };
}

/** The base model as plain data: what the page keeps, so every lab can own its own device copy. */
export interface BaseFiles {
  config: MlpConfig;
  /** nn.Linear layout: layers.{i}.weight [d_out, d_in], layers.{i}.bias [d_out]. */
  weights: TensorMap;
}

/**
 * Reads and checks both files on the host (no tfjs): every layer's weight and bias must be
 * present with the shape the config implies.
 * @param configText config.json as text
 * @param weightBytes model.safetensors as bytes
 */
export function decodeBaseFiles(configText: string, weightBytes: Uint8Array): BaseFiles {
  const config = parseConfig(configText);
  const { tensors } = readSafetensors(weightBytes);
  const weights: TensorMap = new Map();
  for (let i = 0; i < config.sizes.length - 1; i++) {
    const [dIn, dOut] = [config.sizes[i], config.sizes[i + 1]];
    for (const [key, shape] of [
      [`layers.${i}.weight`, [dOut, dIn]],
      [`layers.${i}.bias`, [dOut]],
    ] as const) {
      const t = tensors.get(key);
      if (!t)
        throw new UserFacingError(
          `model.safetensors has no tensor ${key} (config.json says sizes [${config.sizes.join(', ')}])`,
        );
      if (t.shape.join() !== shape.join())
        throw new UserFacingError(`${key} must have shape [${shape.join(', ')}], got [${t.shape.join(', ')}]`);
      weights.set(key, { shape: t.shape, data: t.data });
    }
  }
  return { config, weights };
}

/** The base model from its two files. The caller owns (and disposes) the returned model. */
export function decodeBaseModel(configText: string, weightBytes: Uint8Array): MlpModel {
  const { config, weights } = decodeBaseFiles(configText, weightBytes);
  return MlpModel.fromWeights(config, weights);
}

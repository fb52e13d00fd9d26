/**
 * The model families the engine knows, keyed by config.json's `model_type`. Everything that
 * depends on the architecture (session, importer, exporter, parameter counter, ΔW views, CLI)
 * asks this registry; nothing else switches on the family.
 */
import { UserFacingError } from '../types';
import { configObject } from '../llama/config';
import type { FamilyName } from './causalLm';
import type { ModelFamily, ModelSpec } from './family';
import { gpt2Family } from './gpt2Family';
import { llamaFamily, qwen2Family } from './llamaFamily';

const FAMILIES: Record<FamilyName, ModelFamily> = { gpt2: gpt2Family, llama: llamaFamily, qwen2: qwen2Family };

/** The supported `model_type` values, in the order messages list them (= modelTypes.ts's MODEL_TYPES). */
export const SUPPORTED_MODEL_TYPES = Object.keys(FAMILIES) as FamilyName[];

/** The family registered under `name`, or a UserFacingError naming the supported ones. */
export function getFamily(name: string): ModelFamily {
  if (!Object.hasOwn(FAMILIES, name)) {
    throw new UserFacingError(
      `config.json: model_type ${JSON.stringify(name.slice(0, 60))} is not supported (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`,
    );
  }
  return FAMILIES[name as FamilyName];
}

/**
 * Parse a config.json (text or object) of any supported family. A config without model_type is
 * read as GPT-2 when it has GPT-2's keys (old checkpoints), else refused.
 * @throws UserFacingError naming model_type, or the family's own named errors.
 */
export function modelSpec(configJson: string | unknown): ModelSpec {
  const o = configObject(configJson);
  const type = o.model_type;
  if (type === undefined && 'n_embd' in o) return gpt2Family.spec(o);
  if (typeof type !== 'string') {
    throw new UserFacingError(
      `config.json: "model_type" is ${type === undefined ? 'missing' : 'not a string'} (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`,
    );
  }
  return getFamily(type).spec(o);
}

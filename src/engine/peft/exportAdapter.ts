/** Writes an adapter as a PEFT adapter folder: safetensors weights, config, model card. */
import type { AdapterWeights } from '../lora/types';
import { writeSafetensors } from '../safetensors';
import { UserFacingError, type TensorMap } from '../types';
import { buildAdapterConfig } from './adapterConfig';
import { pythonStyleJson } from './json';
import { modelCard, type ModelCardInfo } from './modelCard';

export const PEFT_KEY_PREFIX = 'base_model.model.';

export interface AdapterFiles {
  'adapter_model.safetensors': Uint8Array;
  'adapter_config.json': string;
  'README.md': string;
}

function checkFinite(name: string, data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new UserFacingError(
        `${name} holds ${data[i]} at index ${i}; an adapter with non-finite weights is not exported`,
      );
    }
  }
}

/**
 * The three files of a PEFT LoRA adapter. Tensors are F32 named
 * `base_model.model.<module>.lora_A.weight` [r, d_in] and `.lora_B.weight` [d_out, r], with
 * `__metadata__` {"format": "pt"}; the config has sorted keys and indent 2, like PEFT's own.
 * @throws UserFacingError for inconsistent shapes or non-finite weights.
 */
export function exportAdapter(adapter: AdapterWeights, info: ModelCardInfo): AdapterFiles {
  if (adapter.modules.size === 0) throw new UserFacingError('The adapter has no modules to export');
  const tensors: TensorMap = new Map();
  for (const [module, m] of adapter.modules) {
    const [rA, dIn] = m.A.shape;
    const [dOut, rB] = m.B.shape;
    if (m.A.shape.length !== 2 || m.B.shape.length !== 2 || rA !== m.r || rB !== m.r) {
      throw new UserFacingError(
        `${module}: lora_A [${m.A.shape.join(', ')}] and lora_B [${m.B.shape.join(', ')}] do not fit rank ${m.r}`,
      );
    }
    if (m.A.data.length !== rA * dIn || m.B.data.length !== dOut * rB) {
      throw new UserFacingError(`${module}: tensor data length does not match its shape`);
    }
    const keyA = `${PEFT_KEY_PREFIX}${module}.lora_A.weight`;
    const keyB = `${PEFT_KEY_PREFIX}${module}.lora_B.weight`;
    checkFinite(keyA, m.A.data);
    checkFinite(keyB, m.B.data);
    tensors.set(keyA, m.A);
    tensors.set(keyB, m.B);
  }
  return {
    'adapter_model.safetensors': writeSafetensors(tensors, { format: 'pt' }),
    'adapter_config.json': pythonStyleJson(buildAdapterConfig(adapter, info)),
    'README.md': modelCard(adapter, info),
  };
}

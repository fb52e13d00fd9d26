/**
 * Whether a run fits the backend, before its optimizer, batches or activations exist: the
 * closed-form estimate (models/memoryEstimate.ts) of a step at the run's batch × sequence, against
 * what the current backend can hold (backendLimits.ts). Over the limit, the run is refused with
 * the estimate and the ways out (smaller batch or sequence, fewer targets, another backend).
 */
import { backendMemoryLimits } from '../backendLimits';
import { estimateModelMemory } from '../limits';
import type { CausalLm } from '../models/causalLm';
import type { ModelSpec } from '../models/family';
import { limitDimsExact } from '../models/limitDims';
import { memoryProblem, trainingMemory, type MemoryEstimate, type MemoryInput } from '../models/memoryEstimate';
import { UserFacingError } from '../types';
import type { RunSettings } from './types';

/** The numbers of one training step of `settings` (LoRA: the adapter `adapter`, already on the model). */
export function runMemoryInput(
  model: CausalLm,
  spec: ModelSpec,
  settings: RunSettings,
  adapter: string | null,
): MemoryInput {
  const lora = settings.mode === 'lora' && adapter !== null;
  const params = model.baseParamCount();
  return {
    ...model.dims,
    paramCount: params,
    largestWeight: estimateModelMemory(limitDimsExact(spec)).largestTensorBytes / 4,
    mode: settings.mode,
    trainableParams: lora ? model.adapters.paramCount(adapter) : params,
    ...(lora ? { adaptedModules: model.adapters.targets(adapter).length, rank: settings.lora.r ?? 8 } : {}),
    batch: settings.batch,
    seq: Math.min(settings.seq, model.nPositions),
  };
}

/** The closed-form estimate of one training step of `settings`. */
export function runMemory(
  model: CausalLm,
  spec: ModelSpec,
  settings: RunSettings,
  adapter: string | null,
): MemoryEstimate {
  return trainingMemory(runMemoryInput(model, spec, settings, adapter));
}

/**
 * @throws UserFacingError with the estimate and the ways out when the step will not fit the backend
 */
export function assertRunFits(model: CausalLm, spec: ModelSpec, settings: RunSettings, adapter: string | null): void {
  const input = runMemoryInput(model, spec, settings, adapter);
  const problem = memoryProblem(trainingMemory(input), backendMemoryLimits(), input);
  if (problem) throw new UserFacingError(problem);
}

/**
 * What a checkpoint is and what it will take, from config.json and the safetensors headers alone
 * (nothing large read or allocated): the family and its sizes, the stored dtypes, and the
 * closed-form memory estimate of loading it and of a LoRA or full fine-tuning step. The Train
 * page shows this before the learner loads a model of their own.
 */
import { assertModelFits } from '../limits';
import type { ModelDims } from '../models/causalLm';
import { trainingMemory, type MemoryEstimate } from '../models/memoryEstimate';
import { limitDimsExact } from '../models/limitDims';
import type { CheckpointPlan } from './open';

export interface CheckpointDescription {
  family: string;
  /** "GPT-2", "Llama", "Qwen2". */
  familyLabel: string;
  dims: ModelDims;
  /** Base parameters (a tied head once). */
  params: number;
  /** What the files store, e.g. ["BF16"]. */
  dtypes: string[];
  /** Bytes of tensor data in the files, and as float32 once loaded. */
  fileBytes: number;
  loadedBytes: number;
  /** PEFT's default target_modules for the family and every leaf name LoRA can target. */
  defaultTargets: string[];
  targetNames: string[];
  /** Memory of a LoRA step (rank `rank` on the default targets) and of a full fine-tuning step. */
  lora: MemoryEstimate;
  full: MemoryEstimate;
}

/**
 * @param plan from openCheckpoint (headers checked against config.json and the index)
 * @param run the step the estimate is for: LoRA rank, batch rows and tokens per row
 * @throws UserFacingError when the limits (limits.ts) refuse the model
 */
export function describeCheckpoint(
  plan: CheckpointPlan,
  run: { rank: number; batch: number; seq: number },
): CheckpointDescription {
  const { spec } = plan;
  assertModelFits(limitDimsExact(spec), plan.fileBytes);
  const params = spec.paramCount();
  const adapted = spec.linears().filter((l) => spec.defaultTargets.includes(l.name.split('.').pop()!));
  const base = {
    ...spec.dims,
    paramCount: params,
    largestWeight: plan.largestTensorBytes / 4,
    batch: run.batch,
    seq: Math.min(run.seq, spec.dims.nPositions),
  };
  const lora = trainingMemory({
    ...base,
    mode: 'lora',
    trainableParams: adapted.reduce((n, l) => n + run.rank * (l.dIn + l.dOut), 0),
    adaptedModules: adapted.length,
    rank: run.rank,
  });
  const full = trainingMemory({ ...base, mode: 'full', trainableParams: params });
  return {
    family: spec.family,
    familyLabel: spec.label,
    dims: { ...spec.dims },
    params,
    dtypes: [...plan.dtypes],
    fileBytes: plan.fileBytes,
    loadedBytes: plan.float32Bytes,
    defaultTargets: [...spec.defaultTargets],
    targetNames: [...spec.targetNames],
    lora,
    full,
  };
}

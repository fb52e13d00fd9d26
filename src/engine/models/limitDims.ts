/** A family's sizes in the form the hardening limits take (limits.ts: one closed-form bound for every family). */
import { estimateModelMemory, type ModelDims as LimitDims } from '../limits';
import type { ModelSpec } from './family';

/** The spec's numbers for assertModelFits / estimateModelMemory. */
export function limitDims(spec: ModelSpec): LimitDims {
  const d = spec.dims;
  const gpt2 = d.family === 'gpt2';
  return {
    family: spec.label,
    layers: d.layers,
    hidden: d.hidden,
    heads: d.heads,
    kvHeads: d.kvHeads,
    headDim: d.headDim,
    vocab: d.vocabSize,
    positions: d.nPositions,
    inner: d.inner,
    tied: d.tiedHead,
    learnedPositions: gpt2,
    gatedMlp: !gpt2,
    biases: gpt2,
    norm: gpt2 ? 'layernorm' : 'rmsnorm',
  };
}

/**
 * The spec's numbers for assertModelFits, with what the shared formula leaves out (Qwen2's q/k/v
 * biases, Llama's optional attention/MLP biases) as extraParams, so its count is the family's own.
 */
export function limitDimsExact(spec: ModelSpec): LimitDims {
  const d = limitDims(spec);
  return { ...d, extraParams: spec.paramCount() - estimateModelMemory(d).params };
}

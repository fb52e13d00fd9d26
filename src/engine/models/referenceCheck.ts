/**
 * A tfjs model against its family's float64 reference: logits, loss and the active adapter's
 * ∂loss/∂A, ∂loss/∂B on one batch. Shared by the unit tests and the browser self-test.
 */
import type { RefLora } from '../reference/gpt2';
import { loraGradients } from '../train/gradients';
import type { TokenBatch } from '../types';
import type { TensorMap } from '../types';
import type { CausalLm } from './causalLm';

/** A family's float64 reference, bound to its config. */
export interface ReferenceFns {
  logits(weights: TensorMap, lora: RefLora, ids: Int32Array, B: number, T: number): Float64Array;
  loss(weights: TensorMap, lora: RefLora, batch: TokenBatch): number;
  grads(weights: TensorMap, lora: RefLora, batch: TokenBatch): Map<string, { A: Float64Array; B: Float64Array }>;
}

export interface ReferenceErrors {
  /** max |logit − reference| over all logits. */
  maxLogitErr: number;
  /** max |g − g_ref| / max(1e-3, max |g_ref|) per factor, over A and B of every module. */
  maxGradErr: number;
  /** |loss − reference loss| (nats). */
  lossErr: number;
}

/** The model's active adapter as the reference's float64 factors. */
export async function refLoraOf(model: CausalLm): Promise<RefLora> {
  const lora: RefLora = new Map();
  const active = model.adapters.active;
  if (active === null) return lora;
  const adapter = await model.adapters.export(active);
  for (const [path, m] of adapter.modules) {
    lora.set(path, { A: Float64Array.from(m.A.data), B: Float64Array.from(m.B.data), r: m.r, scaling: m.scaling });
  }
  return lora;
}

/** Compares model and reference on `batch` (the model needs an active, unmerged adapter). */
export async function compareToReference(
  model: CausalLm,
  ref: ReferenceFns,
  batch: TokenBatch,
): Promise<ReferenceErrors> {
  const weights = await model.exportWeights();
  const lora = await refLoraOf(model);
  const logits = await model.logits(batch.input, batch.batch, batch.seq);
  const expected = ref.logits(weights, lora, batch.input, batch.batch, batch.seq);
  let maxLogitErr = 0;
  for (let i = 0; i < expected.length; i++) maxLogitErr = Math.max(maxLogitErr, Math.abs(logits.data[i] - expected[i]));
  const grads = await loraGradients(model, batch);
  const refGrads = ref.grads(weights, lora, batch);
  let maxGradErr = 0;
  for (const [path, g] of grads.modules) {
    const r = refGrads.get(path)!;
    for (const k of ['A', 'B'] as const) {
      let scale = 1e-3;
      for (const v of r[k]) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < r[k].length; i++) maxGradErr = Math.max(maxGradErr, Math.abs(g[k].data[i] - r[k][i]) / scale);
    }
  }
  const lossErr = Math.abs(grads.loss - ref.loss(weights, lora, batch));
  return { maxLogitErr, maxGradErr, lossErr };
}

/**
 * Engine self-test for any backend (run on webgpu from an e2e page): a tiny GPT-2 with random
 * LoRA factors on every linear layer; logits and ∂loss/∂A, ∂loss/∂B from tfjs are compared with
 * the float64 plain-TypeScript reference. Uses the current tfjs backend.
 */
import { tf } from '../tf';
import { refLogits, refLoraGradients, refLoss, type RefLora } from '../reference/gpt2';
import { loraGradients } from '../train/gradients';
import type { TokenBatch } from '../types';
import { tinyGpt2Config } from '../gpt2/config';
import { Gpt2Model } from '../gpt2/model';

export interface EngineSelfTest {
  ok: boolean;
  /** max |logit − reference| over all logits. */
  maxLogitErr: number;
  /** max |g − g_ref| / max(1e-3, max |g_ref|), over A and B of every module. */
  maxGradErr: number;
  /** |loss − reference loss| (nats). */
  lossErr: number;
  backend: string;
}

/** Tolerances: logits are O(1) (float32 rounding ~1e-6); gradients carry FD and float32 error. */
export const SELF_TEST_TOLERANCE = { logits: 1e-4, grads: 2e-3 };

/** A fixed tiny setup shared by the self-test and the unit tests. */
export function selfTestSetup(): { batch: TokenBatch } {
  const B = 2;
  const T = 5;
  const input = new Int32Array(B * T);
  const target = new Int32Array(B * T);
  for (let i = 0; i < B * T; i++) {
    input[i] = (i * 7 + 3) % 11;
    target[i] = (i * 5 + 1) % 11;
  }
  return { batch: { input, target, batch: B, seq: T } };
}

export async function runEngineSelfTest(): Promise<EngineSelfTest> {
  const config = tinyGpt2Config();
  const { batch } = selfTestSetup();
  const before = tf.memory().numTensors;
  const model = Gpt2Model.random(config, 7);
  try {
    // Both factors random (init false) so ∂/∂A is non-zero; rsLoRA and a rank pattern exercise scaling.
    await model.adapters.add(
      't',
      { r: 2, lora_alpha: 3, target_modules: 'all-linear', init_lora_weights: false, rank_pattern: { c_fc: 3 } },
      11,
    );
    const weights = await model.exportWeights();
    const adapter = await model.adapters.export('t');
    const lora: RefLora = new Map();
    for (const [path, m] of adapter.modules) {
      lora.set(path, { A: Float64Array.from(m.A.data), B: Float64Array.from(m.B.data), r: m.r, scaling: m.scaling });
    }
    const logits = await model.logits(batch.input, batch.batch, batch.seq);
    const ref = refLogits(config, weights, lora, batch.input, batch.batch, batch.seq);
    let maxLogitErr = 0;
    for (let i = 0; i < ref.length; i++) maxLogitErr = Math.max(maxLogitErr, Math.abs(logits.data[i] - ref[i]));
    const grads = await loraGradients(model, batch);
    const refGrads = refLoraGradients(config, weights, lora, batch);
    let maxGradErr = 0;
    for (const [path, g] of grads.modules) {
      const r = refGrads.get(path)!;
      for (const k of ['A', 'B'] as const) {
        let scale = 1e-3;
        for (const v of r[k]) scale = Math.max(scale, Math.abs(v));
        for (let i = 0; i < r[k].length; i++)
          maxGradErr = Math.max(maxGradErr, Math.abs(g[k].data[i] - r[k][i]) / scale);
      }
    }
    const lossErr = Math.abs(grads.loss - refLoss(config, weights, lora, batch));
    const ok =
      maxLogitErr < SELF_TEST_TOLERANCE.logits &&
      maxGradErr < SELF_TEST_TOLERANCE.grads &&
      lossErr < SELF_TEST_TOLERANCE.logits &&
      Number.isFinite(maxLogitErr + maxGradErr + lossErr);
    return { ok, maxLogitErr, maxGradErr, lossErr, backend: tf.getBackend() };
  } finally {
    model.dispose();
    if (tf.memory().numTensors !== before)
      console.warn(`engine self-test leaked ${tf.memory().numTensors - before} tensors`);
  }
}

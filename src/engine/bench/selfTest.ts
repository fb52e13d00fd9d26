/**
 * Engine self-test for any backend (run on webgpu/webgl/wasm from an e2e page): a tiny GPT-2 and
 * a tiny Llama-family model (grouped-query attention, q/k/v biases, separate head) with random
 * LoRA factors on every linear layer; logits and ∂loss/∂A, ∂loss/∂B from tfjs are compared with
 * each family's float64 plain-TypeScript reference; then the streaming checkpoint loader end to
 * end (checkpoint/selfCheck.ts). Uses the current tfjs backend.
 */
import { tf } from '../tf';
import { runCheckpointSelfCheck, type CheckpointSelfCheck } from '../checkpoint/selfCheck';
import { llamaConfigJson, tinyLlamaConfig } from '../llama/config';
import type { CausalLm } from '../models/causalLm';
import { compareToReference, type ReferenceErrors } from '../models/referenceCheck';
import { modelSpec } from '../models/registry';
import type { TokenBatch } from '../types';
import { gpt2ConfigJson, tinyGpt2Config } from '../gpt2/config';

export interface ModelSelfTest extends ReferenceErrors {
  family: string;
  ok: boolean;
}

export interface EngineSelfTest extends ReferenceErrors {
  /** Every model within tolerance. */
  ok: boolean;
  backend: string;
  /** Per model; the top-level errors are the largest over these. */
  models: ModelSelfTest[];
  /** The streaming checkpoint loader: sharded BF16 load, LoRA steps, HF export, reload. */
  checkpoint: CheckpointSelfCheck;
}

/** Tolerances: logits are O(1) (float32 rounding ~1e-6); gradients carry FD and float32 error. */
export const SELF_TEST_TOLERANCE = { logits: 1e-4, grads: 2e-3 };

/** A fixed tiny setup shared by the self-test and the unit tests (ids < 11). */
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

/** The configs checked: GPT-2, and a Qwen2-style Llama (GQA 4/2, q/k/v biases, untied head). */
const CONFIGS: Record<string, unknown> = {
  gpt2: gpt2ConfigJson(tinyGpt2Config()),
  qwen2: llamaConfigJson(tinyLlamaConfig({ model_type: 'qwen2', qkv_bias: true })),
};

async function check(family: string, config: unknown, batch: TokenBatch): Promise<ModelSelfTest> {
  const spec = modelSpec(config);
  let model: CausalLm | null = null;
  try {
    model = spec.random(7);
    if (spec.fanInFanOut === false) {
      // Random biases and norms so that a wrong one shows (transformers' init has zeros and ones).
      const w = await model.exportWeights();
      for (const [name, t] of w)
        if (/(bias|norm\.weight)$/.test(name)) t.data.forEach((_, i, a) => (a[i] += 0.1 * Math.sin(i + 1)));
      model.dispose();
      model = spec.fromWeights(w);
    }
    // Both factors random (init false) so ∂/∂A is non-zero; a rank pattern exercises scaling.
    await model.adapters.add(
      't',
      {
        r: 2,
        lora_alpha: 3,
        target_modules: 'all-linear',
        init_lora_weights: false,
        rank_pattern: { c_fc: 3, gate_proj: 3 },
      },
      11,
    );
    const e = await compareToReference(model, spec.reference(), batch);
    const ok =
      e.maxLogitErr < SELF_TEST_TOLERANCE.logits &&
      e.maxGradErr < SELF_TEST_TOLERANCE.grads &&
      e.lossErr < SELF_TEST_TOLERANCE.logits &&
      Number.isFinite(e.maxLogitErr + e.maxGradErr + e.lossErr);
    return { family, ok, ...e };
  } finally {
    model?.dispose();
  }
}

export async function runEngineSelfTest(): Promise<EngineSelfTest> {
  const { batch } = selfTestSetup();
  const before = tf.memory().numTensors;
  const models: ModelSelfTest[] = [];
  for (const [family, config] of Object.entries(CONFIGS)) models.push(await check(family, config, batch));
  if (tf.memory().numTensors !== before)
    console.warn(`engine self-test leaked ${tf.memory().numTensors - before} tensors`);
  const checkpoint = await runCheckpointSelfCheck();
  if (tf.memory().numTensors !== before)
    console.warn(`checkpoint self-check leaked ${tf.memory().numTensors - before} tensors`);
  const max = (k: keyof ReferenceErrors) => Math.max(...models.map((m) => m[k]));
  return {
    ok: models.every((m) => m.ok) && checkpoint.ok,
    checkpoint,
    backend: tf.getBackend(),
    maxLogitErr: max('maxLogitErr'),
    maxGradErr: max('maxGradErr'),
    lossErr: max('lossErr'),
    models,
  };
}

import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { gpt2ConfigJson, tinyGpt2Config } from '../gpt2/config';
import { llamaConfigJson, tinyLlamaConfig } from '../llama/config';
import { LmTrainer } from '../train/lmTrainer';
import type { CausalLm } from './causalLm';
import type { CausalLmBase } from './lmBase';
import { modelSpec } from './registry';

const batch = {
  input: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
  target: Int32Array.from([2, 3, 4, 5, 6, 7, 8, 9, 10, 0]),
  batch: 2,
  seq: 5,
};

/** Loss and gradients of every trained variable, with seeded dropout masks (the same sequence each call). */
async function grads(model: CausalLm, vars: tf.Variable[]): Promise<Float32Array[]> {
  let seed = 100;
  const out = tf.tidy(() => {
    const r = tf.variableGrads(() => model.lossTensor(batch, { training: true, nextSeed: () => seed++ }), vars);
    return [r.value, ...vars.map((v) => r.grads[v.name])];
  });
  const data = await Promise.all(out.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(out);
  return data;
}

const maxGap = (a: Float32Array[], b: Float32Array[]) =>
  Math.max(...a.map((x, i) => Math.max(...x.map((v, j) => Math.abs(v - b[i][j])))));

describe.each(['cpu', 'wasm'] as const)('layer recomputation on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ force: backend });
  });

  it.each([
    ['gpt2', gpt2ConfigJson(tinyGpt2Config())],
    ['llama', llamaConfigJson(tinyLlamaConfig())],
  ])(
    '%s: the same loss and gradients (LoRA with dropout, lean or cached weights, and full), tensors flat across steps',
    async (_f, json) => {
      const before = tf.memory().numTensors;
      const model = modelSpec(json).random(2) as CausalLm & CausalLmBase;
      await model.adapters.add(
        'a',
        { r: 2, target_modules: 'all-linear', init_lora_weights: false, lora_dropout: 0.2 },
        3,
      );
      const lora = model.adapters.variables().map((v) => v.variable);
      model.recomputeLayers = false;
      const plain = await grads(model, lora);
      model.recomputeLayers = true;
      // Each layer's backward runs its own gradient pass: 1 + layers passes in all.
      const engine = tf.engine() as unknown as { gradients: (...a: unknown[]) => unknown };
      const original = engine.gradients;
      let passes = 0;
      engine.gradients = function (this: unknown, ...a: unknown[]) {
        passes++;
        return original.apply(this, a);
      };
      const again = await grads(model, lora).finally(() => (engine.gradients = original));
      expect(passes).toBe(1 + model.dims.layers);
      expect(maxGap(plain, again)).toBeLessThan(1e-6);
      expect(plain[1].some((v) => v !== 0)).toBe(true);
      // frozen weights multiplied by fresh blocks (big models' mode): the same numbers
      model.leanFrozenWeights = true;
      model.recomputeLayers = false;
      expect(maxGap(plain, await grads(model, lora))).toBeLessThan(1e-6);
      model.leanFrozenWeights = 'auto';
      const trainer = new LmTrainer(model, { mode: 'lora', learningRate: 1e-2, totalSteps: 6 });
      const counts: number[] = [];
      for (let i = 0; i < 6; i++) counts.push((await trainer.step(batch)).numTensors);
      expect(counts[1]).toBe(counts[5]);
      trainer.dispose();
      const full = model.cloneTrainable() as CausalLm & CausalLmBase;
      const vars = full.baseVariables().map((v) => v.variable);
      full.recomputeLayers = false;
      const fullPlain = await grads(full, vars);
      full.recomputeLayers = true;
      expect(maxGap(fullPlain, await grads(full, vars))).toBeLessThan(1e-6);
      full.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});

import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { Rng } from '../rng';
import { tinyGpt2Config } from '../gpt2/config';
import { Gpt2Model } from '../gpt2/model';
import type { CausalLm } from '../models/causalLm';
import { initGpt2Weights } from '../gpt2/params';
import { webgpuForTests } from '../webgpuTests';
import { meanTokenLoss } from './evaluate';
import { Gpt2Trainer, type TrainMode } from './gpt2Trainer';
import type { TokenBatch } from '../types';

const gpu = await webgpuForTests('gpt2Trainer.test.ts');

const config = tinyGpt2Config(); // 2 layers, C = 16, V = 11, T ≤ 8

/** A fixed synthetic task: x₍t+1₎ = (3·x_t + 1) mod 11 from a random start (a permutation to learn). */
function taskBatch(rng: Rng, batch = 8, seq = 8): TokenBatch {
  const input = new Int32Array(batch * seq);
  const target = new Int32Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    let x = rng.int(11);
    for (let t = 0; t < seq; t++) {
      const next = (3 * x + 1) % 11;
      input[b * seq + t] = x;
      target[b * seq + t] = next;
      x = next;
    }
  }
  return { input, target, batch, seq };
}

/**
 * A random base whose token embeddings are large enough to be read out: GPT-2's N(0, 0.02) wte
 * caps a tied head's logits at ~±0.3 when LN and wte are frozen, so LoRA alone could not fit
 * any task; a pretrained base has such embeddings, this one gets them by scaling.
 */
function usableBase(seed: number): Gpt2Model {
  const w = initGpt2Weights(config, seed);
  w.get('transformer.wte.weight')!.data.forEach((v, i, a) => (a[i] = 25 * v));
  return Gpt2Model.fromWeights(config, w);
}

const heldOut = (() => {
  const rng = new Rng(999);
  return [taskBatch(rng), taskBatch(rng)];
})();
const heldOutLoss = async (model: CausalLm) => (await meanTokenLoss(model, heldOut)).loss;

describe.each(['cpu', 'wasm'] as const)('GPT-2 training on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ force: backend });
  });

  it('LoRA lowers held-out loss from > 2 to < 0.5 nats; the base stays bit-identical', async () => {
    const start = tf.memory().numTensors;
    const model = usableBase(1);
    const base = await model.exportWeights();
    await model.adapters.add('task', { r: 4, lora_alpha: 8, target_modules: 'all-linear' }, 2);
    const trainer = new Gpt2Trainer(model, {
      mode: 'lora',
      learningRate: 2e-2,
      warmupSteps: 10,
      totalSteps: 100,
      seed: 3,
    });
    expect(trainer.trainableParameters().trainable).toBe(model.adapters.paramCount('task'));
    const before = await heldOutLoss(trainer.model);
    const rng = new Rng(5);
    let last;
    for (let i = 0; i < 100; i++) last = await trainer.step(taskBatch(rng));
    const after = await heldOutLoss(trainer.model);
    console.log(
      `${backend} lora: held-out ${before.toFixed(3)} → ${after.toFixed(3)}, ${last!.msPerStep.toFixed(1)} ms/step`,
    );
    expect(before).toBeGreaterThan(2);
    expect(after).toBeLessThan(0.5);
    expect(last!.tokensPerSec).toBeGreaterThan(0);
    const baseAfter = await model.exportWeights();
    for (const [name, t] of base)
      expect(Buffer.from(baseAfter.get(name)!.data.buffer).equals(Buffer.from(t.data.buffer))).toBe(true);
    const snap = await trainer.snapshot();
    expect('modules' in snap && snap.modules.size).toBe(8);
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('trains the adapter it is given by name, whichever one is active', async () => {
    const model = usableBase(1);
    await model.adapters.add('trained', { r: 2, lora_alpha: 4 }, 2);
    await model.adapters.add('other', { r: 2, lora_alpha: 4 }, 3); // the active one now
    const [trainedBefore, otherBefore] = [await model.adapters.export('trained'), await model.adapters.export('other')];
    const trainer = new Gpt2Trainer(model, { mode: 'lora', adapter: 'trained', learningRate: 1e-2, totalSteps: 3 });
    expect(trainer.adapterName).toBe('trained');
    const rng = new Rng(5);
    for (let i = 0; i < 3; i++) await trainer.step(taskBatch(rng));
    trainer.dispose();
    const B = async (name: string) =>
      [...(await model.adapters.export(name)).modules.values()].map((m) => [...m.B.data]);
    const before = (w: typeof otherBefore) => [...w.modules.values()].map((m) => [...m.B.data]);
    expect(model.adapters.active).toBe('other');
    expect(await B('other')).toEqual(before(otherBefore)); // untouched
    expect(await B('trained')).not.toEqual(before(trainedBefore)); // B = 0 at init; trained through its own branch
    model.dispose();
  });

  it('tf.memory().numTensors is the same after step 2 and step 200, and back to the start after dispose()', async () => {
    const start = tf.memory().numTensors;
    const model = Gpt2Model.random(config, 1);
    await model.adapters.add('a', { r: 2, lora_dropout: 0.1 }, 2);
    const trainer = new Gpt2Trainer(model, { mode: 'lora', learningRate: 1e-2, totalSteps: 200 });
    const batch = taskBatch(new Rng(1), 2, 4);
    const counts: number[] = [];
    for (let i = 0; i < 200; i++) counts.push((await trainer.step(batch)).numTensors);
    expect(counts[1]).toBe(counts[199]);
    await meanTokenLoss(model, [batch]);
    expect(tf.memory().numTensors).toBe(counts[199]);
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('full fine-tuning lowers held-out loss from > 2 to < 0.5 nats and leaves the source model untouched', async () => {
    const start = tf.memory().numTensors;
    const model = Gpt2Model.random(config, 1);
    const base = await model.exportWeights();
    const trainer = new Gpt2Trainer(model, {
      mode: 'full',
      learningRate: 5e-3,
      warmupSteps: 10,
      totalSteps: 100,
      seed: 3,
    });
    expect(trainer.trainableParameters().trainable).toBe(model.baseParamCount());
    const before = await heldOutLoss(trainer.model);
    const rng = new Rng(5);
    const counts: number[] = [];
    for (let i = 0; i < 100; i++) counts.push((await trainer.step(taskBatch(rng))).numTensors);
    const after = await heldOutLoss(trainer.model);
    console.log(`${backend} full: held-out ${before.toFixed(3)} → ${after.toFixed(3)}`);
    expect(before).toBeGreaterThan(2);
    expect(after).toBeLessThan(0.5);
    expect(counts[1]).toBe(counts[counts.length - 1]);
    const trained = (await trainer.snapshot()) as Map<string, { data: Float32Array }>;
    expect(trained.get('transformer.wte.weight')!.data).not.toEqual(base.get('transformer.wte.weight')!.data); // embeddings trained (one-hot path)
    const source = await model.exportWeights();
    for (const [name, t] of base) expect(source.get(name)!.data).toEqual(t.data);
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('same seed ⇒ same run (losses identical step by step)', async () => {
    const run = async () => {
      const model = Gpt2Model.random(config, 4);
      await model.adapters.add('a', { r: 2, lora_dropout: 0.1 }, 4);
      const trainer = new Gpt2Trainer(model, { mode: 'lora', learningRate: 1e-2, totalSteps: 5, seed: 9 });
      const rng = new Rng(1);
      const losses = [];
      for (let i = 0; i < 5; i++) losses.push((await trainer.step(taskBatch(rng, 4))).loss);
      trainer.dispose();
      model.dispose();
      return losses;
    };
    expect(await run()).toEqual(await run());
  });
});

/** A few steps on the current backend: per-step loss, tensors and bytes, and the trained weights. */
async function shortRun(mode: TrainMode, steps: number) {
  const start = tf.memory().numTensors;
  const model = usableBase(1);
  const base = await model.exportWeights();
  if (mode === 'lora') await model.adapters.add('task', { r: 4, lora_alpha: 8, target_modules: 'all-linear' }, 2);
  const trainer = new Gpt2Trainer(model, { mode, learningRate: 1e-2, warmupSteps: 2, totalSteps: steps, seed: 3 });
  const batch = taskBatch(new Rng(5), 2, 8);
  const stats = [];
  for (let i = 0; i < steps; i++) stats.push(await trainer.step(batch));
  const snap = await trainer.snapshot();
  const trained =
    'modules' in snap
      ? [...snap.modules.values()].flatMap((m) => [...m.A.data, ...m.B.data])
      : [...snap.values()].flatMap((t) => [...t.data]);
  const baseAfter = await model.exportWeights();
  const baseSame = [...base].every(([n, t]) =>
    Buffer.from(baseAfter.get(n)!.data.buffer).equals(Buffer.from(t.data.buffer)),
  );
  trainer.dispose();
  model.dispose();
  return { stats, trained, baseSame, leaked: tf.memory().numTensors - start };
}

describe('GPT-2 training on webgpu in Node (Dawn), against cpu', () => {
  it.skipIf(!gpu.ok).each(['lora', 'full'] as const)(
    '%s: same losses and weights as cpu (1e-4), base untouched, tensors and bytes flat, nothing leaked',
    async (mode) => {
      await selectBackend({ force: 'cpu' });
      const ref = await shortRun(mode, 4);
      await selectBackend({ force: 'webgpu' });
      const run = await shortRun(mode, 4);
      run.stats.forEach((st, i) => expect(Math.abs(st.loss - ref.stats[i].loss)).toBeLessThan(1e-4));
      let d = 0;
      run.trained.forEach((x, i) => (d = Math.max(d, Math.abs(x - ref.trained[i]))));
      expect(d).toBeLessThan(1e-4);
      expect(run.stats[3].loss).toBeLessThan(run.stats[0].loss);
      expect(run.stats[1].numTensors).toBe(run.stats[3].numTensors);
      expect(run.stats[1].numBytes).toBe(run.stats[3].numBytes);
      expect(run.baseSame).toBe(true);
      expect(run.leaked).toBe(0);
      console.log(
        `webgpu ${mode}: losses ${run.stats.map((s) => s.loss.toFixed(4)).join(' ')}, max |Δw| vs cpu ${d.toExponential(1)}`,
      );
    },
  );
});

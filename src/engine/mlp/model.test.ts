import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { Rng } from '../rng';
import { MlpModel, type PointBatch } from './model';
import { MlpTrainer } from './trainer';

const config = { sizes: [2, 16, 16, 2], activation: 'tanh' as const };

/** Two interleaved moons-ish classes: label = sign of sin(3x)·y-ish boundary. */
function points(rng: Rng, n: number): PointBatch {
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.uniform(-1, 1);
    const b = rng.uniform(-1, 1);
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = b > 0.5 * Math.sin(3 * a) ? 1 : 0;
  }
  return { x, y, n };
}

describe.each(['cpu', 'wasm'] as const)('MLP classifier on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ force: backend });
  });

  it('forward equals a hand computation in nn.Linear layout; export keeps [d_out, d_in]', async () => {
    const model = MlpModel.random({ sizes: [2, 3, 2], activation: 'relu' }, 1);
    const w = await model.exportWeights();
    expect(w.get('layers.0.weight')!.shape).toEqual([3, 2]);
    expect(w.get('layers.1.weight')!.shape).toEqual([2, 3]);
    const W0 = w.get('layers.0.weight')!.data;
    const b0 = w.get('layers.0.bias')!.data;
    const W1 = w.get('layers.1.weight')!.data;
    const b1 = w.get('layers.1.bias')!.data;
    const p = [0.3, -0.7];
    const h = [0, 1, 2].map((o) => Math.max(0, W0[o * 2] * p[0] + W0[o * 2 + 1] * p[1] + b0[o]));
    const z = [0, 1].map((o) => W1[o * 3] * h[0] + W1[o * 3 + 1] * h[1] + W1[o * 3 + 2] * h[2] + b1[o]);
    const e = z.map((v) => Math.exp(v - Math.max(...z)));
    const probs = await model.predict(Float32Array.from(p), 1);
    expect(probs[0]).toBeCloseTo(e[0] / (e[0] + e[1]), 6);
    const again = MlpModel.fromWeights({ sizes: [2, 3, 2], activation: 'relu' }, w);
    expect(await again.predict(Float32Array.from(p), 1)).toEqual(probs);
    again.dispose();
    model.dispose();
  });

  it('LoRA (fan_in_fan_out false) on layers.1 and full training both fit the boundary; no leaks', async () => {
    const start = tf.memory().numTensors;
    const rng = new Rng(3);
    const test = points(new Rng(77), 400);
    for (const mode of ['lora', 'full'] as const) {
      const model = MlpModel.random(config, 2);
      if (mode === 'lora')
        await model.adapters.add(
          'boundary',
          { r: 4, lora_alpha: 8, target_modules: ['layers.0', 'layers.1', 'layers.2'] },
          1,
        );
      expect(model.adapters.modules.map((m) => m.name)).toEqual(['layers.0', 'layers.1', 'layers.2']);
      const trainer = new MlpTrainer(model, { mode, learningRate: 0.03, totalSteps: 250, maxGradNorm: 0 });
      const accBefore = await trainer.model.accuracy(test);
      const counts: number[] = [];
      for (let i = 0; i < 250; i++) counts.push((await trainer.step(points(rng, 64))).numTensors);
      const acc = await trainer.model.accuracy(test);
      console.log(`${backend} mlp ${mode}: accuracy ${accBefore.toFixed(2)} → ${acc.toFixed(2)}`);
      expect(acc).toBeGreaterThan(0.9);
      expect(counts[1]).toBe(counts[249]);
      if (mode === 'lora') {
        expect(trainer.trainableParameters().trainable).toBe(4 * (2 + 16) + 4 * (16 + 16) + 4 * (16 + 2));
        const exported = await model.adapters.export();
        expect(exported.config.fan_in_fan_out).toBe(false);
        expect(exported.modules.get('layers.0')!.A.shape).toEqual([4, 2]);
      }
      trainer.dispose();
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('reports bad input clearly', async () => {
    expect(() => MlpModel.random({ sizes: [2], activation: 'tanh' })).toThrow(/at least two positive integers/);
    const model = MlpModel.random(config, 1);
    await expect(model.loss({ x: new Float32Array(4), y: Int32Array.from([0, 2]), n: 2 })).rejects.toThrow(
      /y\[1\] = 2 is not a class in \[0, 2\)/,
    );
    await expect(model.predict(new Float32Array(3), 2)).rejects.toThrow(/expected 2×2 inputs/);
    model.dispose();
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { learningRateAt } from './schedule';
import { Trainer, type TrainerOptions, type TrainTarget } from './trainer';

const vec = (v: number[]) => tf.tidy(() => tf.variable(tf.tensor1d(v)));

/** A toy target: loss = ½‖w − c‖² (gradient w − c), or log(w₀) to force divergence. */
function toy(w: tf.Variable, kind: 'quadratic' | 'log', c = [3, -1, 0.5]): TrainTarget<number> {
  return {
    variables: [{ name: 'w', variable: w }],
    loss: () => (kind === 'log' ? tf.sum(tf.log(w)) : tf.mul(tf.sum(tf.square(tf.sub(w, tf.tensor1d(c)))), 0.5)),
    check: () => {},
    size: () => 1,
    shape: () => '1',
  };
}

/** PyTorch's Adam/AdamW with optional global-norm clipping, float64, on the same quadratic. */
function hostAdam(w0: number[], c: number[], steps: number, o: TrainerOptions): number[] {
  const w = [...w0];
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  const [b1, b2, eps] = [o.beta1 ?? 0.9, o.beta2 ?? 0.999, o.epsilon ?? 1e-8];
  const wd = o.weightDecay ?? (o.optimizer === 'adam' ? 0 : 0.01);
  for (let t = 1; t <= steps; t++) {
    const lr = learningRateAt(t - 1, o);
    let g = w.map((x, i) => x - c[i]);
    const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
    const maxNorm = o.maxGradNorm ?? 1;
    if (maxNorm > 0) g = g.map((x) => x * Math.min(1, maxNorm / (norm + 1e-6)));
    for (let i = 0; i < w.length; i++) {
      let gi = g[i];
      if (o.optimizer === 'adam') gi += wd * w[i];
      else w[i] *= 1 - lr * wd;
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      w[i] -= ((lr / (1 - b1 ** t)) * m[i]) / (Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps);
    }
  }
  return w;
}

describe('learning-rate schedule', () => {
  it('warms up linearly, peaks, then follows a cosine to the floor', () => {
    const o = { learningRate: 1, warmupSteps: 4, totalSteps: 14, minLearningRate: 0.1 };
    expect([0, 1, 2, 3].map((s) => learningRateAt(s, o))).toEqual([0.25, 0.5, 0.75, 1]);
    expect(learningRateAt(4, o)).toBe(1);
    expect(learningRateAt(9, o)).toBeCloseTo(0.55, 12); // halfway: floor + ½(peak − floor)
    expect(learningRateAt(14, o)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(100, o)).toBeCloseTo(0.1, 12);
  });
});

describe.each(['cpu', 'wasm'] as const)('Trainer on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ force: backend });
  });

  const w0 = [0.5, 2, -1];
  const c = [3, -1, 0.5];
  const cases: [string, TrainerOptions][] = [
    [
      'adamw, decay, no clipping',
      { optimizer: 'adamw', learningRate: 0.1, totalSteps: 8, weightDecay: 0.1, maxGradNorm: 0 },
    ],
    [
      'adam + L2, warm-up, cosine',
      { optimizer: 'adam', learningRate: 0.2, warmupSteps: 2, totalSteps: 8, weightDecay: 0.05, maxGradNorm: 0 },
    ],
    [
      'adamw with clipping at 0.5',
      { optimizer: 'adamw', learningRate: 0.05, totalSteps: 8, maxGradNorm: 0.5, beta2: 0.99 },
    ],
  ];
  it.each(cases)('%s matches a float64 PyTorch-formula reference (1e-5)', async (_label, o) => {
    const w = vec(w0);
    const trainer = new Trainer(toy(w, 'quadratic', c), o);
    const stats = [];
    for (let i = 0; i < 8; i++) stats.push(await trainer.step(0));
    const expected = hostAdam(w0, c, 8, o);
    const got = Array.from(await w.data());
    got.forEach((g, i) => expect(Math.abs(g - expected[i])).toBeLessThan(1e-5));
    expect(stats[0].gradNorm).toBeCloseTo(Math.hypot(2.5, -3, 1.5), 5);
    expect(stats[0].clipped).toBe((o.maxGradNorm ?? 1) > 0 && stats[0].gradNorm > (o.maxGradNorm ?? 1));
    expect(stats[0].loss).toBeCloseTo(0.5 * (2.5 ** 2 + 9 + 1.5 ** 2), 5);
    expect(trainer.optimizerStateBytes()).toBe(2 * 4 * 3);
    trainer.dispose();
    w.dispose();
  });

  it('packed (one flat update) and per-variable Adam give the same weights bit for bit, and match the reference', async () => {
    const shapes = [[2, 3], [3], [1, 4]];
    const init = [0.5, 2, -1, 0.25, -0.75, 1.5, 3, -2, 0.1, 0.9, -0.4, 1.2, 0.6];
    const target = init.map((x, i) => x + (i % 3) - 1 + 0.3 * i);
    const o: TrainerOptions = { optimizer: 'adamw', learningRate: 0.05, totalSteps: 6, maxGradNorm: 0.5 };
    const run = async (packed: boolean) => {
      const before = tf.memory().numTensors;
      let at = 0;
      const parts = shapes.map((shape) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const part = {
          w: tf.tidy(() => tf.variable(tf.tensor(init.slice(at, at + n), shape))),
          c: target.slice(at, at + n),
        };
        at += n;
        return part;
      });
      const t: TrainTarget<number> = {
        variables: parts.map((p, i) => ({ name: `w${i}`, variable: p.w })),
        loss: () =>
          tf.mul(
            tf.addN(parts.map((p) => tf.sum(tf.square(tf.sub(p.w, tf.tensor(p.c, p.w.shape)))))),
            0.5,
          ) as tf.Scalar,
        check: () => {},
        size: () => 1,
        shape: () => '1',
      };
      const trainer = new Trainer(t, { ...o, packedOptimizer: packed });
      for (let i = 0; i < 6; i++) await trainer.step(0);
      const out: number[] = [];
      for (const p of parts) out.push(...(await p.w.data()));
      expect(trainer.optimizerStateBytes()).toBe(2 * 4 * init.length);
      trainer.dispose();
      parts.forEach((p) => p.w.dispose());
      expect(tf.memory().numTensors).toBe(before);
      return out;
    };
    const packed = await run(true);
    expect(packed).toEqual(await run(false));
    hostAdam(init, target, 6, o).forEach((x, i) => expect(Math.abs(packed[i] - x)).toBeLessThan(1e-5));
  });

  it('divergence guard: a non-finite loss stops training and restores the last finite weights', async () => {
    const before = tf.memory().numTensors;
    const w = vec([1]);
    // Adam's first step moves w by ≈ lr against the gradient (1/w = 1): 1 → −9, where log is NaN.
    const trainer = new Trainer(toy(w, 'log'), { learningRate: 10, totalSteps: 10, maxGradNorm: 0, weightDecay: 0 });
    const s1 = await trainer.step(0);
    expect(s1.loss).toBe(0);
    expect(s1.stopped).toBeUndefined();
    expect((await w.data())[0]).toBeCloseTo(-9, 4);
    const s2 = await trainer.step(0);
    expect(Number.isNaN(s2.loss)).toBe(true);
    expect(s2.stopped).toMatch(
      /loss became NaN at step 2: training stopped and the weights from step 1 \(loss 0\.0000\) were restored/,
    );
    expect(trainer.stopped).toBe(s2.stopped);
    expect((await w.data())[0]).toBe(1);
    await expect(trainer.step(0)).rejects.toThrow(/training has stopped/);
    trainer.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes an interrupted run: weights assigned, schedule continues, Adam restarts from zero', async () => {
    const o: TrainerOptions = {
      optimizer: 'adam',
      learningRate: 0.2,
      warmupSteps: 2,
      totalSteps: 8,
      weightDecay: 0,
      maxGradNorm: 0,
    };
    const a = vec(w0);
    const first = new Trainer(toy(a, 'quadratic', c), o);
    let last = 0;
    for (let i = 0; i < 3; i++) last = (await first.step(0)).loss;
    const at3 = new Float32Array(await a.data());
    first.dispose();
    a.dispose();
    const before = tf.memory().numTensors;
    const b = vec([0, 0, 0]);
    const resumed = new Trainer(toy(b, 'quadratic', c), { ...o, resume: { step: 3, loss: last, weights: [at3] } });
    expect(resumed.steps).toBe(3);
    expect(Array.from(await b.data())).toEqual(Array.from(at3));
    const s4 = await resumed.step(0);
    expect(s4.step).toBe(4);
    expect(s4.lr).toBe(learningRateAt(3, o));
    // Fresh moments: Adam's first update is lr·g/(|g| + ε) per coordinate.
    const got = Array.from(await b.data());
    got.forEach((x, i) => expect(Math.abs(x - (at3[i] - s4.lr * Math.sign(at3[i] - c[i])))).toBeLessThan(1e-5));
    while (resumed.steps < 8) await resumed.step(0);
    resumed.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const w = vec([1]);
    expect(() => new Trainer(toy(w, 'quadratic', [0]), { ...o, resume: { step: 9, loss: 0 } })).toThrow(
      /cannot resume at step 9 of a 8-step run/,
    );
    expect(
      () =>
        new Trainer(toy(w, 'quadratic', [0]), { ...o, resume: { step: 1, loss: 0, weights: [new Float32Array(2)] } }),
    ).toThrow(/resume weight w has 2 values, expected 1/);
    w.dispose();
  });

  it('rejects bad options and changing batch shapes with clear messages', async () => {
    const w = vec([1]);
    expect(() => new Trainer(toy(w, 'quadratic', [0]), { learningRate: -1, totalSteps: 5 })).toThrow(/learning rate/);
    expect(() => new Trainer(toy(w, 'quadratic', [0]), { learningRate: 1, totalSteps: 0 })).toThrow(/total steps/);
    let shape = 'a';
    const t = new Trainer({ ...toy(w, 'quadratic', [0]), shape: () => shape }, { learningRate: 0.1, totalSteps: 5 });
    await t.step(0);
    shape = 'b';
    await expect(t.step(0)).rejects.toThrow(/batch shape changed from a to b/);
    t.dispose();
    w.dispose();
  });
});

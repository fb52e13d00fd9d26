import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { addNChunked, globalNorm, MAX_ADDN_INPUTS } from './globalNorm';

describe('global gradient norm in AddN chunks a WebGPU device can bind', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'cpu' });
  });

  it('sums 1 to 50 tensors exactly as one AddN would, never binding more than 7 inputs', async () => {
    for (const n of [1, 2, MAX_ADDN_INPUTS, MAX_ADDN_INPUTS + 1, 24, 50]) {
      const widest = { n: 0 };
      const sum = tf.tidy(() => addNChunked(Array.from({ length: n }, (_, i) => tf.scalar(i + 1))));
      const prof = await tf.profile(() =>
        tf.tidy(() => addNChunked(Array.from({ length: n }, (_, i) => tf.fill([3], i)))),
      );
      for (const k of prof.kernels) if (k.name === 'AddN') widest.n = Math.max(widest.n, k.inputShapes.length);
      expect(widest.n).toBeLessThanOrEqual(MAX_ADDN_INPUTS);
      expect((await sum.data())[0]).toBe((n * (n + 1)) / 2);
      sum.dispose();
      (prof.result as tf.Tensor).dispose();
    }
  });

  it('√(Σ‖g‖²) over tensors of any shape', async () => {
    const norm = tf.tidy(() => globalNorm([tf.tensor1d([3]), tf.tensor2d([[4, 0]]), ...Array(10).fill(tf.zeros([2]))]));
    expect((await norm.data())[0]).toBeCloseTo(5, 6);
    norm.dispose();
  });
});

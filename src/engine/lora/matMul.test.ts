import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { webgpuForTests } from '../webgpuTests';
import { matMulPlain } from './matMul';

const gpu = await webgpuForTests('matMul.test.ts');

const seq = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * k) + 0.1 * (i % 5));

async function maxRelDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [x, y] = [await a.data(), await b.data()];
  let scale = 1e-6;
  for (const v of y) scale = Math.max(scale, Math.abs(v));
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]) / scale);
  return d;
}

describe.each(['cpu', 'wasm', 'webgpu'] as const)('matMulPlain on %s', (backend) => {
  it.skipIf(backend === 'webgpu' && !gpu.ok)(
    "values and gradients equal tf.matMul's in every grad mode, for 2-D and batched operands",
    async () => {
      await selectBackend({ force: backend });
      const before = tf.memory().numTensors;
      for (const [aShape, bShape] of [
        [
          [6, 5],
          [5, 7],
        ],
        [
          [2, 3, 4, 5],
          [2, 3, 5, 6],
        ],
      ]) {
        const a = tf.tensor(
          seq(
            aShape.reduce((x, y) => x * y),
            0.7,
          ),
          aShape,
        );
        const b = tf.tensor(
          seq(
            bShape.reduce((x, y) => x * y),
            1.3,
          ),
          bShape,
        );
        const w = tf.tensor(seq(aShape.slice(0, -1).reduce((x, y) => x * y) * bShape.at(-1)!, 2.1));
        const r = bShape.length;
        const perm = bShape.map((_, i) => (i < r - 2 ? i : 2 * r - 3 - i)); // swap the last two axes
        const bT = tf.tidy(() => tf.transpose(b, perm));
        const loss = (y: tf.Tensor) => tf.sum(tf.mul(tf.reshape(y, [-1]), w));
        const ref = tf.grads((x: tf.Tensor, y: tf.Tensor) => loss(tf.matMul(x, y)))([a, b]);
        const both = tf.grads((x: tf.Tensor, y: tf.Tensor) => loss(matMulPlain(x, y)))([a, b]);
        const onlyA = tf.grad((x: tf.Tensor) => loss(matMulPlain(x, b, 'a')))(a);
        const onlyAbT = tf.grad((x: tf.Tensor) => loss(matMulPlain(x, b, 'a', bT)))(a);
        const onlyB = tf.grad((y: tf.Tensor) => loss(matMulPlain(a, y, 'b')))(b);
        const value = tf.tidy(() => matMulPlain(a, b));
        const refValue = tf.matMul(a, b);
        for (const [got, want] of [
          [value, refValue],
          [both[0], ref[0]],
          [both[1], ref[1]],
          [onlyA, ref[0]],
          [onlyAbT, ref[0]],
          [onlyB, ref[1]],
        ])
          expect(await maxRelDiff(got, want)).toBeLessThan(1e-6);
        tf.dispose([a, b, w, bT, ...ref, ...both, onlyA, onlyAbT, onlyB, value, refValue]);
      }
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});

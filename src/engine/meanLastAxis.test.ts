import { describe, expect, it } from 'vitest';
import { selectBackend } from './backend';
import { meanLastAxis, sumLastAxis } from './meanLastAxis';
import { tf } from './tf';

describe.each(['cpu', 'wasm'] as const)('meanLastAxis and sumLastAxis on %s', (backend) => {
  it('equals tf.mean and its gradient bit for bit', async () => {
    await selectBackend({ force: backend });
    const x = tf.tensor3d(
      Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3),
      [2, 3, 4],
    );
    const w = tf.tensor3d(
      Array.from({ length: 6 }, (_, i) => i - 2.5),
      [2, 3, 1],
    );
    const loss = (mean: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(tf.square(mean(t)), w));
    for (const [mine, ref] of [
      [meanLastAxis, (t: tf.Tensor) => tf.mean(t, -1, true)],
      [sumLastAxis, (t: tf.Tensor) => tf.sum(t, -1, true)],
    ] as const) {
      const ours = tf.valueAndGrad(loss((t) => mine(t)))(x);
      const theirs = tf.valueAndGrad(loss(ref))(x);
      expect(await ours.value.data()).toEqual(await theirs.value.data());
      expect(await ours.grad.data()).toEqual(await theirs.grad.data());
      tf.dispose([ours.value, ours.grad, theirs.value, theirs.grad]);
    }
    expect(meanLastAxis(x).shape).toEqual([2, 3, 1]);
    tf.dispose([x, w]);
  });
});

/**
 * Mean over the last axis (keeping it as size 1) with a gradient that stays on the device.
 * tfjs 4.22's Mean (and Sum) gradient multiplies dy by `ones(x.shape)`, a host array it fills and
 * uploads on every backward pass: on webgpu that was 2 uploads of [N, C] floats per LayerNorm per
 * step (2.4 MB a step for the shipped model at 16 × 32; ~150 MB for GPT-2-124M at 8 × 128).
 * Here dx = broadcast(dy / C): the same values (dy·1/C), computed on the device.
 */
import { tf } from './tf';

/** x [..., C] → mean [..., 1]. Differentiable; call inside tf.tidy. */
export function meanLastAxis<T extends tf.Tensor>(x: T): T {
  const f = (input: tf.Tensor, save: tf.GradSaveFunc) => {
    void save;
    const C = input.shape[input.rank - 1];
    const shape = input.shape;
    return {
      value: tf.mean(input, -1, true),
      gradFunc: (dy: tf.Tensor) => tf.broadcastTo(tf.div(dy, C), shape),
    };
  };
  return tf.customGrad(f as Parameters<typeof tf.customGrad>[0])(x) as T;
}

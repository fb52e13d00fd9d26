/**
 * Mean and sum over the last axis (keeping it as size 1) with gradients that stay on the device.
 * tfjs 4.22's Mean and Sum gradients multiply dy by `ones(x.shape)`, a host array filled and
 * uploaded on every backward pass. On webgpu that was, per step, two [N, C] uploads per LayerNorm
 * and one [N, V] for the loss's sum over the vocabulary: 2.6 MB for the shipped model at 16 × 32,
 * ~360 MB for GPT-2-124M at 8 × 128. Here dx = broadcast(dy) (÷ C for the mean): the same values,
 * computed on the device (one Tile dispatch).
 */
import { tf } from './tf';

function reduceLastAxis<T extends tf.Tensor>(x: T, mean: boolean): T {
  const f = (input: tf.Tensor) => {
    const shape = input.shape;
    const C = shape[shape.length - 1];
    return {
      value: mean ? tf.mean(input, -1, true) : tf.sum(input, -1, true),
      gradFunc: (dy: tf.Tensor) => tf.broadcastTo(mean ? tf.div(dy, C) : dy, shape),
    };
  };
  return tf.customGrad(f as Parameters<typeof tf.customGrad>[0])(x) as T;
}

/** x [..., C] → mean [..., 1]. Differentiable; call inside tf.tidy. */
export function meanLastAxis<T extends tf.Tensor>(x: T): T {
  return reduceLastAxis(x, true);
}

/** x [..., C] → sum [..., 1]. Differentiable; call inside tf.tidy. */
export function sumLastAxis<T extends tf.Tensor>(x: T): T {
  return reduceLastAxis(x, false);
}

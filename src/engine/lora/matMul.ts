/**
 * a·b whose gradient never asks tfjs for a transposed matmul. tfjs's MatMul gradient computes
 * dy·bᵀ and aᵀ·dy with transpose flags, which tfjs-wasm runs ~10× slower than a plain product
 * (docs/toolchain.md; measured here: a 512×512×128 backward product took 464 ms vs 39 ms
 * forward). Materialising the transpose first costs one O(size) copy and keeps every product plain.
 *
 * `grad` names the operands that need a gradient: a frozen weight gets none (no dW is computed
 * at all, which also halves LoRA's backward work through the base layers).
 *
 * On webgpu the transposes stay flags of the product (its shader reads either layout).
 */
import { tf } from '../tf';

/** Swap the last two axes (any rank ≥ 2). */
function swapLast(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(t, perm);
}

/**
 * @param a [..., m, k]
 * @param b [..., k, n] (same batch dims as a)
 * @param grad which operands get gradients: 'both' (default), 'a' (b constant), 'b' (a constant).
 * @param bT optional precomputed bᵀ [..., n, k], used for a's gradient.
 * @returns [..., m, n]
 */
export function matMulPlain<T extends tf.Tensor>(
  a: T,
  b: tf.Tensor,
  grad: 'both' | 'a' | 'b' = 'both',
  bT?: tf.Tensor,
): T {
  // webgpu transposes inside the matmul shader's reads at no extra cost: there a materialised
  // transpose is only an extra dispatch (72 of a LoRA step's ~1,000 on the shipped model).
  const native = tf.getBackend() === 'webgpu';
  const dA = (dy: tf.Tensor, bb: tf.Tensor) =>
    bT || !native ? tf.matMul(dy, bT ?? swapLast(bb)) : tf.matMul(dy, bb, false, true);
  const dB = (dy: tf.Tensor, aa: tf.Tensor) => (native ? tf.matMul(aa, dy, true, false) : tf.matMul(swapLast(aa), dy));
  // Backward may only use what was saved: tfjs saves clones, and the originals of intermediate
  // activations are disposed by the forward's tidy before backprop runs. Frozen weights and bT
  // are owned by the model and outlive the step, so closing over them is safe.
  if (grad === 'a')
    return custom(
      [a],
      [],
      (x) => tf.matMul(x, b),
      (dy) => [dA(dy, b)],
    ) as T;
  if (grad === 'b')
    return custom(
      [b],
      [a],
      (y) => tf.matMul(a, y),
      (dy, [, sa]) => [dB(dy, sa)],
    ) as T;
  return custom(
    [a, b],
    [],
    (x, y) => tf.matMul(x, y),
    (dy, [sa, sb]) => [dA(dy, sb), dB(dy, sa)],
  ) as T;
}

/**
 * tf.customGrad over `inputs` (which get gradients); `saved` in the backward holds clones of
 * `inputs` then `extra`, in that order.
 */
function custom(
  inputs: tf.Tensor[],
  extra: tf.Tensor[],
  forward: (...xs: tf.Tensor[]) => tf.Tensor,
  backward: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[],
): tf.Tensor {
  const f = (...args: unknown[]) => {
    const save = args[inputs.length] as tf.GradSaveFunc;
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    save([...xs, ...extra]);
    // tidy: tfjs keeps what a custom gradient leaves in the backward scope (here the
    // materialised transposes) until the whole backward pass ends.
    return {
      value: forward(...xs),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => backward(dy, saved)),
    };
  };
  // tfjs types customGrad's function loosely (inputs and the save function in one rest list).
  return tf.customGrad(f as Parameters<typeof tf.customGrad>[0])(...inputs);
}

/**
 * Batched products of small matrices (attention's per-head q·kᵀ and p·v) that are fast on wasm.
 *
 * tfjs-wasm 4.22 runs a BatchMatMul with more than one matrix per batch, or with a transposed
 * operand, through its naive loop (about 0.7 GFLOP/s here), while one 2-D product goes through
 * XNNPACK. For attention's [B, K, T, D] operands, one 2-D product per (batch, head) is 3–8×
 * faster measured here (e.g. 6 × [192, 64]·[64, 64]: 11.9 ms batched, 3.5 ms per head), slices,
 * transposes and the stack included. Other backends take the batched op as it is.
 */
import { tf } from '../tf';

/**
 * a·b over the leading axes, as tf.matMul(a, b, transposeA, transposeB) for rank-4 tensors with
 * equal leading dimensions. Forward use only (inside ops with hand-written gradients).
 * @param a [B, K, M, L] (or [B, K, L, M] with transposeA)  @param b [B, K, L, N] (or [B, K, N, L])
 * @returns [B, K, M, N]
 */
export function batchedMatMul(a: tf.Tensor4D, b: tf.Tensor4D, transposeA = false, transposeB = false): tf.Tensor4D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b, transposeA, transposeB);
  const [B, K, a1, a2] = a.shape;
  const [, , b1, b2] = b.shape;
  return tf.tidy(() => {
    const a3 = tf.reshape(a, [B * K, a1, a2]);
    const b3 = tf.reshape(b, [B * K, b1, b2]);
    const out: tf.Tensor2D[] = [];
    for (let i = 0; i < B * K; i++) {
      let ai = tf.reshape(tf.slice(a3, [i, 0, 0], [1, a1, a2]), [a1, a2]) as tf.Tensor2D;
      let bi = tf.reshape(tf.slice(b3, [i, 0, 0], [1, b1, b2]), [b1, b2]) as tf.Tensor2D;
      if (transposeA) ai = tf.transpose(ai); // materialised: a transposed operand takes the naive loop too
      if (transposeB) bi = tf.transpose(bi);
      out.push(tf.matMul(ai, bi));
    }
    const [M, N] = [out[0].shape[0], out[0].shape[1]];
    return tf.reshape(tf.stack(out), [B, K, M, N]) as tf.Tensor4D;
  });
}

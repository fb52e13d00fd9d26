/**
 * Token cross-entropy from logits with a hand-written gradient, so that a step keeps only the
 * logits themselves and their gradient at [N, V] (with V = 50,257 and N = 128 each is 25 MB).
 * The composed form (logSoftmax, a float one-hot, a product, a sum) saves four [N, V] tensors
 * for the backward pass and leaves as many gradients alive until it ends.
 *
 * loss = Σᵢ wᵢ·(logsumexp(zᵢ) − zᵢ[tᵢ]);  ∂loss/∂zᵢ = wᵢ·(softmax(zᵢ) − onehot(tᵢ)).
 */
import { tf } from '../tf';

/**
 * @param logits [N, V]
 * @param targets [N] int32 ids in [0, V) (checked by the caller)
 * @param weights [N] float32 per-position weights: 1/N for a plain mean, mask/Σmask for a masked one
 * @returns the weighted sum of per-position cross-entropies (nats), a scalar
 */
export function crossEntropy(logits: tf.Tensor2D, targets: Int32Array, weights: Float32Array): tf.Scalar {
  const [N, V] = logits.shape;
  const flatIndex = new Int32Array(N);
  for (let i = 0; i < N; i++) flatIndex[i] = i * V + targets[i];
  const f = (z: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const w = tf.tensor1d(weights, 'float32'); // [N]
    const lse = tf.logSumExp(z, 1); // [N]
    // The target logits by a flat gather: no [N, V] one-hot in the forward pass.
    const picked = tf.gather(tf.reshape(z, [N * V]), tf.tensor1d(flatIndex, 'int32')); // [N]
    save([z, lse, w]);
    const value = tf.sum(tf.mul(tf.sub(lse, picked), w)) as tf.Scalar;
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [zs, lses, ws] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
      return [
        tf.tidy(() => {
          const scale = tf.reshape(tf.mul(ws, dy), [N, 1]); // [N, 1]
          const shifted = tf.sub(zs, tf.reshape(lses, [N, 1]));
          const p = tf.exp(shifted); // softmax [N, V]
          shifted.dispose();
          // int32 then cast: tfjs-wasm's float32 oneHot writes integer bits.
          const hot = tf.oneHot(tf.tensor1d(targets, 'int32'), V);
          const hotF = tf.cast(hot, 'float32');
          hot.dispose();
          const diff = tf.sub(p, hotF);
          p.dispose();
          hotF.dispose();
          return tf.mul(diff, scale);
        }),
      ];
    };
    return { value, gradFunc };
  };
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0])(logits) as tf.Scalar;
}

/** Per-position weights for `crossEntropy`: the mean over positions with mask 1 (all when no mask). */
export function lossWeights(n: number, mask?: Float32Array): Float32Array {
  const w = new Float32Array(n);
  if (!mask) return w.fill(1 / n);
  let total = 0;
  for (let i = 0; i < n; i++) total += mask[i];
  for (let i = 0; i < n; i++) w[i] = mask[i] / total;
  return w;
}

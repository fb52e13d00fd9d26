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

/** Rows of the head processed at once: at most 16 MiB of the head and 8 MiB of [N, rows] logits. */
function headChunkRows(N: number, C: number): number {
  return Math.max(1, Math.floor(Math.min((16 << 20) / (4 * C), (8 << 20) / (4 * N))));
}

/**
 * Cross-entropy of a frozen LM head without ever holding the [N, V] logits: the vocabulary is
 * walked in row blocks of the head W [V, C] with a running log-sum-exp (as flash attention
 * does). When a gradient tape is recording, the same pass also accumulates the gradient
 *   ∂CEᵢ/∂hᵢ = Σ_v softmax(zᵢ)_v·W_v − W_{tᵢ}
 * (rescaling the running sum whenever the running maximum moves), so a training step costs two
 * head products per block, like unblocked logits, and keeps only that [N, C] gradient; the
 * logits, their gradient and the softmax temporaries (5 × N·V floats) are never held.
 * @param h [N, C] final hidden states (gets the gradient)
 * @param W [V, C] the frozen head (tied embedding or lm_head.weight)
 * @param targets [N] ids in [0, V); @param weights [N] per-position weights (see lossWeights)
 * @param chunkRows head rows per block (default: 16 MiB of W and 8 MiB of logits)
 * @returns Σᵢ wᵢ·CEᵢ, a scalar
 */
export function headCrossEntropy(
  h: tf.Tensor2D,
  W: tf.Tensor2D,
  targets: Int32Array,
  weights: Float32Array,
  chunkRows?: number,
): tf.Scalar {
  const [N, C] = h.shape;
  const V = W.shape[0];
  const rows = chunkRows ?? headChunkRows(N, C);
  // Whether a gradient will be asked for (tfjs records only under grads/variableGrads).
  const recording = (tf.engine() as unknown as { isTapeOn(): boolean }).isTapeOn();
  const f = (x: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const hT = tf.transpose(x) as tf.Tensor2D; // [C, N]: one packed copy serves every block
    const targetRows = tf.gather(W, tf.tensor1d(targets, 'int32')); // [N, C] = W_{tᵢ}
    const picked = tf.sum(tf.mul(x, targetRows), 1, true); // [N, 1] target logits
    let max = tf.fill([N, 1], -Infinity) as tf.Tensor2D;
    let sum = tf.zeros([N, 1]) as tf.Tensor2D;
    let acc = recording ? (tf.zeros([N, C]) as tf.Tensor2D) : null; // Σ exp(z − max)·W_v
    for (let v0 = 0; v0 < V; v0 += rows) {
      const n = Math.min(rows, V - v0);
      const next = tf.tidy(() => {
        const Wb = tf.slice(W, [v0, 0], [n, C]); // [n, C], a fresh block
        const z = tf.transpose(tf.matMul(Wb, hT)); // [N, n]; Wb read in place
        const m = tf.maximum(max, tf.max(z, 1, true));
        const rescale = tf.exp(tf.sub(max, m)); // [N, 1]
        const e = tf.exp(tf.sub(z, m)); // [N, n]
        const s = tf.add(tf.mul(sum, rescale), tf.sum(e, 1, true));
        return (acc ? [m, s, tf.add(tf.mul(acc, rescale), tf.matMul(e, Wb))] : [m, s]) as tf.Tensor2D[];
      });
      tf.dispose([max, sum, ...(acc ? [acc] : [])]);
      [max, sum] = next;
      acc = next[2] ?? null;
    }
    const w = tf.tensor2d(weights, [N, 1]);
    const value = tf.sum(tf.mul(tf.sub(tf.add(max, tf.log(sum)), picked), w)) as tf.Scalar;
    if (acc) save([tf.sub(tf.div(acc, sum), targetRows), w]); // ∂CEᵢ/∂hᵢ [N, C]
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [g, ws] = saved as tf.Tensor2D[];
      return [tf.tidy(() => tf.mul(g, tf.mul(ws, dy)))];
    };
    return { value, gradFunc };
  };
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0])(h) as tf.Scalar;
}

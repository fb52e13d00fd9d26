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
 * walked in row blocks of the head W [V, C]; the forward keeps a running log-sum-exp and the
 * target logits, the backward recomputes each block's logits and adds its share of
 * dh = Σ_blocks (softmax − onehot)·w ⊙ dy · W_block. Costs one more head product per step and
 * saves the logits, their gradient and the softmax temporaries (5 × N·V floats).
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
  /** Logits of head rows [v0, v0 + n) for hᵀ [C, N], as [N, n]; the block of W is a fresh copy. */
  const block = (hT: tf.Tensor2D, v0: number, n: number) => {
    const Wb = tf.slice(W, [v0, 0], [n, C]); // [n, C]
    return { Wb, z: tf.transpose(tf.matMul(Wb, hT)) as tf.Tensor2D }; // [N, n]; Wb read in place
  };
  /** One-hot of the targets falling in [v0, v0 + n) (rows outside are all zero). */
  const hot = (v0: number, n: number) =>
    tf.cast(
      tf.equal(
        tf.tensor2d(
          targets.map((t) => t - v0),
          [N, 1],
          'int32',
        ),
        tf.range(0, n, 1, 'int32').reshape([1, n]),
      ),
      'float32',
    ) as tf.Tensor2D;
  const f = (x: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const hT = tf.transpose(x) as tf.Tensor2D;
    let max = tf.fill([N, 1], -Infinity) as tf.Tensor2D;
    let sum = tf.zeros([N, 1]) as tf.Tensor2D;
    let picked = tf.zeros([N, 1]) as tf.Tensor2D;
    for (let v0 = 0; v0 < V; v0 += rows) {
      const n = Math.min(rows, V - v0);
      const next = tf.tidy(() => {
        const { z } = block(hT, v0, n);
        const m = tf.maximum(max, tf.max(z, 1, true));
        const s = tf.add(tf.mul(sum, tf.exp(tf.sub(max, m))), tf.sum(tf.exp(tf.sub(z, m)), 1, true));
        const p = tf.add(picked, tf.sum(tf.mul(z, hot(v0, n)), 1, true));
        return { m, s, p } as { m: tf.Tensor2D; s: tf.Tensor2D; p: tf.Tensor2D };
      });
      tf.dispose([max, sum, picked]);
      ({ m: max, s: sum, p: picked } = next);
    }
    const lse = tf.add(max, tf.log(sum)); // [N, 1]
    const w = tf.tensor2d(weights, [N, 1]);
    save([x, lse, w]);
    const value = tf.sum(tf.mul(tf.sub(lse, picked), w)) as tf.Scalar;
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [hs, lses, ws] = saved as tf.Tensor2D[];
      return [
        tf.tidy(() => {
          const scale = tf.mul(ws, dy); // [N, 1]
          const hT2 = tf.transpose(hs) as tf.Tensor2D;
          let dh = tf.zeros([N, C]) as tf.Tensor2D;
          for (let v0 = 0; v0 < V; v0 += rows) {
            const n = Math.min(rows, V - v0);
            const next = tf.tidy(() => {
              const { Wb, z } = block(hT2, v0, n);
              const dz = tf.mul(tf.sub(tf.exp(tf.sub(z, lses)), hot(v0, n)), scale); // [N, n]
              return tf.add(dh, tf.matMul(dz, Wb)) as tf.Tensor2D; // Wb dies with this block
            });
            dh.dispose();
            dh = next;
          }
          return dh;
        }),
      ];
    };
    return { value, gradFunc };
  };
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0])(h) as tf.Scalar;
}

/**
 * Products with a frozen weight that leave no second copy of it behind on wasm.
 *
 * tfjs-wasm runs a plain `a·b` through XNNPACK's fully-connected operator, which packs `b` into
 * its own layout (a full copy) and caches that operator, keyed by b's tensor id, until b is
 * disposed (tfjs-backend-wasm `batch_mat_mul_impl.cc`). A frozen weight used as `b` therefore
 * costs twice its size for as long as the model lives: measured here, every 16 MB weight grew the
 * heap by 32 MB. A transposed operand avoids the packing but takes tfjs-wasm's naive loop, about
 * 10× slower. So on wasm:
 *
 * - `a·Kᵀ` (K [n, k]) runs as `(K·aᵀ)ᵀ`: K is the left operand, which XNNPACK reads in place;
 *   only the small activation aᵀ is packed.
 * - `a·K` (K [k, n]) multiplies by fresh copies of K's row blocks (each at most
 *   `FROZEN_CHUNK_BYTES`), disposed right after use, so the packed copy lives for one product.
 *
 * Other backends pack nothing and take the transposed product natively: there the plain
 * tf.matMul is used. Gradients flow to `a` only (the weight is frozen), and every intermediate is
 * freed inside the op: tfjs keeps whatever a custom gradient leaves in the backward scope until
 * the whole backward pass ends.
 */
import { tf } from '../tf';

/** Largest block of a frozen weight copied at once on wasm (bytes). */
export const FROZEN_CHUNK_BYTES = 32 * 1024 * 1024;

const onWasm = (): boolean => tf.getBackend() === 'wasm';

/**
 * a·K for a frozen K, with no persistent packed copy on wasm.
 * @param a [m, k]
 * @param K [k, n]
 * @returns [m, n]
 */
export function mulFrozen(a: tf.Tensor2D, K: tf.Tensor2D, chunkBytes = FROZEN_CHUNK_BYTES): tf.Tensor2D {
  if (!onWasm()) return tf.matMul(a, K);
  const [k, n] = K.shape;
  const rows = Math.max(1, Math.floor(chunkBytes / (4 * n)));
  let out: tf.Tensor2D | null = null;
  for (let r0 = 0; r0 < k; r0 += rows) {
    const r = Math.min(rows, k - r0);
    // A fresh block (tfjs-wasm's slice copies), so its packed operator dies with it.
    const block = tf.slice(K, [r0, 0], [r, n]);
    const part = r === k ? a : tf.slice(a, [0, r0], [a.shape[0], r]);
    const y = tf.matMul(part, block) as tf.Tensor2D;
    block.dispose();
    if (part !== a) part.dispose();
    if (out === null) out = y;
    else {
      const sum = tf.add(out, y) as tf.Tensor2D;
      out.dispose();
      y.dispose();
      out = sum;
    }
  }
  return out!;
}

/**
 * a·Kᵀ for a frozen K, reading K in place on wasm.
 * @param a [m, k]
 * @param K [n, k]
 * @returns [m, n]
 */
export function mulFrozenT(a: tf.Tensor2D, K: tf.Tensor2D): tf.Tensor2D {
  if (!onWasm()) return tf.matMul(a, K, false, true);
  const aT = tf.transpose(a); // [k, m]
  const yT = tf.matMul(K, aT); // [n, m]
  aT.dispose();
  const y = tf.transpose(yT) as tf.Tensor2D; // [m, n]
  yT.dispose();
  return y;
}

/** Runs `f` over the saved tensors and frees everything it made except the result. */
function customOp(x: tf.Tensor2D, forward: () => tf.Tensor2D, backward: (dy: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D {
  const f = (...args: unknown[]) => {
    void args;
    return { value: forward(), gradFunc: (dy: tf.Tensor) => [tf.tidy(() => backward(dy as tf.Tensor2D))] };
  };
  return tf.customGrad(f as Parameters<typeof tf.customGrad>[0])(x) as tf.Tensor2D;
}

/**
 * A frozen linear layer in compute layout: y = x·K, K [d_in, d_out] (GPT-2's Conv1D layout and
 * the layout every base kernel is kept in). Gradient: dx = dy·Kᵀ, none for K.
 * @param x [N, d_in] → [N, d_out]
 */
export function frozenLinear(x: tf.Tensor2D, K: tf.Tensor2D): tf.Tensor2D {
  return customOp(
    x,
    () => mulFrozen(x, K),
    (dy) => mulFrozenT(dy, K),
  );
}

/**
 * A frozen product with a weight stored [d_out, d_in] (the tied LM head: logits = h·Eᵀ with the
 * embedding E [V, C]). Gradient: dx = dy·E, none for E.
 * @param x [N, d_in] → [N, d_out]
 */
export function frozenLinearT(x: tf.Tensor2D, W: tf.Tensor2D): tf.Tensor2D {
  return customOp(
    x,
    () => mulFrozenT(x, W),
    (dy) => mulFrozen(dy, W),
  );
}

/**
 * A frozen linear layer with its bias and the active LoRA branch as one op:
 * y = x·K + b + s·(x·Aᵀ)·Bᵀ, K [d_in, d_out] frozen, Aᵀ [d_in, r] and Bᵀ [r, d_out] trained.
 * Saves only x and h = x·Aᵀ [N, r]; the backward computes
 *   dBᵀ = hᵀ·(s·dy),  t = (s·dy)·B [N, r],  dAᵀ = xᵀ·t,  dx = dy·Kᵀ + t·A.
 * @param x [N, d_in] → [N, d_out]
 * @param lean true: the forward multiplies by fresh blocks of K (mulFrozen), so tfjs-wasm keeps
 *   no packed copy of it (memory of big models); false: a plain x·K whose packed copy tfjs-wasm
 *   caches for K's lifetime (about 20 % faster; small models)
 */
export function frozenLoraLinear(
  x: tf.Tensor2D,
  K: tf.Tensor2D,
  bias: tf.Tensor | null,
  lora: { At: tf.Variable; Bt: tf.Variable; scaling: number } | null,
  lean = true,
): tf.Tensor2D {
  const base = (t: tf.Tensor2D) => {
    // lean: no packed copy of K outlives the product; otherwise tfjs-wasm keeps one (faster).
    const y = lean ? mulFrozen(t, K) : (tf.matMul(t, K) as tf.Tensor2D);
    return bias ? (tf.add(y, bias) as tf.Tensor2D) : y;
  };
  if (!lora)
    return customOp(
      x,
      () => base(x),
      (dy) => mulFrozenT(dy, K),
    );
  const { At, Bt, scaling: s } = lora;
  const f = (...args: unknown[]) => {
    const save = args[3] as tf.GradSaveFunc;
    const h = tf.matMul(x, At); // [N, r]
    save([x, h, At, Bt]);
    const value = tf.add(base(x), tf.mul(tf.matMul(h, Bt), s));
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [xs, hs, As, Bs] = saved as tf.Tensor2D[];
        const gs = tf.mul(dy, s) as tf.Tensor2D; // [N, d_out]
        const dBt = tf.matMul(tf.transpose(hs), gs); // [r, d_out]
        const t = tf.matMul(gs, tf.transpose(Bs)); // [N, r]
        const dAt = tf.matMul(tf.transpose(xs), t); // [d_in, r]
        const dx = tf.add(mulFrozenT(dy as tf.Tensor2D, K), tf.matMul(t, tf.transpose(As)));
        return [dx, dAt, dBt];
      });
    return { value, gradFunc };
  };
  return tf.customGrad(f as Parameters<typeof tf.customGrad>[0])(x, At, Bt) as tf.Tensor2D;
}

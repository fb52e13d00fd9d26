/**
 * The transformer's building blocks as single ops with hand-written gradients, so a training
 * step keeps only what each backward really needs.
 *
 * Why: tfjs keeps every tensor an op saves for its gradient (most save all their inputs) until
 * the whole backward pass ends, and every gradient it computes too. Composed from primitives, a
 * GPT-2 block keeps about 60 K floats per token; as these ops, about 12 K. Each op's forward
 * runs in a tidy (its intermediates die at once), each backward frees its own temporaries, and
 * only the named tensors are saved. Gradients are checked against the float64 references.
 */
import { tf } from '../tf';
import { batchedMatMul } from './batchedMatMul';

type Grad = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];

/** tf.customGrad over `inputs`; `forward` saves what `backward` reads, which runs in a tidy. */
function op<T extends tf.Tensor>(
  inputs: tf.Tensor[],
  forward: (save: (ts: tf.Tensor[]) => void) => { value: tf.Tensor; backward: Grad },
): T {
  const f = (...args: unknown[]) => {
    const save = args[inputs.length] as tf.GradSaveFunc;
    const { value, backward } = forward((ts) => save(ts));
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => backward(dy, saved)) };
  };
  return tf.customGrad(f as Parameters<typeof tf.customGrad>[0])(...inputs) as T;
}

/**
 * RMSNorm over the last axis: y = x·r·w with r = 1/√(mean(x²) + ε).
 * @param x [N, C]  @param w [C]  @returns [N, C]
 */
export function rmsNorm(x: tf.Tensor2D, w: tf.Tensor1D, eps: number): tf.Tensor2D {
  return op([x, w], (save) => {
    const r = tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps)); // [N, 1]
    save([x, w, r]);
    return {
      value: tf.mul(tf.mul(x, r), w),
      backward: (dy, [xs, ws, rs]) => {
        const C = xs.shape[1] as number;
        const g = tf.mul(dy, ws); // [N, C]
        // dx = r·g − x·r³·mean(g ⊙ x)
        const gx = tf.div(tf.sum(tf.mul(g, xs), -1, true), C); // [N, 1]
        const dx = tf.sub(tf.mul(g, rs), tf.mul(xs, tf.mul(tf.mul(tf.mul(rs, rs), rs), gx)));
        const dw = tf.sum(tf.mul(dy, tf.mul(xs, rs)), 0);
        return [dx, dw];
      },
    };
  });
}

/**
 * LayerNorm over the last axis: y = (x − μ)·r·w + b with r = 1/√(var(x) + ε).
 * @param x [N, C]  @param w, b [C]  @returns [N, C]
 */
export function layerNorm(x: tf.Tensor2D, w: tf.Tensor1D, b: tf.Tensor1D, eps: number): tf.Tensor2D {
  return op([x, w, b], (save) => {
    const mu = tf.mean(x, -1, true); // [N, 1]
    const xc = tf.sub(x, mu);
    const r = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps)); // [N, 1]
    save([x, w, mu, r]);
    return {
      value: tf.add(tf.mul(tf.mul(xc, r), w), b),
      backward: (dy, [xs, ws, mus, rs]) => {
        const C = xs.shape[1] as number;
        const xhat = tf.mul(tf.sub(xs, mus), rs); // recomputed: not kept between passes
        const g = tf.mul(dy, ws);
        const meanG = tf.div(tf.sum(g, -1, true), C);
        const meanGx = tf.div(tf.sum(tf.mul(g, xhat), -1, true), C);
        const dx = tf.mul(tf.sub(tf.sub(g, meanG), tf.mul(xhat, meanGx)), rs);
        return [dx, tf.sum(tf.mul(dy, xhat), 0), tf.sum(dy, 0)];
      },
    };
  });
}

const GELU_K = Math.sqrt(2 / Math.PI);

/** GPT-2's tanh GELU, 0.5·u·(1 + tanh(k·(u + 0.044715·u³))), k = √(2/π). */
export function geluNew(u: tf.Tensor2D): tf.Tensor2D {
  return op([u], (save) => {
    const u2 = tf.mul(u, u);
    const t = tf.tanh(tf.mul(tf.mul(u, tf.add(tf.mul(u2, 0.044715), 1)), GELU_K));
    save([u, t]); // tanh is slow on wasm: keep it rather than recompute it
    return {
      value: tf.mul(tf.mul(u, 0.5), tf.add(t, 1)),
      backward: (dy, [us, th]) => {
        // d/du = 0.5·(1 + t) + 0.5·u·(1 − t²)·k·(1 + 3·0.044715·u²)
        const inner = tf.mul(
          tf.sub(1, tf.mul(th, th)),
          tf.mul(tf.add(tf.mul(tf.mul(us, us), 3 * 0.044715), 1), GELU_K),
        );
        const d = tf.add(tf.mul(tf.add(th, 1), 0.5), tf.mul(tf.mul(us, 0.5), inner));
        return [tf.mul(dy, d)];
      },
    };
  });
}

/** SwiGLU: silu(gate) ⊙ up, silu(g) = g·σ(g). @param gate, up [N, I] @returns [N, I] */
export function swiglu(gate: tf.Tensor2D, up: tf.Tensor2D): tf.Tensor2D {
  return op([gate, up], (save) => {
    save([gate, up]);
    return {
      value: tf.mul(tf.mul(gate, tf.sigmoid(gate)), up),
      backward: (dy, [g, u]) => {
        const s = tf.sigmoid(g);
        const silu = tf.mul(g, s);
        // silu'(g) = σ(g)·(1 + g·(1 − σ(g)))
        const dSilu = tf.mul(s, tf.add(1, tf.mul(g, tf.sub(1, s))));
        return [tf.mul(tf.mul(dy, u), dSilu), tf.mul(dy, silu)];
      },
    };
  });
}

/**
 * Rotary embedding with rotate-half: y = x·cos + rotate_half(x)·sin, rotate_half([x1, x2]) =
 * [−x2, x1]. Its transpose maps [a1, a2] to [a2, −a1], which gives dx = dy·cos + rotᵀ(dy·sin).
 * @param x [B, T, heads, hd]  @param cos, sin [T, 1, hd] (constants)  @returns [B, T, heads, hd]
 */
export function rope(x: tf.Tensor4D, cos: tf.Tensor3D, sin: tf.Tensor3D): tf.Tensor4D {
  const rot = (t: tf.Tensor, sign: 1 | -1) => {
    const [a, b] = tf.split(t, 2, 3);
    return sign === 1 ? tf.concat([tf.neg(b), a], 3) : tf.concat([b, tf.neg(a)], 3);
  };
  return op([x], () => ({
    value: tf.add(tf.mul(x, cos), tf.mul(rot(x, 1), sin)),
    backward: (dy) => [tf.add(tf.mul(dy, cos), rot(tf.mul(dy, sin), -1))],
  }));
}

/**
 * Causal softmax attention scaled by 1/√D, with grouped-query heads: query head j·g + r reads
 * kv head j (g = heads/K; g = 1 is plain multi-head). The g query heads of a kv head are stacked
 * along the rows, so k and v are never repeated.
 * @param q [B, T, heads, D]  @param k, v [B, T, K, D]
 * @param mask [g·T, T] additive causal mask (constant)
 * @returns [B·T, heads·D], heads concatenated per token
 */
export function causalAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor2D): tf.Tensor2D {
  const [B, T, nh, D] = q.shape;
  const K = k.shape[2];
  const g = nh / K;
  const scale = 1 / Math.sqrt(D);
  const layout = (qs: tf.Tensor, ks: tf.Tensor, vs: tf.Tensor) => ({
    qg: tf.reshape(tf.transpose(qs, [0, 2, 1, 3]), [B, K, g * T, D]) as tf.Tensor4D,
    kT: tf.transpose(ks, [0, 2, 3, 1]) as tf.Tensor4D, // [B, K, D, T]
    vh: tf.transpose(vs, [0, 2, 1, 3]) as tf.Tensor4D, // [B, K, T, D]
  });
  return op([q, k, v], (save) => {
    const { qg, kT, vh } = layout(q, k, v);
    const p = tf.softmax(tf.add(tf.mul(batchedMatMul(qg, kT), scale), mask)); // [B, K, gT, T]
    save([q, k, v, p]);
    const o = batchedMatMul(p as tf.Tensor4D, vh); // [B, K, gT, D]
    return {
      value: tf.reshape(tf.transpose(tf.reshape(o, [B, nh, T, D]), [0, 2, 1, 3]), [B * T, nh * D]),
      backward: (dy, [qs, ks, vs, ps]) => {
        const { qg: qr, kT: kr, vh: vr } = layout(qs, ks, vs);
        const dO = tf.reshape(tf.transpose(tf.reshape(dy, [B, T, nh, D]), [0, 2, 1, 3]), [B, K, g * T, D]);
        const dV = batchedMatMul(ps as tf.Tensor4D, dO as tf.Tensor4D, true, false); // [B, K, T, D]
        const dP = batchedMatMul(dO as tf.Tensor4D, vr, false, true); // [B, K, gT, T]
        const dS = tf.mul(tf.mul(ps, tf.sub(dP, tf.sum(tf.mul(dP, ps), -1, true))), scale);
        const dQ = batchedMatMul(dS as tf.Tensor4D, kr, false, true); // [B, K, gT, D]
        const dKT = batchedMatMul(qr, dS as tf.Tensor4D, true, false); // [B, K, D, T]
        return [
          tf.transpose(tf.reshape(dQ, [B, nh, T, D]), [0, 2, 1, 3]),
          tf.transpose(dKT, [0, 3, 1, 2]),
          tf.transpose(dV, [0, 2, 1, 3]),
        ];
      },
    };
  });
}

import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { Rng } from '../rng';
import { frozenLoraLinear } from '../lora/frozenMatMul';
import { crossEntropy, headCrossEntropy, lossWeights } from './crossEntropy';
import { causalAttention, geluNew, layerNorm, rmsNorm, rope, swiglu } from './fusedOps';

const rng = new Rng(3);
const rand = (shape: number[], std = 1) =>
  tf.tensor(
    rng.normalArray(
      shape.reduce((a, b) => a * b, 1),
      std,
    ),
    shape,
  );

/** max |a − b| over value and every input gradient of Σ(f(xs)·r) for a fixed random r. */
async function gradGap(
  fused: (...x: tf.Tensor[]) => tf.Tensor,
  plain: (...x: tf.Tensor[]) => tf.Tensor,
  xs: tf.Tensor[],
) {
  const r = tf.keep(rand(fused(...xs).shape));
  const run = (f: (...x: tf.Tensor[]) => tf.Tensor) =>
    tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((...x: tf.Tensor[]) => tf.sum(tf.mul(f(...x), r)) as tf.Scalar)(xs);
      return [value, ...grads];
    });
  const a = run(fused);
  const b = run(plain);
  let gap = 0;
  for (let i = 0; i < a.length; i++) {
    const [da, db] = [await a[i].data(), await b[i].data()];
    for (let j = 0; j < da.length; j++) gap = Math.max(gap, Math.abs(da[j] - db[j]));
  }
  tf.dispose([...a, ...b, r]);
  return gap;
}

describe.each(['cpu', 'wasm'] as const)('fused ops on %s: values and gradients equal the composed ops', (backend) => {
  beforeAll(async () => {
    await selectBackend({ force: backend });
  });

  it('RMSNorm, LayerNorm, GELU, SwiGLU', async () => {
    const x = rand([6, 8]);
    const w = rand([8]);
    const b = rand([8]);
    const plainRms = (x: tf.Tensor, w: tf.Tensor) =>
      tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-5))), w);
    expect(await gradGap((x, w) => rmsNorm(x as tf.Tensor2D, w as tf.Tensor1D, 1e-5), plainRms, [x, w])).toBeLessThan(
      1e-5,
    );
    const plainLn = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), w), b);
    };
    expect(
      await gradGap((x, w, b) => layerNorm(x as tf.Tensor2D, w as tf.Tensor1D, b as tf.Tensor1D, 1e-5), plainLn, [
        x,
        w,
        b,
      ]),
    ).toBeLessThan(1e-5);
    const k = Math.sqrt(2 / Math.PI);
    const plainGelu = (u: tf.Tensor) =>
      tf.mul(tf.mul(u, 0.5), tf.add(tf.tanh(tf.mul(tf.add(u, tf.mul(tf.pow(u, 3), 0.044715)), k)), 1));
    expect(await gradGap((u) => geluNew(u as tf.Tensor2D), plainGelu, [rand([5, 7], 2)])).toBeLessThan(1e-5);
    const plainSwiglu = (g: tf.Tensor, u: tf.Tensor) => tf.mul(tf.mul(g, tf.sigmoid(g)), u);
    expect(
      await gradGap((g, u) => swiglu(g as tf.Tensor2D, u as tf.Tensor2D), plainSwiglu, [rand([4, 6], 2), rand([4, 6])]),
    ).toBeLessThan(1e-5);
  });

  it('rotary embedding and grouped causal attention', async () => {
    const [B, T, nh, K, D] = [2, 5, 4, 2, 6];
    const cos = tf.tensor3d(rng.normalArray(T * D, 1), [T, 1, D]);
    const sin = tf.tensor3d(rng.normalArray(T * D, 1), [T, 1, D]);
    const plainRope = (x: tf.Tensor) => {
      const [a, b] = tf.split(x, 2, 3);
      return tf.add(tf.mul(x, cos), tf.mul(tf.concat([tf.neg(b), a], 3), sin));
    };
    expect(await gradGap((x) => rope(x as tf.Tensor4D, cos, sin), plainRope, [rand([B, T, nh, D])])).toBeLessThan(1e-5);
    const g = nh / K;
    const mask = tf.tensor2d(
      Float32Array.from({ length: g * T * T }, (_, i) => (i % T > Math.floor(i / T) % T ? -1e9 : 0)),
      [g * T, T],
    );
    const plainAttention = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => {
      const rep = (t: tf.Tensor) =>
        tf.concat(
          tf.split(t, K, 2).flatMap((h) => Array<tf.Tensor>(g).fill(h)),
          2,
        );
      const qh = tf.transpose(q, [0, 2, 1, 3]);
      const kh = tf.transpose(rep(k), [0, 2, 1, 3]);
      const vh = tf.transpose(rep(v), [0, 2, 1, 3]);
      const causal = tf.tensor2d(
        Float32Array.from({ length: T * T }, (_, i) => (i % T > Math.floor(i / T) ? -1e9 : 0)),
        [T, T],
      );
      const p = tf.softmax(tf.add(tf.div(tf.matMul(qh, kh, false, true), Math.sqrt(D)), causal));
      return tf.reshape(tf.transpose(tf.matMul(p, vh), [0, 2, 1, 3]), [B * T, nh * D]);
    };
    const args = [rand([B, T, nh, D]), rand([B, T, K, D]), rand([B, T, K, D])];
    const fused = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
      causalAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, mask);
    expect(await gradGap(fused, plainAttention, args)).toBeLessThan(2e-5);
  });

  it('frozen linear with bias and LoRA: dx, dAᵀ, dBᵀ', async () => {
    const Kw = rand([7, 5]);
    const bias = rand([5]);
    const At = tf.variable(rand([7, 3]));
    const Bt = tf.variable(rand([3, 5]));
    const fused = (x: tf.Tensor, a: tf.Tensor, b: tf.Tensor) =>
      frozenLoraLinear(x as tf.Tensor2D, Kw as tf.Tensor2D, bias, {
        At: a as tf.Variable,
        Bt: b as tf.Variable,
        scaling: 0.7,
      });
    const plain = (x: tf.Tensor, a: tf.Tensor, b: tf.Tensor) =>
      tf.add(tf.add(tf.matMul(x, Kw), bias), tf.mul(tf.matMul(tf.matMul(x, a), b), 0.7));
    expect(await gradGap(fused, plain, [rand([4, 7]), At, Bt])).toBeLessThan(1e-5);
    tf.dispose([At, Bt]);
  });

  it('the blocked head cross-entropy equals the plain one (values, dh), masked, uneven blocks', async () => {
    const [N, C, V] = [6, 5, 37];
    const W = rand([V, C]);
    const targets = Int32Array.from([0, 36, 8, 9, 17, 35]);
    const weights = lossWeights(N, Float32Array.from([1, 1, 0, 1, 1, 1]));
    const plain = (h: tf.Tensor) => crossEntropy(tf.matMul(h, W, false, true) as tf.Tensor2D, targets, weights);
    for (const rows of [1, 8, 37, 100])
      expect(
        await gradGap((h) => headCrossEntropy(h as tf.Tensor2D, W as tf.Tensor2D, targets, weights, rows), plain, [
          rand([N, C], 2),
        ]),
      ).toBeLessThan(2e-6);
  });
});

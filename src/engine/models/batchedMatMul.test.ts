import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { Rng } from '../rng';
import { tf } from '../tf';
import { batchedMatMul } from './batchedMatMul';

/** Row-major [B, K, R, C] element (b, k, r, c). */
const at = (t: Float32Array, [, K, R, C]: number[], b: number, k: number, r: number, c: number) =>
  t[((b * K + k) * R + r) * C + c];

describe.each(['cpu', 'wasm'] as const)('batchedMatMul on %s', (backend) => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('transposeA %s, transposeB %s equals a float64 loop; no tensor left behind', async (ta, tb) => {
    await selectBackend({ force: backend });
    const rng = new Rng(7);
    const [B, K, M, L, N] = [2, 3, 5, 4, 6];
    const aShape = ta ? [B, K, L, M] : [B, K, M, L];
    const bShape = tb ? [B, K, N, L] : [B, K, L, N];
    const aData = Float32Array.from(rng.normalArray(B * K * M * L, 1));
    const bData = Float32Array.from(rng.normalArray(B * K * L * N, 1));
    const a = tf.tensor4d(aData, aShape as [number, number, number, number]);
    const b = tf.tensor4d(bData, bShape as [number, number, number, number]);
    const before = tf.memory().numTensors;
    const y = batchedMatMul(a, b, ta, tb);
    expect(y.shape).toEqual([B, K, M, N]);
    const got = (await y.data()) as Float32Array;
    let gap = 0;
    for (let bb = 0; bb < B; bb++)
      for (let k = 0; k < K; k++)
        for (let m = 0; m < M; m++)
          for (let n = 0; n < N; n++) {
            let s = 0;
            for (let l = 0; l < L; l++)
              s +=
                (ta ? at(aData, aShape, bb, k, l, m) : at(aData, aShape, bb, k, m, l)) *
                (tb ? at(bData, bShape, bb, k, n, l) : at(bData, bShape, bb, k, l, n));
            gap = Math.max(gap, Math.abs(s - got[((bb * K + k) * M + m) * N + n]));
          }
    expect(gap).toBeLessThan(1e-5);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});

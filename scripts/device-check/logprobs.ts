/**
 * Next-token log-probabilities the device check compares: for ids [B, T], log_softmax of the
 * logits at every position (the full [B, T, V] when it is small, else only `next`: the
 * log-probability of each following id, [B, T−1]). Computed in float32 on the current backend.
 */
import { tf } from '../../src/engine/tf';
import type { HostTensor } from '../../src/engine/types';
import type { CheckModel } from './families';

/** Full distributions are kept up to this many numbers per variant (1 MiB of float32). */
export const FULL_LIMIT = 2 ** 18;

export async function logProbs(
  model: CheckModel,
  ids: Int32Array,
  B: number,
  T: number,
  useAdapter: boolean,
): Promise<{ next: HostTensor; full?: HostTensor }> {
  const V = model.vocabSize;
  const logits = await model.logits(ids, B, T, { useAdapter });
  const lp = tf.tidy(() => tf.logSoftmax(tf.tensor2d(logits, [B * T, V])));
  const all = new Float32Array((await lp.data()) as Float32Array);
  lp.dispose();
  const next = new Float32Array(B * (T - 1));
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T - 1; t++) next[b * (T - 1) + t] = all[(b * T + t) * V + ids[b * T + t + 1]];
  return {
    next: { shape: [B, T - 1], data: next },
    ...(all.length <= FULL_LIMIT ? { full: { shape: [B, T, V], data: all } } : {}),
  };
}

/** max |a − b| over two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

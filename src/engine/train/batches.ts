/** Seeded language-model batches from a token stream: random windows, fixed [batch, seq]. */
import { Rng } from '../rng';
import { UserFacingError } from '../types';
import type { TokenBatch } from './types';

/**
 * `batch` windows of seq+1 consecutive tokens at seeded random offsets; input = window[0..seq),
 * target = window[1..seq]. Same rng state ⇒ same batch.
 */
export function sampleWindows(tokens: ArrayLike<number>, batch: number, seq: number, rng: Rng): TokenBatch {
  if (tokens.length < seq + 1) {
    throw new UserFacingError(`the text has ${tokens.length} tokens; a window of ${seq} needs at least ${seq + 1}`);
  }
  const input = new Int32Array(batch * seq);
  const target = new Int32Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    const start = rng.int(tokens.length - seq);
    for (let t = 0; t < seq; t++) {
      input[b * seq + t] = tokens[start + t];
      target[b * seq + t] = tokens[start + t + 1];
    }
  }
  return { input, target, batch, seq };
}

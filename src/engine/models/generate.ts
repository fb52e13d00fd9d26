/**
 * Text generation from a causal LM of any family: greedy, temperature and top-k sampling, seeded; with or without
 * the active adapter. Every step runs the same [1, window] shape (the context right-padded;
 * causal attention makes position p independent of what follows), so GPU buffer pools stay flat.
 * No KV cache: meant for the small models trained here.
 */
import { tf } from '../tf';
import { Rng } from '../rng';
import { UserFacingError } from '../types';
import type { CausalLm } from './causalLm';

export interface GenerateOptions {
  /** Tokens to produce. */
  maxNewTokens: number;
  /** 0 = greedy (argmax). Default 1. */
  temperature?: number;
  /** Sample among the k most likely tokens only; 0 or undefined = all. */
  topK?: number;
  /** Seeds the sampler: same seed ⇒ same tokens. Default 0. */
  seed?: number;
  /** false: base model only. Default true (the active adapter, if any). */
  useAdapter?: boolean;
  /** Context window in tokens (≤ n_positions; default n_positions). Older tokens are dropped. */
  window?: number;
  /** Stop after producing this token. */
  stopToken?: number;
}

/** Next-token choice from one row of logits (float64 on the host). */
export function sampleToken(logits: ArrayLike<number>, temperature: number, topK: number, rng: Rng): number {
  const V = logits.length;
  let best = 0;
  for (let i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
  if (temperature === 0) return best;
  let idx = Array.from({ length: V }, (_, i) => i);
  if (topK > 0 && topK < V) idx = idx.sort((a, b) => logits[b] - logits[a]).slice(0, topK);
  const max = logits[best];
  const w = idx.map((i) => Math.exp((logits[i] - max) / temperature));
  const total = w.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let j = 0; j < idx.length; j++) {
    u -= w[j];
    if (u < 0) return idx[j];
  }
  return idx[idx.length - 1];
}

/** Generate up to `maxNewTokens` ids after `prompt`; returns the new ids only. */
export async function generate(model: CausalLm, prompt: ArrayLike<number>, opts: GenerateOptions): Promise<number[]> {
  const V = model.vocabSize;
  const n_positions = model.nPositions;
  const temperature = opts.temperature ?? 1;
  const topK = opts.topK ?? 0;
  const window = Math.min(opts.window ?? n_positions, n_positions);
  if (prompt.length === 0) throw new UserFacingError('the prompt is empty: give at least one token');
  if (!(temperature >= 0) || !Number.isFinite(temperature))
    throw new UserFacingError(`temperature must be ≥ 0, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 0)
    throw new UserFacingError(`top-k must be a non-negative integer, got ${topK}`);
  if (!Number.isInteger(opts.maxNewTokens) || opts.maxNewTokens < 0) {
    throw new UserFacingError(`maxNewTokens must be a non-negative integer, got ${opts.maxNewTokens}`);
  }
  for (let i = 0; i < prompt.length; i++) {
    if (!Number.isInteger(prompt[i]) || prompt[i] < 0 || prompt[i] >= V) {
      throw new UserFacingError(`prompt token ${i} = ${prompt[i]} is outside the vocabulary [0, ${V})`);
    }
  }
  const rng = new Rng(opts.seed ?? 0);
  const tokens = Array.from(prompt);
  const out: number[] = [];
  const ids = new Int32Array(window);
  for (let n = 0; n < opts.maxNewTokens; n++) {
    const ctx = tokens.slice(-window);
    ids.fill(0);
    ids.set(ctx);
    const pos = ctx.length - 1;
    const row = tf.tidy(() => {
      const logits = model.forwardTensor(tf.tensor2d(ids, [1, window], 'int32'), { useAdapter: opts.useAdapter }); // [1, W, V]
      return tf.reshape(tf.slice(logits, [0, pos, 0], [1, 1, V]), [V]); // [V]
    });
    const logits = (await row.data()) as Float32Array;
    row.dispose();
    const next = sampleToken(logits, temperature, topK, rng);
    tokens.push(next);
    out.push(next);
    if (next === opts.stopToken) break;
  }
  return out;
}

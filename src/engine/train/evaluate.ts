/** Scoring fixed batches: the validation loss every run, the CLI and pretraining report. */
import type { TokenBatch } from '../types';

/** What can score a batch: its mean cross-entropy (nats) over the positions with mask 1. */
export interface BatchScorer<O> {
  loss(batch: TokenBatch, opts?: O): Promise<number>;
}

/**
 * Mean cross-entropy per scored token (nats) over `batches`: each batch's mean weighted by its
 * Σmask (batch·seq without a mask), so a padded last batch counts only for the tokens it holds.
 * `tokens` is how many positions were scored.
 */
export async function meanTokenLoss<O>(
  model: BatchScorer<O>,
  batches: readonly TokenBatch[],
  opts?: O,
): Promise<{ loss: number; tokens: number }> {
  let total = 0;
  let tokens = 0;
  for (const b of batches) {
    const n = b.mask ? b.mask.reduce((a, m) => a + m, 0) : b.batch * b.seq;
    if (n === 0) continue;
    total += (await model.loss(b, opts)) * n;
    tokens += n;
  }
  return { loss: total / tokens, tokens };
}

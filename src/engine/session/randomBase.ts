/**
 * A base to train from scratch: a freshly initialised GPT-2 (transformers' init, seeded) with a
 * character tokenizer for the documents it will learn, as the checkpoint files LmSession.open
 * reads. The CLI's `train --mode full` without `--base` starts here.
 */
import { BASE_EXTRA_CHARS } from '../data/tasks';
import { gpt2ConfigJson, type Gpt2Config } from '../gpt2/config';
import { initGpt2Weights } from '../gpt2/params';
import { writeSafetensors } from '../safetensors';
import { CharTokenizer } from '../tokenizer/charTokenizer';
import { charTokenizerJsonText } from '../tokenizer/tokenizerJson';
import type { BaseFiles } from './types';

export interface RandomBaseShape {
  n_embd: number;
  n_layer: number;
  n_head: number;
  n_positions: number;
}

/** A small shape that learns a corpus of short documents in minutes on wasm. */
export const RANDOM_BASE_DEFAULTS = { n_embd: 64, n_layer: 2, n_head: 4, n_positions: 128 } as const;

/**
 * @param documents what the tokenizer must cover (their characters plus printable ASCII)
 * @param seed seeds the weights: the same documents, shape and seed give the same files
 */
export function randomBaseFiles(documents: readonly string[], shape: RandomBaseShape, seed: number): BaseFiles {
  const tokenizer = CharTokenizer.fromCorpus(documents, BASE_EXTRA_CHARS);
  const config: Gpt2Config = {
    vocab_size: tokenizer.vocabSize,
    n_positions: shape.n_positions,
    n_embd: shape.n_embd,
    n_layer: shape.n_layer,
    n_head: shape.n_head,
    n_inner: 4 * shape.n_embd,
    layer_norm_epsilon: 1e-5,
    activation_function: 'gelu_new',
  };
  return {
    name: 'random-init',
    config: JSON.stringify(gpt2ConfigJson(config)),
    weights: writeSafetensors(initGpt2Weights(config, seed), { format: 'pt' }),
    tokenizer: charTokenizerJsonText(tokenizer),
  };
}

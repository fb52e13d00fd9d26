/** GPT-2 (also distilgpt2) as a registry family. */
import { gpt2ConfigJson, hfConfigJson, parseGpt2Config, type Gpt2Config } from '../gpt2/config';
import { Gpt2Model } from '../gpt2/model';
import { gpt2Linears, gpt2ParamCount, gpt2ParamShapes } from '../gpt2/params';
import { exportHfModelFiles } from '../peft/hfModel';
import { refLogits, refLoraGradients, refLoss } from '../reference/gpt2';
import type { ModelFamily, ModelSpec } from './family';

/** Buffers some GPT-2 checkpoints carry that are not parameters (causal-mask constants). */
const IGNORED = /(^|\.)attn\.(bias|masked_bias)$/;

export const GPT2_TARGETS = ['c_attn', 'c_proj', 'c_fc'] as const;

function gpt2Spec(c: Gpt2Config, source: Record<string, unknown>): ModelSpec {
  return {
    family: 'gpt2',
    label: 'GPT-2',
    config: c,
    dims: {
      family: 'gpt2',
      layers: c.n_layer,
      hidden: c.n_embd,
      heads: c.n_head,
      kvHeads: c.n_head,
      headDim: c.n_embd / c.n_head,
      inner: c.n_inner,
      vocabSize: c.vocab_size,
      nPositions: c.n_positions,
      tiedHead: true,
    },
    targetNames: GPT2_TARGETS,
    defaultTargets: ['c_attn'],
    fanInFanOut: true,
    configJson: () => gpt2ConfigJson(c),
    naming: () => ({
      label: 'GPT-2',
      expected: gpt2ParamShapes(c),
      // The hub's gpt2 checkpoint has no "transformer." prefix; a tied lm_head is wte again.
      canonical: (raw) =>
        IGNORED.test(raw) || raw === 'lm_head.weight'
          ? null
          : raw.startsWith('transformer.')
            ? raw
            : `transformer.${raw}`,
    }),
    paramCount: () => gpt2ParamCount(c),
    linears: () => gpt2Linears(c),
    toComputeLayout: (_name, t) => t, // Conv1D [d_in, d_out] already is the compute layout
    transposedOnDevice: () => false,
    random: (seed) => Gpt2Model.random(c, seed),
    fromWeights: (w) => Gpt2Model.fromWeights(c, w),
    fromStore: (store) => Gpt2Model.fromStore(c, store),
    hfFiles: (w, eot) => exportHfModelFiles(eot === undefined ? source : hfConfigJson(c, eot), w),
    reference: () => ({
      logits: (w, l, ids, B, T) => refLogits(c, w, l, ids, B, T),
      loss: (w, l, b) => refLoss(c, w, l, b),
      grads: (w, l, b) => refLoraGradients(c, w, l, b),
    }),
  };
}

export const gpt2Family: ModelFamily = {
  name: 'gpt2',
  label: 'GPT-2',
  targetNames: GPT2_TARGETS,
  defaultTargets: ['c_attn'],
  fanInFanOut: true,
  spec: (config) => gpt2Spec(parseGpt2Config(config), config),
};

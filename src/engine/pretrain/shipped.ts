/**
 * The files of the shipped base model (public/models/tiny/): the HF `config.json` it is written
 * with, and `lowrank-model.json`, the record of how it was made.
 */
import { gpt2ConfigJson, type Gpt2Config } from '../gpt2/config';
import { gpt2ParamCount } from '../gpt2/params';
import type { CorpusStats } from './corpus';
import type { EvalPoint, PretrainResult, PretrainSettings } from './pretrain';

/** config.json: the engine's GPT-2 config plus the token ids HF generation reads. */
export function shippedConfigJson(config: Gpt2Config): string {
  const json = { ...gpt2ConfigJson(config), bos_token_id: 0, eos_token_id: 0 };
  const sorted = Object.fromEntries(Object.entries(json).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/** lowrank-model.json. */
export interface ModelProvenance {
  name: string;
  description: string;
  corpus: {
    source: string;
    seed: number;
    augmentation: Record<string, number>;
    train: CorpusStats;
    validationDocuments: number;
  };
  seed: number;
  steps: number;
  settings: PretrainSettings;
  parameters: number;
  backend: string;
  date: string;
  wallSeconds: number;
  /** Mean training loss over the last 100 steps (nats/token). */
  finalTrainLoss: number;
  heldOut: {
    /** Over every held-out batch. */
    loss: number;
    /** nats/token ÷ ln 2: one token is one character (or the end-of-text marker). */
    bitsPerChar: number;
    tokens: number;
    /** Over the first `batches` held-out batches: what the shipped-model test recomputes. */
    subsetLoss: number;
    subsetBatches: number;
  };
  /** Held-out subset loss during training. */
  curve: EvalPoint[];
  /** Mean training loss of each evalEvery-step window, at the window's last step. */
  trainCurve: EvalPoint[];
}

/** The record of a finished run. Every number comes from `result`. */
export function provenance(
  result: PretrainResult,
  meta: { backend: string; date: string; corpus: ModelProvenance['corpus'] },
): ModelProvenance {
  const s = result.settings;
  const c = result.config;
  return {
    name: 'lowrank tiny char GPT-2',
    description: `A ${c.n_layer}-layer, ${c.n_embd}-wide character-level GPT-2 pretrained from scratch on CMUdict words (with case and number augmentation) by npm run pretrain.`,
    corpus: meta.corpus,
    seed: s.seed,
    steps: s.steps,
    settings: s,
    parameters: gpt2ParamCount(c),
    backend: meta.backend,
    date: meta.date,
    wallSeconds: Math.round(result.wallMs / 1000),
    finalTrainLoss: result.finalTrainLoss,
    heldOut: {
      loss: result.heldOutLoss,
      bitsPerChar: result.heldOutLoss / Math.LN2,
      tokens: result.heldOutTokens,
      subsetLoss: result.heldOutSubsetLoss,
      subsetBatches: s.evalBatches,
    },
    curve: result.evals,
    trainCurve: windowMeans(result.trainLosses, s.evalEvery),
  };
}

function windowMeans(losses: readonly number[], every: number): EvalPoint[] {
  const out: EvalPoint[] = [];
  for (let i = 0; i < losses.length; i += every) {
    const w = losses.slice(i, i + every);
    out.push({ step: i + w.length, loss: w.reduce((a, b) => a + b, 0) / w.length });
  }
  return out;
}

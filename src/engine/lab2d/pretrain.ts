/**
 * Pretraining the lab's base classifier on two moons: seeded init, seeded data, full-batch
 * AdamW at a constant rate. Same options ⇒ the same weights on a given backend (and the same
 * accuracy within float noise across backends).
 */
import { twoDSplits } from '../data/twoD';
import { MlpModel, type MlpConfig } from '../mlp/model';
import { MlpTrainer } from '../mlp/trainer';
import { BASE_CONFIG, BASE_DATASET } from './spec';

export interface PretrainOptions {
  seed: number;
  /** Full-batch steps. */
  steps: number;
  learningRate: number;
  /** AdamW's decoupled decay: keeps the weights (and the logits) moderate, so the base is not saturated. */
  weightDecay: number;
  nTrain: number;
  nValidation: number;
  config: MlpConfig;
}

export const PRETRAIN_DEFAULTS: PretrainOptions = {
  seed: 2024,
  steps: 500,
  learningRate: 0.01,
  weightDecay: 0.01,
  nTrain: 512,
  nValidation: 1000,
  config: BASE_CONFIG,
};

export interface PretrainResult {
  /** The trained base (frozen weights). The caller owns and disposes it. */
  model: MlpModel;
  trainAccuracy: number;
  validationAccuracy: number;
  /** Training loss (mean cross-entropy, nats) at the first and the last step. */
  firstLoss: number;
  finalLoss: number;
  validationLoss: number;
  options: PretrainOptions;
}

/** Trains a fresh MLP on the base dataset; `onStep` sees (step, loss) for progress output. */
export async function pretrainBase(
  partial: Partial<PretrainOptions> = {},
  onStep?: (step: number, loss: number) => void,
): Promise<PretrainResult> {
  const o = { ...PRETRAIN_DEFAULTS, ...partial };
  const { train, validation } = twoDSplits(BASE_DATASET, {
    nTrain: o.nTrain,
    nValidation: o.nValidation,
    seed: o.seed,
  });
  const init = MlpModel.random(o.config, o.seed);
  // Full mode trains a clone of every weight; the trained clone is exported and the scaffolding freed.
  const trainer = new MlpTrainer(init, {
    mode: 'full',
    learningRate: o.learningRate,
    minLearningRate: o.learningRate,
    totalSteps: o.steps,
    weightDecay: o.weightDecay,
    seed: o.seed,
  });
  try {
    let firstLoss = NaN;
    let finalLoss = NaN;
    for (let i = 0; i < o.steps; i++) {
      const s = await trainer.step(train);
      if (s.stopped) throw new Error(`pretraining diverged: ${s.stopped}`);
      if (i === 0) firstLoss = s.loss;
      finalLoss = s.loss;
      onStep?.(s.step, s.loss);
    }
    const model = MlpModel.fromWeights(o.config, await trainer.model.exportWeights());
    return {
      model,
      trainAccuracy: await model.accuracy(train),
      validationAccuracy: await model.accuracy(validation),
      firstLoss,
      finalLoss,
      validationLoss: await model.loss(validation),
      options: o,
    };
  } finally {
    trainer.dispose();
    init.dispose();
  }
}

import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { Adam } from '../train/optimizer';
import { learningRateAt } from '../train/schedule';
import { Trainer } from '../train/trainer';
import { APP_TRAINER_DEFAULTS, safeName } from './settings';

describe('the recipe’s trainer defaults are the app trainer’s own', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'cpu' });
  });

  it('AdamW: β₁, β₂, ε and weight decay as train/optimizer.ts fills them', () => {
    const adam = new Adam([], { kind: 'adamw' });
    expect({ beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon, weightDecay: adam.weightDecay }).toEqual({
      beta1: APP_TRAINER_DEFAULTS.beta1,
      beta2: APP_TRAINER_DEFAULTS.beta2,
      epsilon: APP_TRAINER_DEFAULTS.epsilon,
      weightDecay: APP_TRAINER_DEFAULTS.weightDecay,
    });
  });

  it('gradient clipping at norm 1 and a schedule that ends at 0 when the run sets neither', async () => {
    const clippedAt = async (g: number) => {
      const w = tf.variable(tf.scalar(0));
      const trainer = new Trainer<number>(
        {
          variables: [{ name: 'w', variable: w }],
          loss: () => tf.mul(w, g) as tf.Scalar, // gradient g, norm |g|
          check: () => {},
          size: () => 1,
          shape: () => 'x',
        },
        { learningRate: 0.1, totalSteps: 2 },
      );
      const s = await trainer.step(0);
      trainer.dispose();
      w.dispose();
      return s.clipped;
    };
    expect(await clippedAt(APP_TRAINER_DEFAULTS.maxGradNorm * 1.001)).toBe(true);
    expect(await clippedAt(APP_TRAINER_DEFAULTS.maxGradNorm * 0.999)).toBe(false);
    expect(learningRateAt(50, { learningRate: 1e-3, warmupSteps: 5, totalSteps: 50 })).toBe(
      APP_TRAINER_DEFAULTS.minLearningRate,
    );
  });

  it('safeName keeps names usable as folders', () => {
    expect(safeName('names (r=8)')).toBe('names-r-8');
    expect(safeName('  ')).toBe('adapter');
    expect(safeName('../x')).toBe('x');
  });
});

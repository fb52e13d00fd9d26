/**
 * A lean full-parameter training step for pretraining: forward/backward, global-norm clipping,
 * AdamW (the engine's Adam class), warm-up + cosine learning rate.
 *
 * Why not the engine's Trainer: it guards every update in-graph for interactive use (keeps a
 * last-good copy and selects old/new weights with tf.where on a scalar condition). On wasm that
 * where broadcasts the condition with Tile for every weight, which measured ~25 % of a pretraining
 * step here. Pretraining is a batch job: a non-finite loss simply aborts the run with a message.
 */
import { tf } from '../tf';
import type { Gpt2Model } from '../gpt2/model';
import type { TokenBatch } from '../types';
import { Adam } from '../train/optimizer';
import { learningRateAt, type ScheduleOptions } from '../train/schedule';

export interface FullStepOptions extends ScheduleOptions {
  weightDecay: number;
  maxGradNorm: number;
}

export interface FullStepStats {
  /** 1-based. */
  step: number;
  /** Batch loss before the update (nats/token). */
  loss: number;
  /** Global gradient L2 norm before clipping. */
  gradNorm: number;
  lr: number;
  msPerStep: number;
}

export class FullStepper {
  private readonly vars: tf.Variable[];
  private readonly adam: Adam;
  private count = 0;

  /** @param model a model whose base weights are variables (`cloneTrainable()`); the caller owns it. */
  constructor(
    private readonly model: Gpt2Model,
    private readonly options: FullStepOptions,
  ) {
    this.vars = model.baseVariables().map((v) => v.variable);
    if (this.vars.length === 0)
      throw new Error('FullStepper needs a model with trainable base weights (cloneTrainable()).');
    this.adam = new Adam(this.vars, { kind: 'adamw', weightDecay: options.weightDecay });
  }

  get steps(): number {
    return this.count;
  }

  /** One update on `batch` ([batch, seq] ids). Throws if the loss or gradient is not finite. */
  async step(batch: TokenBatch): Promise<FullStepStats> {
    const start = performance.now();
    const lr = learningRateAt(this.count, this.options);
    const t = this.count + 1;
    const maxNorm = this.options.maxGradNorm;
    const out = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.model.lossTensor(batch), this.vars);
      const g = this.vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
      const norm = tf.sqrt(tf.addN(g.map((x) => tf.sum(tf.square(x))))); // global L2 norm, scalar
      const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6))); // clip to maxNorm
      this.adam.commit(
        this.adam.proposal(
          g.map((x) => tf.mul(x, scale)),
          lr,
          t,
        ),
      );
      return tf.stack([value, norm]);
    });
    const [loss, gradNorm] = await out.data();
    out.dispose();
    this.count += 1;
    this.adam.advance();
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      throw new Error(
        `pretraining diverged at step ${this.count} (loss ${loss}, gradient norm ${gradNorm}): lower the learning rate.`,
      );
    }
    return { step: this.count, loss, gradNorm, lr, msPerStep: performance.now() - start };
  }

  dispose(): void {
    this.adam.dispose();
  }
}

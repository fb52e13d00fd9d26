/**
 * A step-by-step trainer (drive it from a Worker or a UI loop: no internal loops, so pausing is
 * just not calling step). It owns its optimizer state and a copy of the last weights that gave a
 * finite loss; the model (or the adapter) owns the trained variables.
 *
 * One step = one forward/backward, global-norm clipping, Adam/AdamW (packed into one flat
 * update for LoRA-sized variable sets), then a single read-back of [loss, gradNorm] (8 bytes).
 * After a non-finite loss or gradient the trainer restores the weights that step started from
 * (kept in `prev`) and stops.
 */
import { tf } from '../tf';
import { globalNorm } from './globalNorm';
import { Rng } from '../rng';
import { UserFacingError } from '../types';
import { Adam, packTensors, type AdamOptions } from './optimizer';
import { learningRateAt, type ScheduleOptions } from './schedule';
import type { StepStats } from './types';

/** What a model exposes to be trained. */
export interface TrainTarget<B> {
  /** The variables the optimizer updates, with readable names. */
  variables: { name: string; variable: tf.Variable }[];
  /** Loss of a batch as a scalar tensor (called inside tf.tidy / tf.variableGrads). */
  loss(batch: B, opts: { training: boolean; nextSeed: () => number }): tf.Scalar;
  /** Throws a UserFacingError for a batch the model cannot take. */
  check(batch: B): void;
  /** Positions (tokens, points) in a batch, for throughput. */
  size(batch: B): number;
  /** A key that changes when the batch shape does ("8×32"). */
  shape(batch: B): string;
}

export interface TrainerOptions extends ScheduleOptions {
  /** Default 'adamw'. */
  optimizer?: AdamOptions['kind'];
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
  /** Clip the global gradient L2 norm to this. Default 1 (0 or Infinity: off). */
  maxGradNorm?: number;
  /** Seeds dropout masks. Default 0. */
  seed?: number;
  /** One flat optimizer update over all variables (AdamOptions.packed). Default: automatic. */
  packedOptimizer?: boolean;
  /**
   * Continue an interrupted run (e.g. after a lost GPU device): count steps from `step` so the
   * schedule and the batches pick up where they were; `weights` (one Float32Array per variable,
   * in `variables` order) are assigned first when given. Adam's moments start at zero.
   */
  resume?: TrainerResume;
}

/** Where an interrupted run continues from. */
export interface TrainerResume {
  /** Steps already done (0 ≤ step ≤ totalSteps). */
  step: number;
  /** Training loss of the last step done (for the divergence message); NaN if unknown. */
  loss: number;
  /** Values for every trained variable, in order; omit when the variables already hold them. */
  weights?: Float32Array[];
}

export class Trainer<B> {
  private readonly optimizer: Adam;
  private readonly prev: tf.Variable[];
  private readonly rng: Rng;
  private batchShape: string | null = null;
  private lastLoss = NaN;
  private stoppedWith: string | null = null;
  private count = 0;

  constructor(
    protected readonly target: TrainTarget<B>,
    readonly options: TrainerOptions,
  ) {
    if (target.variables.length === 0)
      throw new UserFacingError('nothing to train: the model has no trainable weights');
    if (!(options.learningRate > 0) || !Number.isFinite(options.learningRate)) {
      throw new UserFacingError(`learning rate must be a positive number, got ${options.learningRate}`);
    }
    if (!Number.isInteger(options.totalSteps) || options.totalSteps <= 0) {
      throw new UserFacingError(`total steps must be a positive integer, got ${options.totalSteps}`);
    }
    const vars = target.variables.map((v) => v.variable);
    const resume = options.resume;
    if (resume) {
      if (!Number.isInteger(resume.step) || resume.step < 0 || resume.step > options.totalSteps) {
        throw new UserFacingError(`cannot resume at step ${resume.step} of a ${options.totalSteps}-step run`);
      }
      if (resume.weights) {
        const w = resume.weights;
        if (w.length !== vars.length)
          throw new UserFacingError(`resume has ${w.length} weights for ${vars.length} trained variables`);
        const bad = vars.findIndex((v, i) => w[i].length !== v.size);
        if (bad >= 0)
          throw new UserFacingError(
            `resume weight ${target.variables[bad].name} has ${w[bad].length} values, expected ${vars[bad].size}`,
          );
        vars.forEach((v, i) => {
          const t = tf.tensor(w[i], v.shape, 'float32');
          v.assign(t); // the variable takes its own reference
          t.dispose();
        });
      }
      this.count = resume.step;
      this.lastLoss = resume.loss;
    }
    this.optimizer = new Adam(vars, {
      kind: options.optimizer ?? 'adamw',
      beta1: options.beta1,
      beta2: options.beta2,
      epsilon: options.epsilon,
      weightDecay: options.weightDecay,
      packed: options.packedOptimizer,
    });
    // Shares the buffer until the first assign; holds the last weights with a finite loss.
    this.prev = vars.map((v) => tf.variable(v, false));
    this.rng = new Rng(options.seed ?? 0);
  }

  /** Completed steps. */
  get steps(): number {
    return this.count;
  }

  /** Why training stopped (divergence), or null. */
  get stopped(): string | null {
    return this.stoppedWith;
  }

  /** Trained parameters (scalars). */
  trainableCount(): number {
    return this.target.variables.reduce((n, v) => n + v.variable.size, 0);
  }

  /** Bytes of Adam state (2 × 4 bytes per trained parameter). */
  optimizerStateBytes(): number {
    return this.optimizer.stateBytes();
  }

  /** One optimizer step on `batch`. Resolves with plain numbers; `stopped` is set on divergence. */
  async step(batch: B): Promise<StepStats> {
    if (this.stoppedWith) throw new UserFacingError(`training has stopped: ${this.stoppedWith}`);
    this.target.check(batch);
    const shape = this.target.shape(batch);
    if (this.batchShape === null) this.batchShape = shape;
    else if (shape !== this.batchShape) {
      throw new UserFacingError(
        `batch shape changed from ${this.batchShape} to ${shape}: keep batch size and sequence length fixed`,
      );
    }
    const start = performance.now();
    const lr = learningRateAt(this.count, this.options);
    const t = this.optimizer.steps + 1;
    const maxNorm = this.options.maxGradNorm ?? 1;
    const vars = this.target.variables.map((v) => v.variable);
    const nextSeed = () => this.rng.nextSeed();
    // Phase 1: loss, gradients, global norm, clipping. The update waits for the read-back, so a
    // non-finite step changes nothing (an in-graph tf.where guard instead cost a Tile per weight
    // on wasm: a quarter of a step).
    const out = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.target.loss(batch, { training: true, nextSeed }), vars);
      const perVar = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
      // Packed: one flat gradient, so the norm and the clipping are 3 and 1 ops, not 2 and 1 per variable.
      const g = this.optimizer.packed ? [packTensors(perVar)] : perVar;
      const norm = globalNorm(g); // global L2 norm, scalar
      const clip = maxNorm > 0 && Number.isFinite(maxNorm);
      const scale = clip ? tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6))) : null;
      return { stats: tf.stack([value, norm]), grads: scale ? g.map((x) => tf.mul(x, scale)) : g };
    });
    const [loss, gradNorm] = await out.stats.data();
    this.count += 1;
    let stopped: string | undefined;
    if (Number.isFinite(loss) && Number.isFinite(gradNorm)) {
      // Phase 2: these weights gave a finite loss: keep them (assign shares the buffer), then update.
      tf.tidy(() => {
        this.prev.forEach((p, i) => p.assign(vars[i]));
        this.optimizer.commit(this.optimizer.proposal(out.grads, lr, t));
      });
      this.optimizer.advance();
      this.lastLoss = loss;
    } else {
      // The current weights gave a non-finite loss: go back to the last ones that did not.
      vars.forEach((v, i) => v.assign(this.prev[i]));
      const what = Number.isFinite(loss) ? `the gradient norm became ${gradNorm}` : `the loss became ${loss}`;
      stopped =
        this.count === 1
          ? `${what} at the first step: nothing was changed. Try a lower learning rate.`
          : `${what} at step ${this.count}: training stopped and the weights from step ${this.count - 1} ` +
            `(loss ${this.lastLoss.toFixed(4)}) were restored. Try a lower learning rate.`;
      this.stoppedWith = stopped;
    }
    out.stats.dispose();
    out.grads.forEach((x) => x.dispose());
    const ms = performance.now() - start;
    const mem = tf.memory();
    return {
      step: this.count,
      loss,
      lr,
      gradNorm,
      clipped: Number.isFinite(maxNorm) && maxNorm > 0 && gradNorm > maxNorm,
      msPerStep: ms,
      tokensPerSec: (this.target.size(batch) * 1000) / Math.max(ms, 1e-3),
      numTensors: mem.numTensors,
      numBytes: mem.numBytes,
      ...(stopped ? { stopped } : {}),
    };
  }

  /** Frees the optimizer state and the last-good copy (the trained variables stay with their owner). */
  dispose(): void {
    this.optimizer.dispose();
    this.prev.forEach((p) => p.dispose());
  }
}

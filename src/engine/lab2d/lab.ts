/**
 * The 2-D lab's fine-tuning: one frozen base MLP and four runs on the same target data, LoRA at
 * r = 1, 2, 4 (each on its own copy of the base, so the frozen weights are shared by value and
 * never touched) and full fine-tuning (a trainable clone). The lab builds every model from plain
 * weights and owns all of them: nobody else can dispose a tensor it is using. A UI drives it a few steps per
 * animation frame; every public method resolves with plain numbers and arrays.
 *
 * Calls are serialised on an internal queue, so a frame's step, a snapshot and a dispose never
 * interleave on the device; after dispose() every queued call resolves without touching tfjs.
 */
import { mixSeed } from '../rng';
import { twoDSplits, type TwoDData } from '../data/twoD';
import { tf } from '../tf';
import { MlpModel } from '../mlp/model';
import { MlpTrainer } from '../mlp/trainer';
import type { TrainableParameters } from '../lora/adapterSet';
import type { TensorMap } from '../types';
import type { BaseFiles } from './baseFile';
import { gridPoints } from './grid';
import {
  checkSettings,
  EXTENT,
  LORA_ALPHA,
  N_TRAIN,
  N_VALIDATION,
  RUNS,
  targetSpec,
  type LabSettings,
  type RunId,
} from './spec';

export interface LossPoint {
  step: number;
  value: number;
}

/** One panel's numbers. */
export interface RunSnapshot {
  id: RunId | 'base';
  label: string;
  mode: 'base' | 'lora' | 'full';
  /** LoRA rank (0 for the base and full fine-tuning). */
  r: number;
  steps: number;
  /** Fraction of the target's validation points classified correctly. */
  accuracy: number;
  /** Training loss (mean cross-entropy, nats) at each step, before that step's update. */
  losses: LossPoint[];
  params: TrainableParameters;
  /** P(class 1) at each grid cell, [res·res] in image order (see gridPoints). */
  probability: Float32Array;
  /** Why this run stopped early (divergence), or null. */
  stopped: string | null;
}

export interface LabSnapshot {
  /** Steps every run has taken. */
  step: number;
  totalSteps: number;
  /** Base first, then RUNS' order. */
  runs: RunSnapshot[];
  /** tf.memory() when the snapshot was taken. */
  numTensors: number;
  numBytes: number;
  /** Wall time of the last round of steps, per step of one run. */
  msPerStep: number;
}

interface Run {
  id: RunId;
  label: string;
  mode: 'lora' | 'full';
  r: number;
  /** The LoRA copy of the base (owned here); null for full mode, whose clone the trainer owns. */
  model: MlpModel | null;
  trainer: MlpTrainer;
  losses: LossPoint[];
  stopped: string | null;
}

export interface LabOptions {
  /** Heatmap resolution (cells per side). Default 48. */
  gridRes?: number;
}

export class FineTuneLab {
  readonly train: TwoDData;
  readonly validation: TwoDData;
  readonly gridRes: number;
  private readonly grid: Float32Array;
  private readonly runs: Run[];
  private baseSnapshot: RunSnapshot | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private count = 0;
  private lastMsPerStep = 0;
  private limit: number;

  private constructor(
    private readonly base: MlpModel,
    readonly settings: LabSettings,
    data: { train: TwoDData; validation: TwoDData },
    runs: Run[],
    gridRes: number,
  ) {
    this.train = data.train;
    this.validation = data.validation;
    this.runs = runs;
    this.gridRes = gridRes;
    this.grid = gridPoints(gridRes, EXTENT);
    this.limit = settings.totalSteps;
  }

  /**
   * Builds the base and the four runs from plain weights, for the target data.
   * @throws UserFacingError for settings out of range or weights that do not fit the config.
   */
  static async create(files: BaseFiles, settings: LabSettings, options: LabOptions = {}): Promise<FineTuneLab> {
    checkSettings(settings, files.config.sizes.length - 1);
    const data = twoDSplits(targetSpec(settings.target, settings.thetaDeg), {
      nTrain: N_TRAIN,
      nValidation: N_VALIDATION,
      seed: settings.seed,
    });
    const base = MlpModel.fromWeights(files.config, files.weights);
    const common = {
      learningRate: settings.learningRate,
      minLearningRate: settings.learningRate, // constant rate, so totalSteps can move (setTotalSteps)
      totalSteps: settings.totalSteps,
      weightDecay: 0, // neither LoRA nor full fine-tuning is pulled toward zero: a like-for-like comparison
      seed: settings.seed,
    };
    const runs: Run[] = [];
    try {
      for (const spec of RUNS) {
        if (spec.mode === 'full') {
          runs.push({
            ...spec,
            model: null,
            trainer: new MlpTrainer(base, { ...common, mode: 'full' }),
            losses: [],
            stopped: null,
          });
          continue;
        }
        const model = MlpModel.fromWeights(files.config, files.weights);
        try {
          const target_modules = settings.loraLayers.map((l) => `layers.${l}`);
          await model.adapters.add(
            'lab',
            { r: spec.r, lora_alpha: LORA_ALPHA, target_modules },
            mixSeed(settings.seed, spec.r),
          );
          runs.push({
            ...spec,
            model,
            trainer: new MlpTrainer(model, { ...common, mode: 'lora' }),
            losses: [],
            stopped: null,
          });
        } catch (e) {
          model.dispose();
          throw e;
        }
      }
    } catch (e) {
      for (const run of runs) disposeRun(run);
      base.dispose();
      throw e;
    }
    return new FineTuneLab(base, settings, data, runs, options.gridRes ?? 48);
  }

  /** Steps every run has taken. */
  get step(): number {
    return this.count;
  }

  /** Where Play stops. */
  get totalSteps(): number {
    return this.limit;
  }

  /**
   * Moves where Play stops without restarting (the rate is constant, so nothing else depends on it).
   * @throws UserFacingError outside LIMITS.totalSteps.
   */
  setTotalSteps(n: number): void {
    checkSettings({ ...this.settings, totalSteps: n });
    this.limit = n;
  }

  /** True once every run has taken totalSteps steps (or stopped). */
  get done(): boolean {
    return this.count >= this.limit || this.runs.every((r) => r.stopped);
  }

  private enqueue<T>(fn: () => Promise<T>, ifDisposed: T): Promise<T> {
    const next = this.queue.then(() => (this.disposed ? ifDisposed : fn()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Up to `n` full-batch optimizer steps on every run (never past totalSteps).
   * @returns steps actually taken
   */
  stepAll(n = 1): Promise<number> {
    return this.enqueue(async () => {
      const todo = Math.max(0, Math.min(n, this.limit - this.count));
      const start = performance.now();
      for (let i = 0; i < todo; i++) {
        for (const run of this.runs) {
          if (run.stopped) continue;
          const s = await run.trainer.step(this.train);
          run.losses.push({ step: s.step, value: s.loss });
          if (s.stopped) run.stopped = s.stopped;
        }
        this.count += 1;
      }
      if (todo > 0) this.lastMsPerStep = (performance.now() - start) / (todo * this.runs.length);
      return todo;
    }, 0);
  }

  /** Accuracy, boundary and loss curve of every panel, base first. Null once disposed. */
  snapshot(): Promise<LabSnapshot | null> {
    return this.enqueue(async () => {
      this.baseSnapshot ??= {
        id: 'base',
        label: 'Base (frozen)',
        mode: 'base',
        r: 0,
        steps: 0,
        losses: [],
        params: this.base.trainableParameters(),
        stopped: null,
        ...(await this.evaluate(this.base)),
      };
      const runs: RunSnapshot[] = [this.baseSnapshot];
      for (const run of this.runs) {
        const model = run.trainer.model;
        runs.push({
          id: run.id,
          label: run.label,
          mode: run.mode,
          r: run.r,
          steps: run.losses.length,
          losses: run.losses.slice(),
          params: run.trainer.trainableParameters(),
          stopped: run.stopped,
          ...(await this.evaluate(model)),
        });
      }
      const mem = tf.memory();
      return {
        step: this.count,
        totalSteps: this.limit,
        runs,
        numTensors: mem.numTensors,
        numBytes: mem.numBytes,
        msPerStep: this.lastMsPerStep,
      };
    }, null);
  }

  /**
   * A panel's base-layer weights in nn.Linear layout: the base itself, a LoRA run's frozen copy
   * (adapter not merged), or full fine-tuning's trained clone. Null once disposed.
   */
  weightsOf(id: RunId | 'base'): Promise<TensorMap | null> {
    return this.enqueue(async () => {
      if (id === 'base') return this.base.exportWeights();
      const run = this.runs.find((r) => r.id === id);
      if (!run) throw new RangeError(`no run "${id}"`);
      return run.trainer.model.exportWeights();
    }, null);
  }

  /** One forward pass over the validation points and the grid together (a single read-back). */
  private async evaluate(model: MlpModel): Promise<{ accuracy: number; probability: Float32Array }> {
    const nv = this.validation.n;
    const cells = this.gridRes * this.gridRes;
    const x = new Float32Array(2 * (nv + cells));
    x.set(this.validation.x, 0);
    x.set(this.grid, 2 * nv);
    const p = await model.predict(x, nv + cells); // [nv + cells, 2]
    let hit = 0;
    for (let i = 0; i < nv; i++) if ((p[2 * i + 1] > p[2 * i] ? 1 : 0) === this.validation.y[i]) hit++;
    const probability = new Float32Array(cells);
    for (let i = 0; i < cells; i++) probability[i] = p[2 * (nv + i) + 1];
    return { accuracy: hit / nv, probability };
  }

  /** Frees every model, trainer and optimizer state (after any call in flight; later calls are skipped). */
  dispose(): Promise<void> {
    if (this.disposed) return this.queue.then(() => undefined);
    this.disposed = true;
    const done = this.queue.then(() => {
      for (const run of this.runs) disposeRun(run);
      this.base.dispose();
    });
    this.queue = done.catch(() => undefined);
    return done;
  }
}

function disposeRun(run: Run): void {
  run.trainer.dispose();
  run.model?.dispose();
}

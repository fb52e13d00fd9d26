/**
 * A tiny LoRA layer trained with a real tfjs gradient, to show what the initialisation does:
 * h = W0·x + s·B·(A·x) with W0 frozen, fitted to a fixed, seeded regression target with Adam.
 *
 * With PEFT's default init (B = 0) ΔW = s·B·A is exactly zero at step 0, the gradient of A
 * (which is multiplied by B) is exactly zero on the first step, and only B moves. With both
 * factors zero nothing ever trains; with both random the adapted layer no longer starts equal
 * to the base.
 */
import { tf } from '../tf';
import type { HostTensor } from '../types';
import { mulberry32, normalArray, uniformArray } from '../rng';

/**
 * peft: A ~ Kaiming-uniform(a=√5) = U(±1/√d_in), B = 0 (PEFT init_lora_weights=True).
 * gaussian: A ~ N(0, (1/r)²), B = 0 (PEFT "gaussian").
 * zeros: A = 0, B = 0. random: A as peft, B ~ U(±1/√r) (nn.Linear's own init: both random).
 */
export type InitMode = 'peft' | 'gaussian' | 'zeros' | 'random';
export const INIT_MODES: readonly InitMode[] = ['peft', 'gaussian', 'zeros', 'random'];

/** s = α/r (LoRA), α/√r (rsLoRA) or α (no rank normalisation). */
export type ScalingRule = 'alpha/r' | 'alpha/sqrt(r)' | 'alpha';
export const SCALING_RULES: readonly ScalingRule[] = ['alpha/r', 'alpha/sqrt(r)', 'alpha'];

export function scalingFor(rule: ScalingRule, alpha: number, r: number): number {
  return rule === 'alpha/r' ? alpha / r : rule === 'alpha/sqrt(r)' ? alpha / Math.sqrt(r) : alpha;
}

export interface InitDemoOptions {
  dIn: number;
  dOut: number;
  r: number;
  alpha: number;
  /** Adam's learning rate. */
  lr: number;
  init: InitMode;
  scalingRule?: ScalingRule;
  /** Seeds the task (W0, inputs, target). Same seed, same task, whatever r and init. */
  taskSeed?: number;
  /** Seeds A and B. */
  initSeed?: number;
  /** Rows of the fixed input batch X. */
  batch?: number;
}

/** What one optimisation step saw: gradients at the parameters before the update. */
export interface StepRecord {
  /** 1 for the first update. */
  step: number;
  /** Loss before the update. */
  loss: number;
  /** ‖∂L/∂A‖_F before the update. */
  gradNormA: number;
  /** ‖∂L/∂B‖_F before the update. */
  gradNormB: number;
  /** ‖ΔW‖_F after the update. */
  deltaWNorm: number;
}

export interface InitSnapshot {
  step: number;
  scaling: number;
  loss: number;
  /** A: [r, d_in]. */
  A: HostTensor;
  /** B: [d_out, r]. */
  B: HostTensor;
  /** ΔW = s·B·A: [d_out, d_in]. */
  deltaW: HostTensor;
  deltaWNorm: number;
  /** max |adapted output − base output| over the batch: 0 exactly when ΔW = 0. */
  outputChange: number;
  /** ‖X·W0ᵀ‖_F / √(batch·d_out): the base output's size, to judge outputChange against. */
  baseOutputRms: number;
}

/** The seeded task: frozen W0 [d_out, d_in], inputs X [batch, d_in], targets Y [batch, d_out]. */
function makeTask(dIn: number, dOut: number, batch: number, seed: number) {
  const rand = mulberry32(seed);
  const w0 = normalArray(rand, dOut * dIn, 1 / Math.sqrt(dIn));
  const x = normalArray(rand, batch * dIn, 1);
  // The target differs from W0 by a rank-2 change: what a LoRA adapter can learn exactly.
  const u = normalArray(rand, dOut * 2, 1 / Math.sqrt(2));
  const v = normalArray(rand, 2 * dIn, 1 / Math.sqrt(dIn));
  const wStar = new Float32Array(dOut * dIn);
  for (let o = 0; o < dOut; o++)
    for (let i = 0; i < dIn; i++) wStar[o * dIn + i] = w0[o * dIn + i] + u[o * 2] * v[i] + u[o * 2 + 1] * v[dIn + i];
  return { w0, x, wStar };
}

function initFactors(o: InitDemoOptions): { a: Float32Array; b: Float32Array } {
  const rand = mulberry32(o.initSeed ?? 7);
  const nA = o.r * o.dIn;
  const nB = o.dOut * o.r;
  const kaimingA = () => uniformArray(rand, nA, 1 / Math.sqrt(o.dIn));
  switch (o.init) {
    case 'peft':
      return { a: kaimingA(), b: new Float32Array(nB) };
    case 'gaussian':
      return { a: normalArray(rand, nA, 1 / o.r), b: new Float32Array(nB) };
    case 'zeros':
      return { a: new Float32Array(nA), b: new Float32Array(nB) };
    case 'random':
      return { a: kaimingA(), b: uniformArray(rand, nB, 1 / Math.sqrt(o.r)) };
  }
}

/**
 * Owns its tensors (W0, X, Y, the base output, A, B and Adam's state); call dispose() when
 * done. Hands out plain numbers and Float32Arrays only.
 */
export class InitDemo {
  readonly scaling: number;
  readonly options: Required<InitDemoOptions>;
  stepCount = 0;
  readonly history: StepRecord[] = [];
  private readonly x: tf.Tensor2D; // [batch, d_in]
  private readonly y: tf.Tensor2D; // [batch, d_out]
  private readonly baseOut: tf.Tensor2D; // X·W0ᵀ, [batch, d_out]
  private readonly loraA: tf.Variable<tf.Rank.R2>; // [r, d_in]
  private readonly loraB: tf.Variable<tf.Rank.R2>; // [d_out, r]
  private readonly optimizer: tf.AdamOptimizer;
  private disposed = false;

  constructor(opts: InitDemoOptions) {
    this.options = { scalingRule: 'alpha/r', taskSeed: 1, initSeed: 7, batch: 32, ...opts };
    const { dIn, dOut, r, alpha, lr, batch, taskSeed, scalingRule } = this.options;
    if (![dIn, dOut, r, batch].every((n) => Number.isInteger(n) && n > 0))
      throw new Error('InitDemo: sizes must be positive integers');
    this.scaling = scalingFor(scalingRule, alpha, r);
    const task = makeTask(dIn, dOut, batch, taskSeed);
    const f = initFactors(this.options);
    this.x = tf.tensor2d(task.x, [batch, dIn]);
    [this.y, this.baseOut] = tf.tidy(() => {
      const wStar = tf.tensor2d(task.wStar, [dOut, dIn]);
      const w0 = tf.tensor2d(task.w0, [dOut, dIn]);
      return [tf.matMul(this.x, wStar, false, true), tf.matMul(this.x, w0, false, true)] as [tf.Tensor2D, tf.Tensor2D];
    });
    // tf.variable keeps its own copy; tidy disposes the temporary it was made from.
    this.loraA = tf.tidy(() => tf.variable(tf.tensor2d(f.a, [r, dIn]), true));
    this.loraB = tf.tidy(() => tf.variable(tf.tensor2d(f.b, [dOut, r]), true));
    // PyTorch's default ε; tfjs's own default (1e-7) would work as well.
    this.optimizer = tf.train.adam(lr, 0.9, 0.999, 1e-8);
  }

  /** The adapted layer's output on the batch: X·W0ᵀ + s·(X·Aᵀ)·Bᵀ, [batch, d_out]. */
  private adaptedOut(): tf.Tensor2D {
    const xa = tf.matMul(this.x, this.loraA, false, true); // [batch, r]
    return tf.add(this.baseOut, tf.mul(tf.matMul(xa, this.loraB, false, true), this.scaling)); // [batch, d_out]
  }

  private loss(): tf.Scalar {
    return tf.mean(tf.square(tf.sub(this.adaptedOut(), this.y)));
  }

  private deltaW(): tf.Tensor2D {
    return tf.mul(tf.matMul(this.loraB, this.loraA), this.scaling); // [d_out, d_in]
  }

  /**
   * One Adam step on A and B (W0 stays frozen). With `record` (default) reads back the loss,
   * both gradient norms and ‖ΔW‖ and appends them to `history`; without, nothing is read back,
   * which keeps fast sweeps from waiting on the device.
   */
  async step(record = true): Promise<StepRecord | undefined> {
    if (this.disposed) throw new Error('InitDemo: used after dispose()');
    const { value, grads } = tf.variableGrads(() => this.loss(), [this.loraA, this.loraB]);
    const norms = record
      ? tf.tidy(() => tf.stack([value, tf.norm(grads[this.loraA.name]), tf.norm(grads[this.loraB.name])]))
      : null;
    const gA = grads[this.loraA.name];
    const gB = grads[this.loraB.name];
    this.optimizer.applyGradients([
      { name: this.loraA.name, tensor: gA },
      { name: this.loraB.name, tensor: gB },
    ]);
    tf.dispose([value, gA, gB]);
    this.stepCount++;
    if (!norms) return undefined;
    const dw = tf.tidy(() => tf.norm(this.deltaW()));
    const [n, d] = await Promise.all([norms.data(), dw.data()]);
    tf.dispose([norms, dw]);
    const rec = { step: this.stepCount, loss: n[0], gradNormA: n[1], gradNormB: n[2], deltaWNorm: d[0] };
    this.history.push(rec);
    return rec;
  }

  /** ‖ΔW‖_F now (one read-back). */
  async deltaWNorm(): Promise<number> {
    const t = tf.tidy(() => tf.norm(this.deltaW()));
    const v = (await t.data())[0];
    t.dispose();
    return v;
  }

  /** A, B, ΔW and the output change, as plain data. */
  async snapshot(): Promise<InitSnapshot> {
    const { dIn, dOut, r, batch } = this.options;
    const ts = tf.tidy(() => {
      const dw = this.deltaW();
      const change = tf.max(tf.abs(tf.sub(this.adaptedOut(), this.baseOut)));
      const rms = tf.div(tf.norm(this.baseOut), Math.sqrt(batch * dOut));
      return [this.loraA.clone(), this.loraB.clone(), dw, tf.stack([this.loss(), tf.norm(dw), change, rms])];
    });
    const [a, b, dw, s] = (await Promise.all(ts.map((t) => t.data()))) as Float32Array[];
    tf.dispose(ts);
    return {
      step: this.stepCount,
      scaling: this.scaling,
      loss: s[0],
      A: { shape: [r, dIn], data: a },
      B: { shape: [dOut, r], data: b },
      deltaW: { shape: [dOut, dIn], data: dw },
      deltaWNorm: s[1],
      outputChange: s[2],
      baseOutputRms: s[3],
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([this.x, this.y, this.baseOut, this.loraA, this.loraB]);
    this.optimizer.dispose();
  }
}

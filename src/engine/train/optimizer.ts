/**
 * Adam and AdamW (PyTorch's formulas, with bias correction), written out so that the state is
 * visible and countable: two float32 moments per trained parameter.
 *
 *   m ← β₁m + (1−β₁)g     v ← β₂v + (1−β₂)g²
 *   θ ← θ − lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)
 *   Adam:  g ← g + λθ first (L2).   AdamW: θ ← θ(1 − lr·λ) first (decoupled decay).
 */
import { tf } from '../tf';

export interface AdamOptions {
  kind: 'adam' | 'adamw';
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** λ. Default 0 for Adam, 0.01 for AdamW (PyTorch's defaults). */
  weightDecay?: number;
}

export class Adam {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private t = 0;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;

  constructor(
    private readonly params: tf.Variable[],
    readonly options: AdamOptions,
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? (options.kind === 'adamw' ? 0.01 : 0);
    // tidy frees the zeros a variable is made from (the variable keeps its own reference).
    this.m = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    this.v = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
  }

  /** Completed updates (t in the bias correction). */
  get steps(): number {
    return this.t;
  }

  /** Bytes of optimizer state: 2 moments × 4 bytes per trained parameter. */
  stateBytes(): number {
    return this.params.reduce((n, p) => n + 2 * 4 * p.size, 0);
  }

  /**
   * New values for every parameter and moment; nothing is assigned. Call inside tf.tidy.
   * `t` is the 1-based step the values are for.
   */
  proposal(grads: tf.Tensor[], lr: number, t: number): { params: tf.Tensor[]; m: tf.Tensor[]; v: tf.Tensor[] } {
    const { beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd } = this;
    const stepSize = lr / (1 - b1 ** t);
    const sqrtBc2 = Math.sqrt(1 - b2 ** t);
    const out = { params: [] as tf.Tensor[], m: [] as tf.Tensor[], v: [] as tf.Tensor[] };
    this.params.forEach((p, i) => {
      let g = grads[i];
      let theta: tf.Tensor = p;
      if (wd !== 0 && this.options.kind === 'adam') g = tf.add(g, tf.mul(p, wd));
      if (wd !== 0 && this.options.kind === 'adamw') theta = tf.mul(p, 1 - lr * wd);
      const m = tf.add(tf.mul(this.m[i], b1), tf.mul(g, 1 - b1));
      const v = tf.add(tf.mul(this.v[i], b2), tf.mul(tf.square(g), 1 - b2));
      const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), eps);
      out.params.push(tf.sub(theta, tf.mul(tf.div(m, denom), stepSize)));
      out.m.push(m);
      out.v.push(v);
    });
    return out;
  }

  /** Assign a proposal (optionally only where `ok`, a scalar bool: otherwise keep the old values). */
  commit(next: { params: tf.Tensor[]; m: tf.Tensor[]; v: tf.Tensor[] }, ok?: tf.Scalar): void {
    const pick = (fresh: tf.Tensor, old: tf.Tensor) => (ok ? tf.where(ok, fresh, old) : fresh);
    this.params.forEach((p, i) => {
      p.assign(pick(next.params[i], p));
      this.m[i].assign(pick(next.m[i], this.m[i]));
      this.v[i].assign(pick(next.v[i], this.v[i]));
    });
  }

  /** Count a step as taken (the caller knows whether the commit was kept). */
  advance(): void {
    this.t += 1;
  }

  dispose(): void {
    this.m.forEach((t) => t.dispose());
    this.v.forEach((t) => t.dispose());
  }
}

/**
 * Adam and AdamW (PyTorch's formulas, with bias correction), written out so that the state is
 * visible and countable: two float32 moments per trained parameter.
 *
 *   m ← β₁m + (1−β₁)g     v ← β₂v + (1−β₂)g²
 *   θ ← θ − lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)
 *   Adam:  g ← g + λθ first (L2).   AdamW: θ ← θ(1 − lr·λ) first (decoupled decay).
 *
 * Packed (the default for up to PACK_LIMIT parameters): the moments live in one flat buffer and
 * one update runs over every parameter at once (concat, ~14 elementwise ops, split), instead of
 * ~14 ops per parameter tensor. Same values bit for bit; a LoRA step on 24 factors went from
 * ~340 optimizer dispatches to ~45 on webgpu (bench: the step breakdown).
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
  /** One flat update over all parameters. Default: when they hold ≤ PACK_LIMIT numbers. */
  packed?: boolean;
}

/** Up to this many parameters (32 MiB of float32) the update runs packed by default. */
export const PACK_LIMIT = 2 ** 23;

/** All tensors flattened end to end: [Σ size]. Call inside tf.tidy. */
export function packTensors(xs: tf.Tensor[]): tf.Tensor1D {
  const flat = xs.map((x) => tf.reshape(x, [-1]));
  return (flat.length === 1 ? flat[0] : tf.concat(flat)) as tf.Tensor1D;
}

/** The inverse of packTensors: one tensor per entry of `like`, in its shape. Call inside tf.tidy. */
export function unpackTensor(flat: tf.Tensor, like: tf.Tensor[]): tf.Tensor[] {
  const parts =
    like.length === 1
      ? [flat]
      : tf.split(
          flat,
          like.map((t) => t.size),
        );
  return parts.map((p, i) => tf.reshape(p, like[i].shape));
}

export class Adam {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private t = 0;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** True when the moments are one flat buffer (m[0], v[0]) and updates run packed. */
  readonly packed: boolean;

  constructor(
    private readonly params: tf.Variable[],
    readonly options: AdamOptions,
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? (options.kind === 'adamw' ? 0.01 : 0);
    const total = params.reduce((n, p) => n + p.size, 0);
    this.packed = options.packed ?? (params.length > 1 && total <= PACK_LIMIT);
    // tidy frees the zeros a variable is made from (the variable keeps its own reference).
    const zeros = (shape: number[]) => tf.tidy(() => tf.variable(tf.zeros(shape), false));
    this.m = this.packed ? [zeros([total])] : params.map((p) => zeros(p.shape));
    this.v = this.packed ? [zeros([total])] : params.map((p) => zeros(p.shape));
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
   * `t` is the 1-based step the values are for. `grads`: one per parameter, or (packed) the
   * packTensors() of them.
   */
  proposal(grads: tf.Tensor[], lr: number, t: number): { params: tf.Tensor[]; m: tf.Tensor[]; v: tf.Tensor[] } {
    if (this.packed) {
      const next = this.update(packTensors(this.params), packTensors(grads), this.m[0], this.v[0], lr, t);
      return { params: unpackTensor(next.theta, this.params), m: [next.m], v: [next.v] };
    }
    const out = { params: [] as tf.Tensor[], m: [] as tf.Tensor[], v: [] as tf.Tensor[] };
    this.params.forEach((p, i) => {
      const next = this.update(p, grads[i], this.m[i], this.v[i], lr, t);
      out.params.push(next.theta);
      out.m.push(next.m);
      out.v.push(next.v);
    });
    return out;
  }

  /** One Adam/AdamW update of θ with gradient g and moments m, v (any shape, all the same). */
  private update(p: tf.Tensor, grad: tf.Tensor, m0: tf.Tensor, v0: tf.Tensor, lr: number, t: number) {
    const { beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd } = this;
    const stepSize = lr / (1 - b1 ** t);
    const sqrtBc2 = Math.sqrt(1 - b2 ** t);
    let g = grad;
    let theta: tf.Tensor = p;
    if (wd !== 0 && this.options.kind === 'adam') g = tf.add(g, tf.mul(p, wd));
    if (wd !== 0 && this.options.kind === 'adamw') theta = tf.mul(p, 1 - lr * wd);
    const m = tf.add(tf.mul(m0, b1), tf.mul(g, 1 - b1));
    const v = tf.add(tf.mul(v0, b2), tf.mul(tf.square(g), 1 - b2));
    const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), eps);
    return { theta: tf.sub(theta, tf.mul(tf.div(m, denom), stepSize)), m, v };
  }

  /** Assign a proposal (optionally only where `ok`, a scalar bool: otherwise keep the old values). */
  commit(next: { params: tf.Tensor[]; m: tf.Tensor[]; v: tf.Tensor[] }, ok?: tf.Scalar): void {
    const pick = (fresh: tf.Tensor, old: tf.Tensor) => (ok ? tf.where(ok, fresh, old) : fresh);
    this.params.forEach((p, i) => p.assign(pick(next.params[i], p)));
    this.m.forEach((m, i) => m.assign(pick(next.m[i], m)));
    this.v.forEach((v, i) => v.assign(pick(next.v[i], v)));
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

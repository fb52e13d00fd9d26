/**
 * A small MLP classifier for the 2-D lab: dense layers `layers.0`, `layers.1`, … (nn.Linear
 * names and layout: weight [d_out, d_in], bias [d_out]), tanh or relu between them, softmax
 * cross-entropy on the last. LoRA attaches through the same AdapterSet as GPT-2
 * (fan_in_fan_out = false). Internally each weight is kept transposed, [d_in, d_out], so the
 * forward is a plain x·W; exports restore nn.Linear layout.
 */
import { tf } from '../tf';
import { Rng, kaimingUniformBound } from '../rng';
import { UserFacingError, type TensorMap } from '../types';
import { formatPeftLine } from '../peftLine';
import { AdapterSet, type LinearContext, type TrainableParameters } from '../lora/adapterSet';
import { transposeHost } from '../lora/hostMath';
import { ParamStore } from '../lora/paramStore';
import { oneHotF32 } from '../gpt2/model';

export interface MlpConfig {
  /** Layer widths from input to classes, e.g. [2, 16, 16, 2]. */
  sizes: number[];
  /** Nonlinearity between layers (none after the last). */
  activation: 'tanh' | 'relu';
}

/** Labelled points: x [n, d_in] row-major, y [n] class ids. */
export interface PointBatch {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

function checkConfig(c: MlpConfig): void {
  if (c.sizes.length < 2 || c.sizes.some((s) => !Number.isInteger(s) || s <= 0)) {
    throw new UserFacingError(`MLP sizes must be at least two positive integers, got [${c.sizes.join(', ')}]`);
  }
  if (c.activation !== 'tanh' && c.activation !== 'relu')
    throw new UserFacingError(`unknown activation "${String(c.activation)}"`);
}

/** Layer i: nn.Linear(sizes[i], sizes[i+1]). */
function layers(c: MlpConfig) {
  return c.sizes.slice(0, -1).map((dIn, i) => ({ name: `layers.${i}`, dIn, dOut: c.sizes[i + 1] }));
}

export class MlpModel {
  readonly adapters: AdapterSet;

  private constructor(
    readonly config: MlpConfig,
    private readonly store: ParamStore,
  ) {
    const modules = layers(config).map((l) => ({ ...l, weightKey: `${l.name}.weight`, biasKey: `${l.name}.bias` }));
    this.adapters = new AdapterSet(modules, store, false);
  }

  /** PyTorch nn.Linear's default init, seeded: weight and bias ~ U(±1/√d_in). */
  static random(config: MlpConfig, seed = 0): MlpModel {
    checkConfig(config);
    const rng = new Rng(seed);
    const w: TensorMap = new Map();
    for (const l of layers(config)) {
      const bound = kaimingUniformBound(l.dIn);
      w.set(`${l.name}.weight`, { shape: [l.dOut, l.dIn], data: rng.uniformArray(l.dOut * l.dIn, bound) });
      w.set(`${l.name}.bias`, { shape: [l.dOut], data: rng.uniformArray(l.dOut, bound) });
    }
    return MlpModel.fromWeights(config, w);
  }

  /** From nn.Linear-layout weights (weight [d_out, d_in]); shapes checked by name. */
  static fromWeights(config: MlpConfig, weights: TensorMap): MlpModel {
    checkConfig(config);
    const compute: TensorMap = new Map();
    for (const l of layers(config)) {
      const W = weights.get(`${l.name}.weight`);
      const b = weights.get(`${l.name}.bias`);
      if (!W || W.shape.join() !== `${l.dOut},${l.dIn}`) {
        throw new UserFacingError(
          `${l.name}.weight must have shape [${l.dOut}, ${l.dIn}], got ${W ? `[${W.shape.join(', ')}]` : 'nothing'}`,
        );
      }
      if (!b || b.shape.join() !== `${l.dOut}`) throw new UserFacingError(`${l.name}.bias must have shape [${l.dOut}]`);
      compute.set(`${l.name}.weight`, { shape: [l.dIn, l.dOut], data: transposeHost(W.data, l.dOut, l.dIn) });
      compute.set(`${l.name}.bias`, { shape: [l.dOut], data: b.data });
    }
    return new MlpModel(config, ParamStore.fromHost(compute, false));
  }

  /** A copy with every weight a trainable variable (full training); the source stays untouched. */
  cloneTrainable(): MlpModel {
    return new MlpModel(this.config, this.store.clone(true));
  }

  baseVariables(): { name: string; variable: tf.Variable }[] {
    return this.store.trainable
      ? this.store.keys().map((name) => ({ name, variable: this.store.get(name) as tf.Variable }))
      : [];
  }

  baseParamCount(): number {
    return this.store.count();
  }

  trainableParameters(): TrainableParameters {
    const n = this.baseParamCount();
    if (this.store.trainable) return { trainable: n, all: n, line: formatPeftLine(n, n) };
    return this.adapters.trainableParameters(n);
  }

  /** Logits [N, K] for points [N, d_in]. Call inside tf.tidy. */
  logitsTensor(x: tf.Tensor2D, opts: LinearContext = {}): tf.Tensor2D {
    const ls = layers(this.config);
    let h = x;
    ls.forEach((l, i) => {
      h = this.adapters.linear(l.name, h, opts); // [N, d_out]
      if (i < ls.length - 1) h = this.config.activation === 'tanh' ? tf.tanh(h) : tf.relu(h);
    });
    return h;
  }

  /** Mean softmax cross-entropy. Call inside tf.tidy. */
  lossTensor(b: PointBatch, opts: LinearContext = {}): tf.Scalar {
    const K = this.config.sizes[this.config.sizes.length - 1];
    const logits = this.logitsTensor(tf.tensor2d(b.x, [b.n, this.config.sizes[0]]), opts); // [N, K]
    const lse = tf.logSumExp(logits, 1, true); // [N, 1]
    return tf.mean(tf.neg(tf.sum(tf.mul(tf.sub(logits, lse), oneHotF32(tf.tensor1d(b.y, 'int32'), K)), 1)));
  }

  /** Class probabilities [n, K] for points x [n, d_in] (e.g. a decision-boundary grid). */
  async predict(x: Float32Array, n: number, opts: LinearContext = {}): Promise<Float32Array> {
    if (x.length !== n * this.config.sizes[0])
      throw new UserFacingError(`expected ${n}×${this.config.sizes[0]} inputs, got ${x.length} values`);
    const p = tf.tidy(() =>
      tf.softmax(this.logitsTensor(tf.tensor2d(x, [n, this.config.sizes[0]]), { ...opts, training: false })),
    );
    const out = new Float32Array((await p.data()) as Float32Array);
    p.dispose();
    return out;
  }

  async loss(b: PointBatch, opts: LinearContext = {}): Promise<number> {
    this.checkBatch(b);
    const l = tf.tidy(() => this.lossTensor(b, { ...opts, training: false }));
    const v = (await l.data())[0];
    l.dispose();
    return v;
  }

  /** Fraction of points whose most probable class is the label. */
  async accuracy(b: PointBatch, opts: LinearContext = {}): Promise<number> {
    const K = this.config.sizes[this.config.sizes.length - 1];
    const p = await this.predict(b.x, b.n, opts);
    let hit = 0;
    for (let i = 0; i < b.n; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (p[i * K + k] > p[i * K + best]) best = k;
      if (best === b.y[i]) hit++;
    }
    return hit / b.n;
  }

  checkBatch(b: PointBatch): void {
    const K = this.config.sizes[this.config.sizes.length - 1];
    if (!Number.isInteger(b.n) || b.n <= 0) throw new UserFacingError(`a batch needs at least one point, got ${b.n}`);
    if (b.x.length !== b.n * this.config.sizes[0])
      throw new UserFacingError(`x has ${b.x.length} values, expected ${b.n}×${this.config.sizes[0]}`);
    if (b.y.length !== b.n) throw new UserFacingError(`y has ${b.y.length} labels, expected ${b.n}`);
    for (let i = 0; i < b.n; i++)
      if (b.y[i] < 0 || b.y[i] >= K) throw new UserFacingError(`label y[${i}] = ${b.y[i]} is not a class in [0, ${K})`);
  }

  /** Weights in nn.Linear layout ([d_out, d_in]), merged adapters included. */
  async exportWeights(): Promise<TensorMap> {
    const host = await this.store.toHost();
    for (const l of layers(this.config)) {
      const W = host.get(`${l.name}.weight`)!;
      host.set(`${l.name}.weight`, { shape: [l.dOut, l.dIn], data: transposeHost(W.data, l.dIn, l.dOut) });
    }
    return host;
  }

  dispose(): void {
    this.adapters.dispose();
    this.store.dispose();
  }
}

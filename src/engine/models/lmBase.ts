/**
 * What every family's model shares: the weights in a ParamStore, named adapters on its linear
 * layers, the causal mask cache, the loss, plain-data logits, batch checks, parameter counts.
 * A family supplies the forward pass, its HF layouts and its sizes.
 */
import { tf } from '../tf';
import { UserFacingError, type HostTensor, type TensorMap } from '../types';
import { AdapterSet, type LinearContext, type LinearModule, type TrainableParameters } from '../lora/adapterSet';
import type { ParamStore } from '../lora/paramStore';
import { matMulPlain } from '../lora/matMul';
import { formatPeftLine } from '../peftLine';
import type { TokenBatch } from '../types';
import type { CausalLm, FamilyName, ForwardOptions, ModelDims } from './causalLm';
import { crossEntropy, headCrossEntropy, lossWeights } from './crossEntropy';
import { recomputed } from './recompute';
import { leanWeights, recomputesLayers } from './memoryEstimate';
import { frozenLinearT } from '../lora/frozenMatMul';

export abstract class CausalLmBase implements CausalLm {
  readonly adapters: AdapterSet;
  /**
   * Activation checkpointing: recompute each layer in the backward so a step keeps one layer's
   * activations instead of all of them. "auto": when `recomputesLayers` says so (large steps).
   */
  recomputeLayers: boolean | 'auto' = 'auto';
  /** Frozen products keep no packed weight copies on wasm. "auto": `leanWeights` (big models). */
  leanFrozenWeights: boolean | 'auto' = 'auto';
  private paramCountCache: number | undefined;
  private readonly masks = new Map<number, tf.Tensor2D>();

  protected constructor(
    protected readonly store: ParamStore,
    modules: readonly LinearModule[],
    fanInFanOut: boolean,
  ) {
    this.adapters = new AdapterSet(modules, store, fanInFanOut);
  }

  abstract readonly family: FamilyName;
  abstract readonly dims: ModelDims;
  /** Final hidden states [B·T, C] (after the last norm) for ids [B, T]. Call inside tf.tidy. */
  protected abstract hiddenTensor(ids: tf.Tensor2D, opts: ForwardOptions): tf.Tensor2D;
  /** The LM head [V, C] as stored: the tied embedding or lm_head.weight. */
  protected abstract headWeight(): tf.Tensor2D;
  abstract exportWeights(): Promise<TensorMap>;
  abstract weight(name: string): Promise<HostTensor>;
  abstract cloneTrainable(): CausalLm;
  abstract baseParamCount(): number;

  get vocabSize(): number {
    return this.dims.vocabSize;
  }

  get nPositions(): number {
    return this.dims.nPositions;
  }

  get trainableBase(): boolean {
    return this.store.trainable;
  }

  baseVariables(): { name: string; variable: tf.Variable }[] {
    return this.store.trainable
      ? this.store.keys().map((name) => ({ name, variable: this.store.get(name) as tf.Variable }))
      : [];
  }

  trainableParameters(): TrainableParameters {
    if (this.store.trainable) {
      const n = this.baseParamCount();
      return { trainable: n, all: n, line: formatPeftLine(n, n) };
    }
    return this.adapters.trainableParameters(this.baseParamCount());
  }

  protected p(name: string): tf.Tensor {
    return this.store.get(name);
  }

  /**
   * [g·T, T] additive mask: row r·T + i is 0 for keys j ≤ i and −1e9 after (g stacked copies of
   * the causal [T, T] mask, for g query heads sharing one key/value head). Kept per (g, T).
   */
  protected causalMask(T: number, groups = 1): tf.Tensor2D {
    const key = groups * 1_000_000 + T;
    let m = this.masks.get(key);
    if (!m) {
      const data = new Float32Array(groups * T * T);
      // −1e9 rather than −∞: exp underflows to exactly 0 and no NaN can arise from ∞−∞.
      for (let r = 0; r < groups; r++)
        for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) data[(r * T + i) * T + j] = -1e9;
      m = tf.keep(tf.tensor2d(data, [groups * T, T]));
      this.masks.set(key, m);
    }
    return m;
  }

  /**
   * One layer, x [N, C] → [N, C], recomputed in the backward when `recomputeLayers` says so.
   * @param prefix the layer's parameter prefix ("model.layers.3"): its trained variables get gradients
   * @param T sequence length (x holds B·T rows)
   */
  protected layer(
    prefix: string,
    x: tf.Tensor2D,
    T: number,
    opts: ForwardOptions,
    body: (x: tf.Tensor2D, ctx: LinearContext) => tf.Tensor2D,
  ): tf.Tensor2D {
    this.paramCountCache ??= this.baseParamCount();
    const shape = { ...this.dims, batch: x.shape[0] / T, seq: T, paramCount: this.paramCountCache };
    const on = this.recomputeLayers === 'auto' ? recomputesLayers(shape) : this.recomputeLayers;
    const lean = this.leanFrozenWeights === 'auto' ? leanWeights(this.paramCountCache) : this.leanFrozenWeights;
    const ctx: LinearContext = { ...opts, leanWeights: lean };
    if (!on) return body(x, ctx);
    return recomputed(x, this.layerVariables(`${prefix}.`, opts), opts.nextSeed, (xi, nextSeed) =>
      body(xi, { ...ctx, nextSeed }),
    );
  }

  /** The trained variables a layer reads: its weights (full mode) or the active adapter's factors there. */
  private layerVariables(prefix: string, opts: ForwardOptions): tf.Variable[] {
    if (this.store.trainable)
      return this.store
        .keys()
        .filter((n) => n.startsWith(prefix))
        .map((n) => this.store.get(n) as tf.Variable);
    const a = opts.adapter ?? this.adapters.active;
    if (a === null || opts.useAdapter === false || this.adapters.isMerged(a)) return [];
    return this.adapters
      .variables(a)
      .filter((v) => v.name.startsWith(prefix))
      .map((v) => v.variable);
  }

  /**
   * Token embeddings [N, C] from a table [V, C]. Frozen: a gather. Full mode: a one-hot matmul,
   * whose gradient works on every backend (tfjs-wasm has no gradient for gather).
   */
  protected embed(flat: tf.Tensor1D, table: tf.Tensor2D): tf.Tensor2D {
    return this.store.trainable ? matMulPlain(oneHotF32(flat, table.shape[0]), table, 'b') : tf.gather(table, flat);
  }

  /** Logits [B, T, V]. Frozen: x·Wᵀ with W read in place; full: through a transpose so W gets its gradient. */
  forwardTensor(ids: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor3D {
    const [B, T] = ids.shape;
    this.checkLength(T);
    const h = this.hiddenTensor(ids, opts); // [N, C]
    const W = this.headWeight(); // [V, C]
    const logits = this.store.trainable ? matMulPlain(h, tf.transpose(W)) : frozenLinearT(h, W); // [N, V]
    return tf.reshape(logits, [B, T, this.vocabSize]);
  }

  /** Frozen head: the cross-entropy walks the vocabulary in blocks and never holds [N, V]. */
  lossTensor(batch: TokenBatch, opts: ForwardOptions = {}): tf.Scalar {
    const { batch: B, seq: T } = batch;
    const ids = tf.tensor2d(batch.input, [B, T], 'int32');
    const weights = lossWeights(B * T, batch.mask);
    if (!this.store.trainable) {
      this.checkLength(T);
      return headCrossEntropy(this.hiddenTensor(ids, opts), this.headWeight(), batch.target, weights);
    }
    const logits = this.forwardTensor(ids, opts); // [B, T, V]
    return crossEntropy(tf.reshape(logits, [B * T, this.vocabSize]), batch.target, weights);
  }

  async logits(ids: Int32Array, B: number, T: number, opts: ForwardOptions = {}): Promise<HostTensor> {
    this.checkIds(ids, B * T, 'ids');
    const out = tf.tidy(() => this.forwardTensor(tf.tensor2d(ids, [B, T], 'int32'), opts));
    const data = new Float32Array((await out.data()) as Float32Array);
    out.dispose();
    return { shape: [B, T, this.vocabSize], data };
  }

  async loss(batch: TokenBatch, opts: ForwardOptions = {}): Promise<number> {
    this.checkBatch(batch);
    const out = tf.tidy(() => this.lossTensor(batch, { ...opts, training: false }));
    const v = (await out.data())[0];
    out.dispose();
    return v;
  }

  checkBatch(b: TokenBatch): void {
    const n = b.batch * b.seq;
    if (!Number.isInteger(b.batch) || !Number.isInteger(b.seq) || b.batch <= 0 || b.seq <= 0) {
      throw new UserFacingError(`batch and seq must be positive integers, got ${b.batch} × ${b.seq}`);
    }
    if (b.seq > this.nPositions)
      throw new UserFacingError(`seq ${b.seq} exceeds the model's ${this.positionsName} ${this.nPositions}`);
    this.checkIds(b.input, n, 'input');
    this.checkIds(b.target, n, 'target');
    if (b.mask) {
      if (b.mask.length !== n) throw new UserFacingError(`mask has ${b.mask.length} values, batch·seq is ${n}`);
      if (!b.mask.some((v) => v !== 0))
        throw new UserFacingError('mask selects no position: nothing to compute a loss on');
    }
  }

  /** The config.json key of the context length, for messages. */
  protected abstract readonly positionsName: string;

  protected checkLength(T: number): void {
    if (T > this.nPositions)
      throw new UserFacingError(`sequence length ${T} exceeds ${this.positionsName} ${this.nPositions}`);
  }

  private checkIds(ids: Int32Array, n: number, what: string): void {
    if (ids.length !== n) throw new UserFacingError(`${what} has ${ids.length} ids, expected ${n}`);
    const V = this.vocabSize;
    for (let i = 0; i < n; i++) {
      if (ids[i] < 0 || ids[i] >= V)
        throw new UserFacingError(`${what}[${i}] = ${ids[i]} is outside the vocabulary [0, ${V})`);
    }
  }

  /** Frees every tensor the model owns (weights, adapters, cached constants). */
  dispose(): void {
    this.adapters.dispose();
    this.store.dispose();
    for (const m of this.masks.values()) m.dispose();
    this.masks.clear();
  }
}

/**
 * One-hot rows as float32. tfjs-wasm 4.22's OneHot ignores a float32 dtype and writes int32
 * bits (1 reads as 1.4e-45), so build int32 and cast.
 */
export function oneHotF32(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, depth), 'float32') as tf.Tensor2D;
}

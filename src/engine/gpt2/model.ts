/**
 * GPT-2 (Hugging Face GPT2LMHeadModel architecture) in tfjs, with HF parameter names and
 * layouts, named LoRA adapters on its Conv1D layers, and a tied LM head.
 *
 * Shapes: B batch, T sequence, C = n_embd, H heads, D = C/H, V vocab, N = B·T.
 * Public methods hand out plain data; `forwardTensor`/`lossTensor` return live tensors for
 * engine code that runs them inside tf.tidy / tf.variableGrads.
 */
import { tf } from '../tf';
import { UserFacingError, type HostTensor, type TensorMap, type TokenBatch } from '../types';
import { AdapterSet, type LinearContext, type TrainableParameters } from '../lora/adapterSet';
import { ParamStore } from '../lora/paramStore';
import { matMulPlain } from '../lora/matMul';
import { formatPeftLine } from '../peftLine';
import type { Gpt2Config } from './config';
import { gpt2Linears, gpt2ParamCount, initGpt2Weights, normalizeGpt2Weights } from './params';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Options of one forward pass. */
export interface ForwardOptions {
  /** false: base weights only (the active adapter's branch is skipped). Default true. */
  useAdapter?: boolean;
  /** The adapter to apply (default: the active one). */
  adapter?: string;
  /** Training enables LoRA dropout. */
  training?: boolean;
  /** Seeds for dropout masks, one per call. */
  nextSeed?: () => number;
}

export class Gpt2Model {
  /** Named LoRA adapters on the Conv1D layers (fan_in_fan_out = true). */
  readonly adapters: AdapterSet;
  private readonly masks = new Map<number, tf.Tensor2D>();
  private wteT: tf.Tensor2D | null = null;

  private constructor(
    readonly config: Gpt2Config,
    private readonly store: ParamStore,
  ) {
    const modules = gpt2Linears(config).map((l) => ({
      ...l,
      weightKey: `${l.name}.weight`,
      biasKey: `${l.name}.bias`,
    }));
    this.adapters = new AdapterSet(modules, store, true);
  }

  /** Seeded random weights (transformers' init). */
  static random(config: Gpt2Config, seed = 0): Gpt2Model {
    return new Gpt2Model(config, ParamStore.fromHost(initGpt2Weights(config, seed), false));
  }

  /** From HF-named weights (shapes checked against config; the `transformer.` prefix optional). */
  static fromWeights(config: Gpt2Config, weights: TensorMap): Gpt2Model {
    return new Gpt2Model(config, ParamStore.fromHost(normalizeGpt2Weights(config, weights), false));
  }

  /**
   * A copy whose every weight is a trainable variable (full fine-tuning). Adapters are not
   * copied; merged ones are part of the copied weights. The source stays untouched.
   */
  cloneTrainable(): Gpt2Model {
    return new Gpt2Model(this.config, this.store.clone(true));
  }

  /** True when the base weights are variables (full fine-tuning). */
  get trainableBase(): boolean {
    return this.store.trainable;
  }

  /** The base weights as variables (full mode), in HF order; empty for a frozen model. */
  baseVariables(): { name: string; variable: tf.Variable }[] {
    return this.store.trainable
      ? this.store.keys().map((name) => ({ name, variable: this.store.get(name) as tf.Variable }))
      : [];
  }

  /** Base parameters (tied head once). */
  baseParamCount(): number {
    return gpt2ParamCount(this.config);
  }

  /** PEFT's numbers: LoRA → the active adapter is trainable; full → everything is. */
  trainableParameters(): TrainableParameters {
    if (this.store.trainable) {
      const n = this.baseParamCount();
      return { trainable: n, all: n, line: formatPeftLine(n, n) };
    }
    return this.adapters.trainableParameters(this.baseParamCount());
  }

  /** All base weights in HF order and layout (Conv1D [d_in, d_out]), merged adapters included. */
  exportWeights(): Promise<TensorMap> {
    return this.store.toHost();
  }

  /** One base weight by HF name. */
  async weight(name: string): Promise<HostTensor> {
    const t = this.store.get(name);
    return { shape: [...t.shape], data: new Float32Array((await t.data()) as Float32Array) };
  }

  private causalMask(T: number): tf.Tensor2D {
    let m = this.masks.get(T);
    if (!m) {
      const data = new Float32Array(T * T);
      // −1e9 rather than −∞: exp underflows to exactly 0 and no NaN can arise from ∞−∞.
      for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) data[i * T + j] = -1e9;
      m = tf.keep(tf.tensor2d(data, [T, T]));
      this.masks.set(T, m);
    }
    return m;
  }

  /** wteᵀ [C, V] for the tied head: materialised once when frozen (wasm's transposed matmul is slow). */
  private headKernel(): tf.Tensor2D {
    const wte = this.store.get('transformer.wte.weight') as tf.Tensor2D;
    if (this.store.trainable) return tf.transpose(wte); // in the graph, so wte gets the head's gradient
    if (!this.wteT) this.wteT = tf.keep(tf.transpose(wte));
    return this.wteT;
  }

  private p(name: string): tf.Tensor {
    return this.store.get(name);
  }

  private layerNorm(x: tf.Tensor2D, prefix: string): tf.Tensor2D {
    const mean = tf.mean(x, -1, true); // [N, 1]
    const xc = tf.sub(x, mean); // [N, C]
    const variance = tf.mean(tf.square(xc), -1, true); // [N, 1]
    const xn = tf.mul(xc, tf.rsqrt(tf.add(variance, this.config.layer_norm_epsilon))); // [N, C]
    return tf.add(tf.mul(xn, this.p(`${prefix}.weight`)), this.p(`${prefix}.bias`));
  }

  /**
   * Logits for ids [B, T] (int32) → [B, T, V]. Call inside tf.tidy.
   * Full mode embeds by one-hot matmul: its gradient works on every backend (tfjs-wasm has no
   * gradient for gather); frozen mode gathers.
   */
  forwardTensor(ids: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor3D {
    const [B, T] = ids.shape;
    const { n_embd: C, n_head: H, vocab_size: V, n_positions } = this.config;
    if (T > n_positions) throw new UserFacingError(`sequence length ${T} exceeds n_positions ${n_positions}`);
    const D = C / H;
    const N = B * T;
    const ctx: LinearContext = opts;
    const flat = tf.reshape(ids, [N]) as tf.Tensor1D; // [N]
    const wte = this.p('transformer.wte.weight') as tf.Tensor2D; // [V, C]
    const tok = this.store.trainable ? matMulPlain(oneHotF32(flat, V), wte, 'b') : tf.gather(wte, flat); // [N, C]
    const pos = tf.slice(this.p('transformer.wpe.weight'), [0, 0], [T, C]); // [T, C]
    let x = tf.reshape(tf.add(tf.reshape(tok, [B, T, C]), pos), [N, C]) as tf.Tensor2D; // [N, C]
    const mask = this.causalMask(T); // [T, T]
    const lin = (name: string, h: tf.Tensor2D) => this.adapters.linear(name, h, ctx);
    for (let i = 0; i < this.config.n_layer; i++) {
      const h = `transformer.h.${i}`;
      const qkv = lin(`${h}.attn.c_attn`, this.layerNorm(x, `${h}.ln_1`)); // [N, 3C]
      const [q, k, v] = tf.split(qkv, 3, 1); // 3 × [N, C]
      const heads = (t: tf.Tensor, perm: number[]) => tf.transpose(tf.reshape(t, [B, T, H, D]), perm);
      const qh = heads(q, [0, 2, 1, 3]); // [B, H, T, D]
      const kT = heads(k, [0, 2, 3, 1]); // [B, H, D, T], pre-transposed for a plain matmul
      const vh = heads(v, [0, 2, 1, 3]); // [B, H, T, D]
      const scores = tf.add(tf.mul(matMulPlain(qh, kT), 1 / Math.sqrt(D)), mask); // [B, H, T, T]
      const att = matMulPlain(tf.softmax(scores), vh); // [B, H, T, D]
      const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [N, C]) as tf.Tensor2D; // [N, C]
      x = tf.add(x, lin(`${h}.attn.c_proj`, merged));
      const u = lin(`${h}.mlp.c_fc`, this.layerNorm(x, `${h}.ln_2`)); // [N, n_inner]
      x = tf.add(x, lin(`${h}.mlp.c_proj`, geluNew(u)));
    }
    const hf = this.layerNorm(x, 'transformer.ln_f'); // [N, C]
    const wteNow = this.p('transformer.wte.weight');
    const logits = this.store.trainable
      ? matMulPlain(hf, this.headKernel()) // [N, V]; wte gets the head's gradient through the transpose
      : matMulPlain(hf, this.headKernel(), 'a', wteNow); // [N, V]; dx = dy·wte, already in plain layout
    return tf.reshape(logits, [B, T, V]); // [B, T, V]
  }

  /** Mean token cross-entropy (nats) over positions with mask 1. Call inside tf.tidy. */
  lossTensor(batch: TokenBatch, opts: ForwardOptions = {}): tf.Scalar {
    const { batch: B, seq: T } = batch;
    const V = this.config.vocab_size;
    const logits = tf.reshape(this.forwardTensor(tf.tensor2d(batch.input, [B, T], 'int32'), opts), [B * T, V]); // [N, V]
    const logp = tf.logSoftmax(logits); // [N, V]
    const onehot = oneHotF32(tf.tensor1d(batch.target, 'int32'), V); // [N, V]
    const nll = tf.neg(tf.sum(tf.mul(logp, onehot), 1)); // [N]
    if (!batch.mask) return tf.mean(nll);
    const m = tf.tensor1d(batch.mask, 'float32');
    return tf.div(tf.sum(tf.mul(nll, m)), tf.sum(m));
  }

  /** Logits as plain data: ids [B·T] → [B, T, V]. */
  async logits(ids: Int32Array, B: number, T: number, opts: ForwardOptions = {}): Promise<HostTensor> {
    this.checkIds(ids, B * T, 'ids');
    const out = tf.tidy(() => this.forwardTensor(tf.tensor2d(ids, [B, T], 'int32'), opts));
    const data = new Float32Array((await out.data()) as Float32Array);
    out.dispose();
    return { shape: [B, T, this.config.vocab_size], data };
  }

  /** Mean cross-entropy of a batch (no dropout, no update). */
  async loss(batch: TokenBatch, opts: ForwardOptions = {}): Promise<number> {
    this.checkBatch(batch);
    const out = tf.tidy(() => this.lossTensor(batch, { ...opts, training: false }));
    const v = (await out.data())[0];
    out.dispose();
    return v;
  }

  /** Throws a UserFacingError unless the batch fits this model (ids in range, shapes, mask). */
  checkBatch(b: TokenBatch): void {
    const n = b.batch * b.seq;
    if (!Number.isInteger(b.batch) || !Number.isInteger(b.seq) || b.batch <= 0 || b.seq <= 0) {
      throw new UserFacingError(`batch and seq must be positive integers, got ${b.batch} × ${b.seq}`);
    }
    if (b.seq > this.config.n_positions)
      throw new UserFacingError(`seq ${b.seq} exceeds the model's n_positions ${this.config.n_positions}`);
    this.checkIds(b.input, n, 'input');
    this.checkIds(b.target, n, 'target');
    if (b.mask) {
      if (b.mask.length !== n) throw new UserFacingError(`mask has ${b.mask.length} values, batch·seq is ${n}`);
      if (!b.mask.some((v) => v !== 0))
        throw new UserFacingError('mask selects no position: nothing to compute a loss on');
    }
  }

  private checkIds(ids: Int32Array, n: number, what: string): void {
    if (ids.length !== n) throw new UserFacingError(`${what} has ${ids.length} ids, expected ${n}`);
    const V = this.config.vocab_size;
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
    this.wteT?.dispose();
    this.wteT = null;
  }
}

/** GPT-2's tanh GELU: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function geluNew(x: tf.Tensor2D): tf.Tensor2D {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/**
 * One-hot rows as float32. tfjs-wasm 4.22's OneHot ignores a float32 dtype and writes int32
 * bits (1 reads as 1.4e-45), so build int32 and cast.
 */
export function oneHotF32(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, depth), 'float32') as tf.Tensor2D;
}

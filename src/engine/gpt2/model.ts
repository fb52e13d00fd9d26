/**
 * GPT-2 (Hugging Face GPT2LMHeadModel architecture) in tfjs, with HF parameter names and
 * layouts, named LoRA adapters on its Conv1D layers, and a tied LM head.
 *
 * Shapes: B batch, T sequence, C = n_embd, H heads, D = C/H, V vocab, N = B·T.
 * Public methods hand out plain data; `forwardTensor`/`lossTensor` return live tensors for
 * engine code that runs them inside tf.tidy / tf.variableGrads.
 */
import { tf } from '../tf';
import type { HostTensor, TensorMap } from '../types';
import { ParamStore } from '../lora/paramStore';
import { frozenLinearT } from '../lora/frozenMatMul';
import { matMulPlain } from '../lora/matMul';
import type { LinearContext } from '../lora/adapterSet';
import type { FamilyName, ForwardOptions, ModelDims } from '../models/causalLm';
import { CausalLmBase } from '../models/lmBase';
import type { Gpt2Config } from './config';
import { gpt2Linears, gpt2ParamCount, initGpt2Weights, normalizeGpt2Weights } from './params';

export type { ForwardOptions } from '../models/causalLm';
export { oneHotF32 } from '../models/lmBase';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export class Gpt2Model extends CausalLmBase {
  readonly family: FamilyName = 'gpt2';
  readonly dims: ModelDims;
  protected readonly positionsName = 'n_positions';

  private constructor(
    readonly config: Gpt2Config,
    store: ParamStore,
  ) {
    const modules = gpt2Linears(config).map((l) => ({
      ...l,
      weightKey: `${l.name}.weight`,
      biasKey: `${l.name}.bias`,
    }));
    super(store, modules, true);
    this.dims = {
      family: 'gpt2',
      layers: config.n_layer,
      hidden: config.n_embd,
      heads: config.n_head,
      kvHeads: config.n_head,
      headDim: config.n_embd / config.n_head,
      inner: config.n_inner,
      vocabSize: config.vocab_size,
      nPositions: config.n_positions,
      tiedHead: true,
    };
  }

  /** Seeded random weights (transformers' init). */
  static random(config: Gpt2Config, seed = 0): Gpt2Model {
    return new Gpt2Model(config, ParamStore.fromHost(initGpt2Weights(config, seed), false));
  }

  /** From HF-named weights (shapes checked against config; the `transformer.` prefix optional). */
  static fromWeights(config: Gpt2Config, weights: TensorMap): Gpt2Model {
    return new Gpt2Model(config, ParamStore.fromHost(normalizeGpt2Weights(config, weights), false));
  }

  /** From a store already on the device in HF names and layouts (the streaming loader's). */
  static fromStore(config: Gpt2Config, store: ParamStore): Gpt2Model {
    return new Gpt2Model(config, store);
  }

  /**
   * A copy whose every weight is a trainable variable (full fine-tuning). Adapters are not
   * copied; merged ones are part of the copied weights. The source stays untouched.
   */
  cloneTrainable(): Gpt2Model {
    return new Gpt2Model(this.config, this.store.clone(true));
  }

  /** Base parameters (tied head once). */
  baseParamCount(): number {
    return gpt2ParamCount(this.config);
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
    const { n_embd: C, n_head: H, vocab_size: V } = this.config;
    this.checkLength(T);
    const D = C / H;
    const N = B * T;
    const ctx: LinearContext = opts;
    const flat = tf.reshape(ids, [N]) as tf.Tensor1D; // [N]
    const wte = this.p('transformer.wte.weight') as tf.Tensor2D; // [V, C]
    const tok = this.embed(flat, wte); // [N, C]
    const pos = tf.slice(this.p('transformer.wpe.weight'), [0, 0], [T, C]); // [T, C]
    let x = tf.reshape(tf.add(tf.reshape(tok, [B, T, C]), pos), [N, C]) as tf.Tensor2D; // [N, C]
    const lin = (name: string, h: tf.Tensor2D) => this.adapters.linear(name, h, ctx);
    for (let i = 0; i < this.config.n_layer; i++) {
      const h = `transformer.h.${i}`;
      const qkv = lin(`${h}.attn.c_attn`, this.layerNorm(x, `${h}.ln_1`)); // [N, 3C]
      const [q, k, v] = tf.split(qkv, 3, 1); // 3 × [N, C]
      const heads = (t: tf.Tensor, perm: number[]) => tf.transpose(tf.reshape(t, [B, T, H, D]), perm) as tf.Tensor4D;
      // q, v [B, H, T, D]; k pre-transposed [B, H, D, T] for a plain matmul
      const att = this.attention(heads(q, [0, 2, 1, 3]), heads(k, [0, 2, 3, 1]), heads(v, [0, 2, 1, 3]), T);
      const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [N, C]) as tf.Tensor2D; // [N, C]
      x = tf.add(x, lin(`${h}.attn.c_proj`, merged));
      const u = lin(`${h}.mlp.c_fc`, this.layerNorm(x, `${h}.ln_2`)); // [N, n_inner]
      x = tf.add(x, lin(`${h}.mlp.c_proj`, geluNew(u)));
    }
    const hf = this.layerNorm(x, 'transformer.ln_f'); // [N, C]
    const logits = this.store.trainable
      ? matMulPlain(hf, tf.transpose(wte)) // [N, V]; wte gets the head's gradient through the transpose
      : frozenLinearT(hf, wte); // [N, V]; no transposed copy of wte is kept
    return tf.reshape(logits, [B, T, V]); // [B, T, V]
  }
}

/** GPT-2's tanh GELU: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function geluNew(x: tf.Tensor2D): tf.Tensor2D {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

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
import type { FamilyName, ForwardOptions, ModelDims } from '../models/causalLm';
import { CausalLmBase } from '../models/lmBase';
import { causalAttention, geluNew, layerNorm } from '../models/fusedOps';
import type { Gpt2Config } from './config';
import { gpt2Linears, gpt2ParamCount, initGpt2Weights, normalizeGpt2Weights } from './params';

export type { ForwardOptions } from '../models/causalLm';
export { oneHotF32 } from '../models/lmBase';
export { geluNew } from '../models/fusedOps';

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
    const m = new Gpt2Model(this.config, this.store.clone(true));
    m.recomputeLayers = this.recomputeLayers;
    return m;
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
    const w = this.p(`${prefix}.weight`) as tf.Tensor1D;
    return layerNorm(x, w, this.p(`${prefix}.bias`) as tf.Tensor1D, this.config.layer_norm_epsilon);
  }

  protected headWeight(): tf.Tensor2D {
    return this.p('transformer.wte.weight') as tf.Tensor2D; // tied
  }

  /** Final hidden states [N, C] for ids [B, T]. Call inside tf.tidy. */
  protected hiddenTensor(ids: tf.Tensor2D, opts: ForwardOptions): tf.Tensor2D {
    const [B, T] = ids.shape;
    const { n_embd: C, n_head: H } = this.config;
    const D = C / H;
    const N = B * T;
    const ctx: ForwardOptions = opts;
    const flat = tf.reshape(ids, [N]) as tf.Tensor1D; // [N]
    const wte = this.p('transformer.wte.weight') as tf.Tensor2D; // [V, C]
    const tok = this.embed(flat, wte); // [N, C]
    const pos = tf.slice(this.p('transformer.wpe.weight'), [0, 0], [T, C]); // [T, C]
    let x = tf.reshape(tf.add(tf.reshape(tok, [B, T, C]), pos), [N, C]) as tf.Tensor2D; // [N, C]
    for (let i = 0; i < this.config.n_layer; i++) {
      const h = `transformer.h.${i}`;
      x = this.layer(h, x, T, ctx, (x0, c) => {
        const lin = (name: string, t: tf.Tensor2D) => this.adapters.linear(name, t, c);
        const qkv = lin(`${h}.attn.c_attn`, this.layerNorm(x0, `${h}.ln_1`)); // [N, 3C]
        const heads = (t: tf.Tensor) => tf.reshape(t, [B, T, H, D]) as tf.Tensor4D;
        const [q, k, v] = tf.split(qkv, 3, 1).map(heads); // 3 × [B, T, H, D]
        const merged = causalAttention(q, k, v, this.causalMask(T)); // [N, C]
        const x1 = tf.add(x0, lin(`${h}.attn.c_proj`, merged)) as tf.Tensor2D;
        const u = lin(`${h}.mlp.c_fc`, this.layerNorm(x1, `${h}.ln_2`)); // [N, n_inner]
        return tf.add(x1, lin(`${h}.mlp.c_proj`, geluNew(u))) as tf.Tensor2D;
      });
    }
    return this.layerNorm(x, 'transformer.ln_f'); // [N, C]
  }
}

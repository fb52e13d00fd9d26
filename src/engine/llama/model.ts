/**
 * The Llama family (transformers' LlamaForCausalLM, and Qwen2ForCausalLM = Llama with q/k/v
 * biases) in tfjs: RMSNorm, rotary embeddings (rotate-half), grouped-query attention, SwiGLU,
 * causal, 1/√hd, a tied or separate LM head; named LoRA adapters on the seven projections.
 *
 * Shapes: B batch, T sequence, H hidden, nh query heads, K kv heads, g = nh/K, hd head width,
 * I inner, V vocab, N = B·T. Kernels are kept [d_in, d_out] on the device (see params.ts).
 */
import { tf } from '../tf';
import type { HostTensor, TensorMap } from '../types';
import { ParamStore } from '../lora/paramStore';
import { transposeHost } from '../lora/hostMath';
import type { FamilyName, ForwardOptions, ModelDims } from '../models/causalLm';
import { CausalLmBase } from '../models/lmBase';
import { causalAttention, rmsNorm, rope, swiglu } from '../models/fusedOps';
import { normalizeWeights } from '../models/weightPlan';
import type { LlamaConfig } from './config';
import {
  initLlamaWeights,
  isLlamaKernel,
  llamaLinears,
  llamaNaming,
  llamaParamCount,
  type LlamaInitOptions,
} from './params';
import { ropeTables } from './rope';

export class LlamaModel extends CausalLmBase {
  readonly family: FamilyName;
  readonly dims: ModelDims;
  protected readonly positionsName = 'max_position_embeddings';
  private readonly rope = new Map<number, { cos: tf.Tensor3D; sin: tf.Tensor3D }>();

  private constructor(
    readonly config: LlamaConfig,
    store: ParamStore,
  ) {
    const modules = llamaLinears(config).map((l) => ({
      name: l.name,
      dIn: l.dIn,
      dOut: l.dOut,
      weightKey: `${l.name}.weight`,
      biasKey: l.bias ? `${l.name}.bias` : null,
    }));
    super(store, modules, false);
    this.family = config.model_type;
    this.dims = {
      family: config.model_type,
      layers: config.num_hidden_layers,
      hidden: config.hidden_size,
      heads: config.num_attention_heads,
      kvHeads: config.num_key_value_heads,
      headDim: config.head_dim,
      inner: config.intermediate_size,
      vocabSize: config.vocab_size,
      nPositions: config.max_position_embeddings,
      tiedHead: config.tie_word_embeddings,
    };
  }

  /** Seeded random weights (transformers' init unless `opts` say otherwise). */
  static random(config: LlamaConfig, seed = 0, opts: LlamaInitOptions = {}): LlamaModel {
    return LlamaModel.fromWeights(config, initLlamaWeights(config, seed, opts));
  }

  /** From HF-named weights in HF layout (names and shapes checked against config). */
  static fromWeights(config: LlamaConfig, weights: TensorMap): LlamaModel {
    const hf = normalizeWeights(llamaNaming(config), weights);
    const compute: TensorMap = new Map();
    for (const [name, t] of hf) compute.set(name, toComputeLayout(name, t));
    return new LlamaModel(config, ParamStore.fromHost(compute, false));
  }

  /** From a store already on the device in compute layout (the streaming loader's). */
  static fromStore(config: LlamaConfig, store: ParamStore): LlamaModel {
    return new LlamaModel(config, store);
  }

  cloneTrainable(): LlamaModel {
    const m = new LlamaModel(this.config, this.store.clone(true));
    m.recomputeLayers = this.recomputeLayers;
    return m;
  }

  baseParamCount(): number {
    return llamaParamCount(this.config);
  }

  /** Every base weight in HF order and layout (nn.Linear [d_out, d_in]), merged adapters included. */
  async exportWeights(): Promise<TensorMap> {
    const out: TensorMap = new Map();
    for (const name of this.store.keys()) out.set(name, await this.weight(name));
    return out;
  }

  async weight(name: string): Promise<HostTensor> {
    const t = this.store.get(name);
    const data = (await t.data()) as Float32Array;
    if (!isLlamaKernel(name)) return { shape: [...t.shape], data: new Float32Array(data) };
    const [dIn, dOut] = t.shape;
    return { shape: [dOut, dIn], data: transposeHost(data, dIn, dOut) };
  }

  /** cos/sin [T, 1, hd] for positions 0..T−1 (kept per T). */
  private ropeTables(T: number): { cos: tf.Tensor3D; sin: tf.Tensor3D } {
    let r = this.rope.get(T);
    if (!r) {
      const hd = this.config.head_dim;
      const { cos, sin } = ropeTables(T, hd, this.config.rope_theta, this.config.rope_scaling);
      r = {
        cos: tf.keep(tf.tensor3d(Float32Array.from(cos), [T, 1, hd])),
        sin: tf.keep(tf.tensor3d(Float32Array.from(sin), [T, 1, hd])),
      };
      this.rope.set(T, r);
    }
    return r;
  }

  private norm(x: tf.Tensor2D, weight: string): tf.Tensor2D {
    return rmsNorm(x, this.p(weight) as tf.Tensor1D, this.config.rms_norm_eps);
  }

  protected headWeight(): tf.Tensor2D {
    return this.p(this.config.tie_word_embeddings ? 'model.embed_tokens.weight' : 'lm_head.weight') as tf.Tensor2D;
  }

  /**
   * Final hidden states [N, H] for ids [B, T] (int32). Call inside tf.tidy. Full mode embeds by
   * one-hot matmul (tfjs-wasm has no gradient for gather); frozen mode gathers.
   */
  protected hiddenTensor(ids: tf.Tensor2D, opts: ForwardOptions): tf.Tensor2D {
    const [B, T] = ids.shape;
    const c = this.config;
    const { head_dim: hd, num_attention_heads: nh, num_key_value_heads: K } = c;
    const g = nh / K;
    const N = B * T;
    const embed = this.p('model.embed_tokens.weight') as tf.Tensor2D; // [V, H]
    let x = this.embed(tf.reshape(ids, [N]) as tf.Tensor1D, embed); // [N, H]
    const { cos, sin } = this.ropeTables(T);
    const split = (t: tf.Tensor2D, heads: number) => tf.reshape(t, [B, T, heads, hd]) as tf.Tensor4D;
    for (let i = 0; i < c.num_hidden_layers; i++) {
      const p = `model.layers.${i}`;
      x = this.layer(p, x, T, opts, (x0, ctx) => {
        const lin = (name: string, h: tf.Tensor2D) => this.adapters.linear(name, h, ctx);
        const n1 = this.norm(x0, `${p}.input_layernorm.weight`); // [N, H]
        const q = rope(split(lin(`${p}.self_attn.q_proj`, n1), nh), cos, sin); // [B, T, nh, hd]
        const k = rope(split(lin(`${p}.self_attn.k_proj`, n1), K), cos, sin); // [B, T, K, hd]
        const v = split(lin(`${p}.self_attn.v_proj`, n1), K); // [B, T, K, hd]
        const att = causalAttention(q, k, v, this.causalMask(T, g)); // [N, nh·hd]
        const x1 = tf.add(x0, lin(`${p}.self_attn.o_proj`, att)) as tf.Tensor2D;
        const n2 = this.norm(x1, `${p}.post_attention_layernorm.weight`);
        const gate = lin(`${p}.mlp.gate_proj`, n2); // [N, I]
        const up = lin(`${p}.mlp.up_proj`, n2); // [N, I]
        return tf.add(x1, lin(`${p}.mlp.down_proj`, swiglu(gate, up))) as tf.Tensor2D;
      });
    }
    return this.norm(x, 'model.norm.weight'); // [N, H]
  }

  dispose(): void {
    super.dispose();
    for (const r of this.rope.values()) tf.dispose([r.cos, r.sin]);
    this.rope.clear();
  }
}

/** HF layout → device layout: the projections' kernels [d_out, d_in] → [d_in, d_out]. */
export function toComputeLayout(name: string, t: HostTensor): HostTensor {
  if (!isLlamaKernel(name)) return t;
  const [dOut, dIn] = t.shape;
  return { shape: [dIn, dOut], data: transposeHost(t.data, dOut, dIn) };
}

/**
 * A plain-TypeScript Llama / Qwen2 + LoRA in float64 loops (no tfjs), the yardstick the tfjs
 * model is tested against. Written from transformers' LlamaForCausalLM as the HF layout has it:
 * nn.Linear weights [d_out, d_in] (y = W·x + b), RMSNorm, rotary with rotate-half, grouped-query
 * attention (query head h reads kv head ⌊h / (nh/K)⌋), SwiGLU, a tied or separate head; LoRA
 * adds s·B·(A·x) with A [r, d_in], B [d_out, r]. Gradients by central differences. Tiny models only.
 */
import type { LlamaConfig } from '../llama/config';
import { ropeTables } from '../llama/rope';
import type { TokenBatch } from '../types';
import type { TensorMap } from '../types';
import type { RefLora } from './gpt2';

type W = (name: string) => ArrayLike<number> | undefined;

/** y [n, dOut] = x·Wᵀ + b + s·(x·Aᵀ)·Bᵀ for W [dOut, dIn] as stored. */
function linear(
  w: W,
  lora: RefLora,
  name: string,
  x: Float64Array,
  n: number,
  dIn: number,
  dOut: number,
): Float64Array {
  const K = w(`${name}.weight`)!;
  const b = w(`${name}.bias`);
  const ad = lora.get(name);
  const y = new Float64Array(n * dOut);
  for (let t = 0; t < n; t++) {
    for (let o = 0; o < dOut; o++) {
      let s = b ? b[o] : 0;
      for (let i = 0; i < dIn; i++) s += K[o * dIn + i] * x[t * dIn + i];
      y[t * dOut + o] = s;
    }
    if (ad) {
      const ax = new Float64Array(ad.r);
      for (let j = 0; j < ad.r; j++) for (let i = 0; i < dIn; i++) ax[j] += ad.A[j * dIn + i] * x[t * dIn + i];
      for (let o = 0; o < dOut; o++) {
        let s = 0;
        for (let j = 0; j < ad.r; j++) s += ad.B[o * ad.r + j] * ax[j];
        y[t * dOut + o] += ad.scaling * s;
      }
    }
  }
  return y;
}

function rmsNorm(g: ArrayLike<number>, x: Float64Array, n: number, H: number, eps: number): Float64Array {
  const y = new Float64Array(n * H);
  for (let t = 0; t < n; t++) {
    let ms = 0;
    for (let c = 0; c < H; c++) ms += x[t * H + c] ** 2;
    const inv = 1 / Math.sqrt(ms / H + eps);
    for (let c = 0; c < H; c++) y[t * H + c] = x[t * H + c] * inv * g[c];
  }
  return y;
}

/** In place on x [T, heads·hd]: each head's vector v → v·cos + rotate_half(v)·sin at its position. */
function rope(x: Float64Array, T: number, heads: number, hd: number, cos: Float64Array, sin: Float64Array): void {
  const half = hd / 2;
  const v = new Float64Array(hd);
  for (let t = 0; t < T; t++) {
    for (let h = 0; h < heads; h++) {
      const at = t * heads * hd + h * hd;
      for (let d = 0; d < hd; d++) v[d] = x[at + d];
      for (let d = 0; d < hd; d++) {
        const rot = d < half ? -v[d + half] : v[d - half];
        x[at + d] = v[d] * cos[t * hd + d] + rot * sin[t * hd + d];
      }
    }
  }
}

/** Logits [T, V] of one sequence. */
function forwardOne(c: LlamaConfig, w: W, lora: RefLora, ids: ArrayLike<number>): Float64Array {
  const T = ids.length;
  const { hidden_size: H, head_dim: hd, num_attention_heads: nh, num_key_value_heads: K, vocab_size: V } = c;
  const I = c.intermediate_size;
  const g = nh / K;
  const eps = c.rms_norm_eps;
  const { cos, sin } = ropeTables(T, hd, c.rope_theta, c.rope_scaling);
  const emb = w('model.embed_tokens.weight')!;
  let x = new Float64Array(T * H);
  for (let t = 0; t < T; t++) for (let k = 0; k < H; k++) x[t * H + k] = emb[ids[t] * H + k];
  for (let l = 0; l < c.num_hidden_layers; l++) {
    const p = `model.layers.${l}`;
    const n1 = rmsNorm(w(`${p}.input_layernorm.weight`)!, x, T, H, eps);
    const q = linear(w, lora, `${p}.self_attn.q_proj`, n1, T, H, nh * hd);
    const k = linear(w, lora, `${p}.self_attn.k_proj`, n1, T, H, K * hd);
    const v = linear(w, lora, `${p}.self_attn.v_proj`, n1, T, H, K * hd);
    rope(q, T, nh, hd, cos, sin);
    rope(k, T, K, hd, cos, sin);
    const att = new Float64Array(T * nh * hd);
    for (let h = 0; h < nh; h++) {
      const kv = Math.floor(h / g);
      for (let i = 0; i < T; i++) {
        const scores = new Float64Array(i + 1); // causal: keys 0..i only
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let d = 0; d < hd; d++) s += q[i * nh * hd + h * hd + d] * k[j * K * hd + kv * hd + d];
          scores[j] = s / Math.sqrt(hd);
          max = Math.max(max, scores[j]);
        }
        let z = 0;
        for (let j = 0; j <= i; j++) z += scores[j] = Math.exp(scores[j] - max);
        for (let j = 0; j <= i; j++)
          for (let d = 0; d < hd; d++) att[i * nh * hd + h * hd + d] += (scores[j] / z) * v[j * K * hd + kv * hd + d];
      }
    }
    const o = linear(w, lora, `${p}.self_attn.o_proj`, att, T, nh * hd, H);
    x = x.map((val, i) => val + o[i]);
    const n2 = rmsNorm(w(`${p}.post_attention_layernorm.weight`)!, x, T, H, eps);
    const gate = linear(w, lora, `${p}.mlp.gate_proj`, n2, T, H, I);
    const up = linear(w, lora, `${p}.mlp.up_proj`, n2, T, H, I);
    const act = gate.map((gv, i) => (gv / (1 + Math.exp(-gv))) * up[i]); // silu(gate) ⊙ up
    const down = linear(w, lora, `${p}.mlp.down_proj`, act, T, I, H);
    x = x.map((val, i) => val + down[i]);
  }
  const hN = rmsNorm(w('model.norm.weight')!, x, T, H, eps);
  const head = w(c.tie_word_embeddings ? 'model.embed_tokens.weight' : 'lm_head.weight')!; // [V, H]
  const logits = new Float64Array(T * V);
  for (let t = 0; t < T; t++)
    for (let u = 0; u < V; u++) {
      let s = 0;
      for (let k2 = 0; k2 < H; k2++) s += hN[t * H + k2] * head[u * H + k2];
      logits[t * V + u] = s;
    }
  return logits;
}

/** Logits [B, T, V] (row-major, float64) for ids [B·T]; weights by HF name in HF layout. */
export function refLlamaLogits(
  c: LlamaConfig,
  weights: TensorMap,
  lora: RefLora,
  ids: Int32Array,
  B: number,
  T: number,
): Float64Array {
  const w: W = (name) => weights.get(name)?.data;
  const out = new Float64Array(B * T * c.vocab_size);
  for (let b = 0; b < B; b++) out.set(forwardOne(c, w, lora, ids.subarray(b * T, (b + 1) * T)), b * T * c.vocab_size);
  return out;
}

/** Mean token cross-entropy over mask-1 positions, float64. */
export function refLlamaLoss(c: LlamaConfig, weights: TensorMap, lora: RefLora, batch: TokenBatch): number {
  const V = c.vocab_size;
  const logits = refLlamaLogits(c, weights, lora, batch.input, batch.batch, batch.seq);
  let total = 0;
  let count = 0;
  for (let i = 0; i < batch.batch * batch.seq; i++) {
    const m = batch.mask ? batch.mask[i] : 1;
    if (m === 0) continue;
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[i * V + v]);
    let z = 0;
    for (let v = 0; v < V; v++) z += Math.exp(logits[i * V + v] - max);
    total += m * (Math.log(z) + max - logits[i * V + batch.target[i]]);
    count += m;
  }
  return total / count;
}

/** ∂loss/∂A and ∂loss/∂B for every module, by central differences (step h) in float64. */
export function refLlamaLoraGradients(
  c: LlamaConfig,
  weights: TensorMap,
  lora: RefLora,
  batch: TokenBatch,
  h = 1e-6,
): Map<string, { A: Float64Array; B: Float64Array }> {
  const out = new Map<string, { A: Float64Array; B: Float64Array }>();
  const diff = (arr: Float64Array): Float64Array => {
    const grad = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const keep = arr[i];
      arr[i] = keep + h;
      const up = refLlamaLoss(c, weights, lora, batch);
      arr[i] = keep - h;
      const down = refLlamaLoss(c, weights, lora, batch);
      arr[i] = keep;
      grad[i] = (up - down) / (2 * h);
    }
    return grad;
  };
  for (const [name, m] of lora) out.set(name, { A: diff(m.A), B: diff(m.B) });
  return out;
}

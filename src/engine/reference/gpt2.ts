/**
 * A plain-TypeScript GPT-2 + LoRA in float64 loops (no tfjs), the yardstick the tfjs engine is
 * tested against on every backend. Same conventions: Conv1D weights [d_in, d_out], tied head,
 * causal attention, gelu_new; LoRA adds s·B·(A·x) with A [r, d_in], B [d_out, r].
 * Gradients w.r.t. A and B by central differences. Meant for tiny models only.
 */
import type { Gpt2Config } from '../gpt2/config';
import type { TensorMap, TokenBatch } from '../types';

/** One adapted module's factors (PEFT layout) and scaling. */
export interface RefLoraModule {
  A: Float64Array; // [r, d_in]
  B: Float64Array; // [d_out, r]
  r: number;
  scaling: number;
}

export type RefLora = Map<string, RefLoraModule>;

type W = (name: string) => ArrayLike<number>;

function linear(
  w: W,
  lora: RefLora,
  name: string,
  x: Float64Array,
  n: number,
  dIn: number,
  dOut: number,
): Float64Array {
  const K = w(`${name}.weight`);
  const b = w(`${name}.bias`);
  const y = new Float64Array(n * dOut);
  const ad = lora.get(name);
  for (let t = 0; t < n; t++) {
    for (let o = 0; o < dOut; o++) y[t * dOut + o] = b[o];
    for (let i = 0; i < dIn; i++) {
      const xv = x[t * dIn + i];
      for (let o = 0; o < dOut; o++) y[t * dOut + o] += xv * K[i * dOut + o];
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

function layerNorm(w: W, prefix: string, x: Float64Array, n: number, C: number, eps: number): Float64Array {
  const g = w(`${prefix}.weight`);
  const b = w(`${prefix}.bias`);
  const y = new Float64Array(n * C);
  for (let t = 0; t < n; t++) {
    let mean = 0;
    for (let c = 0; c < C; c++) mean += x[t * C + c];
    mean /= C;
    let v = 0;
    for (let c = 0; c < C; c++) v += (x[t * C + c] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / C + eps);
    for (let c = 0; c < C; c++) y[t * C + c] = (x[t * C + c] - mean) * inv * g[c] + b[c];
  }
  return y;
}

const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

/** Logits [T, V] of one sequence. */
function forwardOne(c: Gpt2Config, w: W, lora: RefLora, ids: ArrayLike<number>): Float64Array {
  const T = ids.length;
  const { n_embd: C, n_head: H, vocab_size: V, n_inner: F } = c;
  const D = C / H;
  const wte = w('transformer.wte.weight');
  const wpe = w('transformer.wpe.weight');
  let x = new Float64Array(T * C);
  for (let t = 0; t < T; t++) for (let k = 0; k < C; k++) x[t * C + k] = wte[ids[t] * C + k] + wpe[t * C + k];
  for (let l = 0; l < c.n_layer; l++) {
    const p = `transformer.h.${l}`;
    const qkv = linear(
      w,
      lora,
      `${p}.attn.c_attn`,
      layerNorm(w, `${p}.ln_1`, x, T, C, c.layer_norm_epsilon),
      T,
      C,
      3 * C,
    );
    const y = new Float64Array(T * C);
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const scores = new Float64Array(i + 1); // causal: keys 0..i only
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let d = 0; d < D; d++) s += qkv[i * 3 * C + h * D + d] * qkv[j * 3 * C + C + h * D + d];
          scores[j] = s / Math.sqrt(D);
          max = Math.max(max, scores[j]);
        }
        let z = 0;
        for (let j = 0; j <= i; j++) z += scores[j] = Math.exp(scores[j] - max);
        for (let j = 0; j <= i; j++) {
          for (let d = 0; d < D; d++) y[i * C + h * D + d] += (scores[j] / z) * qkv[j * 3 * C + 2 * C + h * D + d];
        }
      }
    }
    const a = linear(w, lora, `${p}.attn.c_proj`, y, T, C, C);
    x = x.map((v, i) => v + a[i]);
    const u = linear(w, lora, `${p}.mlp.c_fc`, layerNorm(w, `${p}.ln_2`, x, T, C, c.layer_norm_epsilon), T, C, F).map(
      gelu,
    );
    const m = linear(w, lora, `${p}.mlp.c_proj`, u, T, F, C);
    x = x.map((v, i) => v + m[i]);
  }
  const hf = layerNorm(w, 'transformer.ln_f', x, T, C, c.layer_norm_epsilon);
  const logits = new Float64Array(T * V);
  for (let t = 0; t < T; t++) {
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let k = 0; k < C; k++) s += hf[t * C + k] * wte[v * C + k];
      logits[t * V + v] = s;
    }
  }
  return logits;
}

function lookup(weights: TensorMap): W {
  return (name) => {
    const t = weights.get(name);
    if (!t) throw new Error(`reference: missing weight ${name}`);
    return t.data;
  };
}

/** Logits [B, T, V] (row-major, float64) for ids [B·T]. */
export function refLogits(
  c: Gpt2Config,
  weights: TensorMap,
  lora: RefLora,
  ids: Int32Array,
  B: number,
  T: number,
): Float64Array {
  const w = lookup(weights);
  const out = new Float64Array(B * T * c.vocab_size);
  for (let b = 0; b < B; b++) out.set(forwardOne(c, w, lora, ids.subarray(b * T, (b + 1) * T)), b * T * c.vocab_size);
  return out;
}

/** Mean token cross-entropy over mask-1 positions, float64. */
export function refLoss(c: Gpt2Config, weights: TensorMap, lora: RefLora, batch: TokenBatch): number {
  const V = c.vocab_size;
  const logits = refLogits(c, weights, lora, batch.input, batch.batch, batch.seq);
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
export function refLoraGradients(
  c: Gpt2Config,
  weights: TensorMap,
  lora: RefLora,
  batch: TokenBatch,
  h = 1e-6,
): Map<string, { A: Float64Array; B: Float64Array }> {
  const out = new Map<string, { A: Float64Array; B: Float64Array }>();
  const diff = (arr: Float64Array): Float64Array => {
    const g = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const keep = arr[i];
      arr[i] = keep + h;
      const up = refLoss(c, weights, lora, batch);
      arr[i] = keep - h;
      const down = refLoss(c, weights, lora, batch);
      arr[i] = keep;
      g[i] = (up - down) / (2 * h);
    }
    return g;
  };
  for (const [name, m] of lora) out.set(name, { A: diff(m.A), B: diff(m.B) });
  return out;
}

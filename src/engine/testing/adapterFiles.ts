/**
 * Adapter files of every format with a known ΔW, for tests, e2e fixtures and the benchmark
 * (never bundled into the app). GGUF files are written with @huggingface/gguf's own metadata
 * writer plus tensor infos and data laid out by hand from the GGUF spec.
 */
import { GGUFValueType, serializeGgufMetadata, type GGUFTypedMetadata } from '@huggingface/gguf';
import { matmulHost } from '../lora/hostMath';
import { pythonStyleJson } from '../peft/json';
import { Rng } from '../rng';
import { writeSafetensors } from '../safetensors';
import type { TensorMap } from '../types';
import { GGML_BF16, GGML_F16, GGML_F32, GGML_Q8_0, Q8_0_BLOCK } from '../formats/ggufDecode';
import { transposeF32 } from '../formats/factors';

/** One module's factors in PEFT's orientation: A [r, d_in], B [d_out, r]. */
export interface TestModule {
  name: string;
  A: Float32Array;
  B: Float32Array;
  r: number;
  dIn: number;
  dOut: number;
}

/**
 * A module whose ΔW has rank `trueRank` but is stored at rank `r`: B = B₀·M with B₀ [d_out, trueRank]
 * and M [trueRank, r], so B·A has exactly `trueRank` non-zero singular values (up to float32
 * rounding of B). Values are drawn from a seeded normal.
 */
export function lowRankModule(
  name: string,
  dOut: number,
  dIn: number,
  r: number,
  trueRank: number,
  seed: number,
): TestModule {
  const rng = new Rng(seed);
  const B0 = rng.normalArray(dOut * trueRank, 1);
  const M = rng.normalArray(trueRank * r, 1);
  const B = Float32Array.from(matmulHost(B0, M, dOut, trueRank, r));
  const A = rng.normalArray(r * dIn, 1 / Math.sqrt(dIn));
  return { name, A, B, r, dIn, dOut };
}

/** s·B·A [d_out, d_in] in float64, from the float32 factors as stored. */
export function denseDelta(m: TestModule, scaling: number): Float64Array {
  return matmulHost(m.B, m.A, m.dOut, m.r, m.dIn).map((v) => v * scaling);
}

/** Every linear module of a small Llama-shaped model (hidden h, kv width kv, inner i). */
export function llamaModules(layers: number, h: number, kv: number, inner: number, r: number, seed = 1): TestModule[] {
  const out: TestModule[] = [];
  const shapes: [string, number, number][] = [
    ['self_attn.q_proj', h, h],
    ['self_attn.k_proj', kv, h],
    ['self_attn.v_proj', kv, h],
    ['self_attn.o_proj', h, h],
    ['mlp.gate_proj', inner, h],
    ['mlp.up_proj', inner, h],
    ['mlp.down_proj', h, inner],
  ];
  for (let l = 0; l < layers; l++)
    shapes.forEach(([path, dOut, dIn], j) =>
      out.push(lowRankModule(`model.layers.${l}.${path}`, dOut, dIn, r, Math.min(r, 3), seed + 10 * l + j)),
    );
  return out;
}

/** PEFT files: adapter_model.safetensors + adapter_config.json (`config` merged over defaults). */
export function peftFiles(
  mods: TestModule[],
  config: Record<string, unknown>,
  keyOf = (n: string, f: 'A' | 'B') => `base_model.model.${n}.lora_${f}.weight`,
): Map<string, Uint8Array> {
  const tensors: TensorMap = new Map();
  for (const m of mods) {
    tensors.set(keyOf(m.name, 'A'), { shape: [m.r, m.dIn], data: m.A });
    tensors.set(keyOf(m.name, 'B'), { shape: [m.dOut, m.r], data: m.B });
  }
  const cfg = {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    r: mods[0]?.r ?? 8,
    lora_alpha: 16,
    target_modules: [...new Set(mods.map((m) => m.name.split('.').pop()))],
    ...config,
  };
  return new Map([
    ['adapter_model.safetensors', writeSafetensors(tensors, { format: 'pt' })],
    ['adapter_config.json', new TextEncoder().encode(pythonStyleJson(cfg))],
  ]);
}

/** MLX files with mlx-lm's names (lora_a = Aᵀ [d_in, r], lora_b = Bᵀ [r, d_out]). */
export function mlxFiles(
  mods: TestModule[],
  scale: number,
  extra: Record<string, unknown> = {},
  nameOf = (n: string) => n,
): Map<string, Uint8Array> {
  const tensors: TensorMap = new Map();
  for (const m of mods) {
    tensors.set(`${nameOf(m.name)}.lora_a`, { shape: [m.dIn, m.r], data: transposeF32(m.A, m.r, m.dIn) });
    tensors.set(`${nameOf(m.name)}.lora_b`, { shape: [m.r, m.dOut], data: transposeF32(m.B, m.dOut, m.r) });
  }
  const keys = [...new Set(mods.map((m) => m.name.replace(/^.*?\.(?:layers|h)\.\d+\./, '')))];
  const cfg = {
    fine_tune_type: 'lora',
    num_layers: -1,
    lora_parameters: { rank: mods[0]?.r ?? 8, scale, dropout: 0, keys },
    ...extra,
  };
  return new Map([
    ['adapters.safetensors', writeSafetensors(tensors, { format: 'mlx' })],
    ['adapter_config.json', new TextEncoder().encode(JSON.stringify(cfg, null, 4))],
  ]);
}

/** kohya file: lora_down [r, in(, kh, kw)], lora_up [out, r(, 1, 1)], alpha. */
export function kohyaFile(mods: (TestModule & { alpha?: number; kernel?: [number, number] })[]): Uint8Array {
  const tensors: TensorMap = new Map();
  for (const m of mods) {
    const k = m.kernel;
    const down = k ? [m.r, m.dIn / (k[0] * k[1]), k[0], k[1]] : [m.r, m.dIn];
    tensors.set(`${m.name}.lora_down.weight`, { shape: down, data: m.A });
    tensors.set(`${m.name}.lora_up.weight`, { shape: k ? [m.dOut, m.r, 1, 1] : [m.dOut, m.r], data: m.B });
    if (m.alpha !== undefined) tensors.set(`${m.name}.alpha`, { shape: [], data: Float32Array.of(m.alpha) });
  }
  return writeSafetensors(tensors, { ss_network_module: 'networks.lora', ss_base_model_version: 'sd_v1' });
}

/** IEEE binary16 bits of the nearest half to v (round half to even; overflow → ±Inf). */
export function f16Bits(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let h = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && h & 1)) h++;
    return sign | h;
  }
  let h = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) {
    h++;
    if (h === 0x400) {
      h = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | h;
}

export type GgufDtype = 'F32' | 'F16' | 'BF16' | 'Q8_0';

function encode(data: Float32Array, dtype: GgufDtype, rowLength: number): Uint8Array {
  if (dtype === 'F32') return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  if (dtype === 'F16' || dtype === 'BF16') {
    const out = new Uint16Array(data.length);
    const u32 = new Uint32Array(Float32Array.from(data).buffer);
    for (let i = 0; i < data.length; i++) out[i] = dtype === 'F16' ? f16Bits(data[i]) : u32[i] >>> 16; // BF16: truncation
    return new Uint8Array(out.buffer);
  }
  // Q8_0 as ggml quantizes it: d = max|x| / 127 (stored f16), q = round(x / d), per 32 values of a row.
  if (rowLength % Q8_0_BLOCK !== 0) throw new Error(`Q8_0 needs rows of a multiple of 32 values, not ${rowLength}`);
  const blocks = data.length / Q8_0_BLOCK;
  const out = new Uint8Array(blocks * 34);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    let amax = 0;
    for (let j = 0; j < Q8_0_BLOCK; j++) amax = Math.max(amax, Math.abs(data[b * Q8_0_BLOCK + j]));
    const d = amax / 127;
    const id = d ? 1 / d : 0;
    view.setUint16(b * 34, f16Bits(d), true);
    for (let j = 0; j < Q8_0_BLOCK; j++) view.setInt8(b * 34 + 2 + j, Math.round(data[b * Q8_0_BLOCK + j] * id));
  }
  return out;
}

const GGML_TYPE: Record<GgufDtype, number> = { F32: GGML_F32, F16: GGML_F16, BF16: GGML_BF16, Q8_0: GGML_Q8_0 };

/**
 * A GGUF LoRA adapter as convert_lora_to_gguf.py writes one: general.type "adapter",
 * adapter.type "lora", adapter.lora.alpha, tensors `<name>.lora_a` (ggml shape [d_in, r]) and
 * `.lora_b` ([r, d_out]), data aligned to 32 bytes. `tensors` maps GGUF names to factors.
 */
export function ggufFile(
  tensors: { name: string; A: Float32Array; B: Float32Array; r: number; dIn: number; dOut: number }[],
  opts: {
    architecture: string;
    alpha?: number;
    dtype?: GgufDtype;
    dtypeB?: GgufDtype;
    generalType?: string;
    extraKv?: Record<string, string>;
  },
): Uint8Array {
  const entries: { name: string; ne: number[]; type: number; bytes: Uint8Array }[] = [];
  for (const t of tensors) {
    const da = opts.dtype ?? 'F32';
    const db = opts.dtypeB ?? da;
    entries.push({ name: `${t.name}.lora_a`, ne: [t.dIn, t.r], type: GGML_TYPE[da], bytes: encode(t.A, da, t.dIn) });
    entries.push({ name: `${t.name}.lora_b`, ne: [t.r, t.dOut], type: GGML_TYPE[db], bytes: encode(t.B, db, t.r) });
  }
  const kv: Record<string, { value: string | number; type: GGUFValueType }> = {
    'general.architecture': { value: opts.architecture, type: GGUFValueType.STRING },
    'general.type': { value: opts.generalType ?? 'adapter', type: GGUFValueType.STRING },
    'adapter.type': { value: 'lora', type: GGUFValueType.STRING },
  };
  if (opts.alpha !== undefined) kv['adapter.lora.alpha'] = { value: opts.alpha, type: GGUFValueType.FLOAT32 };
  for (const [k, v] of Object.entries(opts.extraKv ?? {})) kv[k] = { value: v, type: GGUFValueType.STRING };
  const meta = {
    version: { value: 3, type: GGUFValueType.UINT32 },
    tensor_count: { value: BigInt(entries.length), type: GGUFValueType.UINT64 },
    kv_count: { value: BigInt(Object.keys(kv).length), type: GGUFValueType.UINT64 },
    ...kv,
  } as GGUFTypedMetadata;
  const head = serializeGgufMetadata(meta, { alignment: 1 }); // magic, version, counts, KV; no padding
  const enc = new TextEncoder();
  const infos: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    const info = new Uint8Array(8 + name.length + 4 + 8 * e.ne.length + 4 + 8);
    const v = new DataView(info.buffer);
    v.setBigUint64(0, BigInt(name.length), true);
    info.set(name, 8);
    let at = 8 + name.length;
    v.setUint32(at, e.ne.length, true);
    at += 4;
    for (const d of e.ne) {
      v.setBigUint64(at, BigInt(d), true);
      at += 8;
    }
    v.setUint32(at, e.type, true);
    v.setBigUint64(at + 4, BigInt(offset), true);
    infos.push(info);
    offset += Math.ceil(e.bytes.length / 32) * 32;
  }
  const headerLength = head.length + infos.reduce((n, i) => n + i.length, 0);
  const dataStart = Math.ceil(headerLength / 32) * 32;
  const out = new Uint8Array(dataStart + offset);
  out.set(head, 0);
  let at = head.length;
  for (const i of infos) {
    out.set(i, at);
    at += i.length;
  }
  at = dataStart;
  for (const e of entries) {
    out.set(e.bytes, at);
    at += Math.ceil(e.bytes.length / 32) * 32;
  }
  return out;
}

/** llama.cpp's q/k row order (convert_hf_to_gguf.py LlamaModel.permute) applied to B's rows. */
export function llamaPermuteRows(B: Float32Array, dOut: number, r: number, heads: number): Float32Array {
  const hd = dOut / heads;
  const out = new Float32Array(B.length);
  for (let h = 0; h < heads; h++)
    for (let i = 0; i < hd / 2; i++)
      for (let j = 0; j < 2; j++) {
        const from = h * hd + j * (hd / 2) + i; // reshape(heads, 2, hd/2) …
        const to = h * hd + 2 * i + j; // … .swapaxes(1, 2)
        out.set(B.subarray(from * r, from * r + r), to * r);
      }
  return out;
}

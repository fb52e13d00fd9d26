/**
 * Writing safetensors checkpoints in pieces and in any loadable dtype (F32, F16, BF16), as
 * transformers' `save_pretrained` lays them out: one file, or shards with an index. Used to
 * generate HF-layout checkpoints for tests and the real-size benchmark; the F32 model export is
 * `writeSafetensors`.
 */
import type { SafetensorsDtype } from '../safetensors';
import { sizeOf, type TensorMap } from '../types';
import { DTYPE_BYTES } from './decode';

/** One tensor's values in `dtype`, little-endian (BF16 and F16 rounded to nearest even). */
export function encodeTensor(data: Float32Array, dtype: SafetensorsDtype): Uint8Array {
  if (dtype === 'F32') return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const words = new Uint32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const out = new Uint16Array(data.length);
  if (dtype === 'BF16') {
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const isNaN = (w & 0x7f800000) === 0x7f800000 && (w & 0x7fffff) !== 0;
      out[i] = isNaN ? (w >>> 16) | 0x40 : (w + 0x7fff + ((w >>> 16) & 1)) >>> 16;
    }
  } else {
    for (let i = 0; i < data.length; i++) out[i] = toF16Bits(data[i]);
  }
  return new Uint8Array(out.buffer);
}

/** float → IEEE binary16 bits, round to nearest even (subnormals, overflow to ±Inf, NaN). */
export function toF16Bits(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rounded = (m + half - 1 + ((m >>> shift) & 1)) >>> shift;
    return sign | rounded;
  }
  const rounded = (mant + 0xfff + ((mant >>> 13) & 1)) >>> 13;
  return (sign | (e << 10)) + rounded; // a carry into the exponent is the correct rounding
}

/**
 * The header bytes (8-byte length + JSON padded with spaces to a multiple of 8) for tensors
 * stored back to back in this order.
 */
export function safetensorsHeader(
  tensors: { name: string; shape: number[]; dtype: SafetensorsDtype }[],
  metadata: Record<string, string> = { format: 'pt' },
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const bytes = sizeOf(t.shape) * DTYPE_BYTES[t.dtype];
    Object.defineProperty(header, t.name, {
      value: { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] },
      enumerable: true,
    });
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded).fill(0x20);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  return out;
}

/** A whole safetensors file in memory in one dtype (small models: tests). */
export function safetensorsBytes(tensors: TensorMap, dtype: SafetensorsDtype): Uint8Array {
  const parts = [...tensors].map(([name, t]) => ({ name, shape: t.shape, dtype, bytes: encodeTensor(t.data, dtype) }));
  const head = safetensorsHeader(parts);
  const out = new Uint8Array(head.length + parts.reduce((n, p) => n + p.bytes.length, 0));
  out.set(head, 0);
  let at = head.length;
  for (const p of parts) {
    out.set(p.bytes, at);
    at += p.bytes.length;
  }
  return out;
}

/**
 * Shards as transformers writes them: tensors in order, a new shard when the next would pass
 * `maxShardBytes`; file names model-0000N-of-0000M.safetensors and the index text.
 */
export function shardedCheckpoint(
  tensors: TensorMap,
  dtype: SafetensorsDtype,
  maxShardBytes: number,
): { shards: Map<string, Uint8Array>; index: string } {
  const groups: TensorMap[] = [new Map()];
  let size = 0;
  for (const [name, t] of tensors) {
    const bytes = t.data.length * DTYPE_BYTES[dtype];
    if (size > 0 && size + bytes > maxShardBytes) {
      groups.push(new Map());
      size = 0;
    }
    groups[groups.length - 1].set(name, t);
    size += bytes;
  }
  const pad = (n: number) => String(n).padStart(5, '0');
  const shards = new Map<string, Uint8Array>();
  const weightMap: Record<string, string> = {};
  let total = 0;
  groups.forEach((g, i) => {
    const file = `model-${pad(i + 1)}-of-${pad(groups.length)}.safetensors`;
    shards.set(file, safetensorsBytes(g, dtype));
    for (const [name, t] of g) {
      weightMap[name] = file;
      total += t.data.length * DTYPE_BYTES[dtype];
    }
  });
  return { shards, index: JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2) };
}

/**
 * GGUF tensor data → F32 for the types LoRA adapters are written in (llama.cpp's
 * convert_lora_to_gguf.py --outtype f32 | f16 | bf16 | q8_0). Every decode is exact: F16 and BF16
 * widen losslessly, and Q8_0's d·q (an f16 times an int8) fits a float32 mantissa.
 */
import { f16BitsToNumber } from '../safetensors';

/** ggml type ids (ggml.h `enum ggml_type`). */
export const GGML_F32 = 0;
export const GGML_F16 = 1;
export const GGML_Q8_0 = 8;
export const GGML_BF16 = 30;

/** Q8_0: blocks of 32 values, each block an f16 scale d then 32 int8 q; value = d·q. */
export const Q8_0_BLOCK = 32;
const Q8_0_BYTES = 2 + Q8_0_BLOCK;

export const DECODABLE: Record<number, string> = {
  [GGML_F32]: 'F32',
  [GGML_F16]: 'F16',
  [GGML_BF16]: 'BF16',
  [GGML_Q8_0]: 'Q8_0',
};

/** Bytes a tensor of `count` values takes, or null when the type cannot hold that shape. */
export function ggmlBytes(type: number, count: number, rowLength: number): number | null {
  if (type === GGML_F32) return 4 * count;
  if (type === GGML_F16 || type === GGML_BF16) return 2 * count;
  if (type === GGML_Q8_0) return rowLength % Q8_0_BLOCK === 0 ? (count / Q8_0_BLOCK) * Q8_0_BYTES : null;
  return null;
}

const F16_TABLE = (() => {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) t[h] = f16BitsToNumber(h);
  return t;
})();

/** Decodes `count` values of `type` starting at `offset` in `bytes` (little-endian). */
export function decodeGgml(bytes: Uint8Array, offset: number, count: number, type: number): Float32Array {
  const out = new Float32Array(count);
  if (type === GGML_F32) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + 4 * count));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  if (type === GGML_F16) {
    for (let i = 0; i < count; i++) out[i] = F16_TABLE[view.getUint16(2 * i, true)];
  } else if (type === GGML_BF16) {
    const u32 = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) u32[i] = view.getUint16(2 * i, true) << 16;
  } else if (type === GGML_Q8_0) {
    for (let b = 0; b < count / Q8_0_BLOCK; b++) {
      const at = b * Q8_0_BYTES;
      const d = F16_TABLE[view.getUint16(at, true)];
      for (let j = 0; j < Q8_0_BLOCK; j++) out[b * Q8_0_BLOCK + j] = d * view.getInt8(at + 2 + j);
    }
  } else {
    throw new Error(`ggml type ${type} has no decoder`);
  }
  return out;
}

/**
 * One safetensors tensor's little-endian bytes → float32, fast: F32 is viewed in place when
 * aligned, BF16 is shifted into the top half of a float32 word, F16 goes through a 64 K-entry
 * table. (A DataView loop per value took seconds for a 100M-parameter model.)
 */
/** The weight dtypes the product reads (and converts to float32 on upload). */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
let f16Table: Float32Array | null = null;

/** IEEE 754 binary16 bits → number (subnormals, ±Inf and NaN included). */
export function f16BitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Bytes per value of each loadable dtype. */
export const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/**
 * @param bytes exactly the tensor's bytes, in a buffer of their own (byteOffset 0) for the fast paths
 * @returns `count` float32 values (a view of `bytes` for aligned F32, else a new array)
 */
export function decodeTensor(bytes: Uint8Array, dtype: SafetensorsDtype, count: number): Float32Array {
  if (bytes.length !== count * DTYPE_BYTES[dtype]) {
    throw new Error(`decodeTensor: ${dtype} × ${count} needs ${count * DTYPE_BYTES[dtype]} bytes, got ${bytes.length}`);
  }
  const aligned = bytes.byteOffset % 4 === 0;
  if (!LITTLE_ENDIAN_HOST || !aligned) {
    const copy = new Uint8Array(bytes.length); // re-aligned copy; the general path below then applies
    copy.set(bytes);
    if (!LITTLE_ENDIAN_HOST) return decodeBigEndianHost(copy, dtype, count);
    bytes = copy;
  }
  if (dtype === 'F32') return new Float32Array(bytes.buffer, bytes.byteOffset, count);
  const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
  const out = new Float32Array(count);
  if (dtype === 'BF16') {
    const words = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) words[i] = halves[i] << 16;
    return out;
  }
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16BitsToNumber(h);
  }
  for (let i = 0; i < count; i++) out[i] = f16Table[halves[i]];
  return out;
}

function decodeBigEndianHost(bytes: Uint8Array, dtype: SafetensorsDtype, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (dtype === 'F32') out[i] = view.getFloat32(4 * i, true);
    else if (dtype === 'F16') out[i] = f16BitsToNumber(view.getUint16(2 * i, true));
    else out[i] = new Float32Array(new Uint32Array([view.getUint16(2 * i, true) << 16]).buffer)[0];
  }
  return out;
}

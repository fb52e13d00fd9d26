/**
 * What the current tfjs backend can hold, for the memory estimate (models/memoryEstimate.ts).
 *
 * - wasm: one 32-bit heap, at most 4 GiB (the binary's memory maximum, 65536 pages) for every
 *   tensor together.
 * - webgpu: one buffer at most min(maxBufferSize, maxStorageBufferBindingSize) of the device.
 *   tfjs-backend-webgpu 4.22 already requests both from the adapter's limits (not the 256 MiB /
 *   128 MiB defaults) when it creates the device, so the device's limits are what was granted.
 *   The total is the GPU's and is not exposed: null.
 * - webgl, cpu: no limit known in advance.
 */
import { tf } from './tf';
import type { BackendMemoryLimits } from './models/memoryEstimate';

/** tfjs-wasm's heap maximum in bytes (its getHeapMax: 65536 pages of 64 KiB, less one page). */
export const WASM_HEAP_MAX_BYTES = 4294901760;

type Limits = { maxBufferSize?: number; maxStorageBufferBindingSize?: number };

/** The limits of the backend tfjs runs on now. */
export function backendMemoryLimits(): BackendMemoryLimits {
  const name = tf.getBackend();
  if (name === 'wasm') return { backend: 'wasm', maxTotalBytes: WASM_HEAP_MAX_BYTES, maxBufferBytes: null };
  if (name === 'webgpu') {
    const limits = (tf.backend() as unknown as { device?: { limits?: Limits } }).device?.limits;
    const sizes = [limits?.maxBufferSize, limits?.maxStorageBufferBindingSize].filter(
      (v): v is number => typeof v === 'number' && v > 0,
    );
    return { backend: 'webgpu', maxTotalBytes: null, maxBufferBytes: sizes.length ? Math.min(...sizes) : null };
  }
  return { backend: name, maxTotalBytes: null, maxBufferBytes: null };
}

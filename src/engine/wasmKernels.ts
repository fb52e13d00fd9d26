/**
 * tfjs-wasm 4.22's Identity kernel copies its input, and tfjs saves every tensor a gradient
 * needs through Identity (engine.clone): on wasm each saved activation, and every weight a
 * gather or matmul saves, is a second physical copy until the backward pass ends (measured
 * here: GPT-2's 147 MB wte copied on every step). tfjs-cpu and tfjs-webgl share the buffer
 * instead (tensors are immutable; variables swap buffers on assign), and so does wasm's own
 * Reshape. This registers the sharing Identity for wasm.
 */
import { tf } from './tf';

let shared = false;

/** Replaces wasm's copying Identity by one that shares the buffer (idempotent). */
export function shareIdentityOnWasm(): void {
  if (shared) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      (backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
  shared = true;
}

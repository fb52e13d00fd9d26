/**
 * Two tfjs-wasm 4.22 kernels replaced for memory and speed.
 *
 * Identity: it copies its input, and tfjs saves every tensor a gradient
 * needs through Identity (engine.clone): on wasm each saved activation, and every weight a
 * gather or matmul saves, is a second physical copy until the backward pass ends (measured
 * here: GPT-2's 147 MB wte copied on every step). tfjs-cpu and tfjs-webgl share the buffer
 * instead (tensors are immutable; variables swap buffers on assign), and so does wasm's own
 * Reshape. The replacement shares the buffer.
 *
 * Slice: it reads its whole input out of the heap into a JS copy (backend.readSync) before
 * copying the slice, so slicing a block of rows from GPT-2's 147 MB embedding copied 147 MB
 * (measured here: 376 ms a slice). The replacement copies only the slice, heap to heap.
 */
import { tf } from './tf';

let shared = false;

interface WasmBackendInternals {
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Copies the slice [begin, begin + size) of x (row-major, strides xs) into out, run by innermost run. */
function copySlice(
  x: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> },
  xs: number[],
  out: { set(a: ArrayLike<number>, o: number): void },
  begin: number[],
  size: number[],
): void {
  const rank = size.length;
  const run = size[rank - 1];
  let o = 0;
  const idx = new Array<number>(rank - 1).fill(0);
  const total = size.slice(0, -1).reduce((a, b) => a * b, 1);
  for (let n = 0; n < total; n++) {
    let at = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) at += (begin[d] + idx[d]) * xs[d];
    out.set(x.subarray(at, at + run), o);
    o += run;
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < size[d]) break;
      idx[d] = 0;
    }
  }
}

/** Replaces wasm's copying Identity and Slice kernels (idempotent). */
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
  const original = tf.getKernel('Slice', 'wasm')!;
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({
    kernelName: 'Slice',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string' || x.shape.length === 0) return original.kernelFunc(args);
      const be = args.backend as unknown as WasmBackendInternals;
      const attrs = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
      const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
      const out = be.makeOutput(size, x.dtype); // allocate first: views taken after cannot go stale
      if (size.some((d) => d === 0)) return out;
      const xVals = be.typedArrayFromHeap(x);
      const outVals = be.typedArrayFromHeap(out);
      const strides = tf.util.computeStrides(x.shape);
      if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
        const at = tf.slice_util.computeFlatOffset(begin, strides);
        outVals.set(xVals.subarray(at, at + outVals.length));
      } else copySlice(xVals, [...strides, 1], outVals, begin, size);
      return out;
    },
  });
  shared = true;
}

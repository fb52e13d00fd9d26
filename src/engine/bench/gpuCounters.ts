/**
 * What one piece of work costs on the tfjs webgpu backend: GPU dispatches (per shader program),
 * queue submits, host→GPU uploads and GPU→host read-backs, and, through tf.profile, kernel time by
 * op. Counting wraps methods of the live WebGPUBackend instance for the duration of `f`
 * (runWebGPUProgram: one per dispatch; uploadToGPU; getBufferData; submitQueue) and restores them
 * after, so it runs in Node (Dawn) and in a page alike and changes nothing it measures.
 *
 * `dry`: tfjs's compile-only mode: every program is compiled and counted but none is dispatched,
 * and read-backs return zeros (so a training step takes its normal path). Counts are exact; this is
 * how the bench counts a GPT-2-124M step on SwiftShader, which cannot run one in useful time.
 */
import { tf } from '../tf';

export interface GpuWork {
  /** Compute dispatches (one per shader program run). */
  dispatches: number;
  /** Dispatches per shader program class, most first. */
  byProgram: { program: string; count: number }[];
  /** Queue submits (tfjs batches up to 15 dispatches per submit, and submits before each read). */
  submits: number;
  /** Tensors written from the host (ids, targets, new constants), and their bytes. */
  uploads: number;
  uploadBytes: number;
  /** Uniform-buffer bytes written (shapes and scalars, one small buffer per dispatch). */
  uniformBytes: number;
  /** Buffers read back to the host, and their bytes. */
  readbacks: number;
  readbackBytes: number;
}

/** Kernel time by op from tf.profile (timestamp queries on webgpu). */
export interface KernelTimes {
  /** tfjs kernels run, per name: count and total ms, most time first. */
  byKernel: { kernel: string; count: number; ms: number }[];
  totalMs: number;
  /** False when the device has no timestamp-query: tfjs then reports 0 for every kernel. */
  timestamps: boolean;
}

type TensorData = { values: unknown; resource: unknown; dtype: string; shape: number[] };
type BackendLike = {
  runWebGPUProgram(program: { outputShape: number[] }, ...rest: unknown[]): unknown;
  checkCompileCompletionAsync(): Promise<void>;
  uploadToGPU(dataId: object): void;
  getBufferData(buffer: { size: number }): Promise<unknown>;
  submitQueue(): void;
  tensorMap: { get(id: object): TensorData };
  queue: { writeBuffer(buffer: unknown, offset: number, data: ArrayBuffer, dataOffset?: number, size?: number): void };
  supportTimestampQuery?: boolean;
};

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 4 };

function webgpuBackend(): BackendLike {
  if (tf.getBackend() !== 'webgpu') throw new Error(`GPU counters need the webgpu backend, not ${tf.getBackend()}`);
  return tf.backend() as unknown as BackendLike;
}

/** Run `f` and count the GPU work it caused. Await everything inside `f` you want counted. */
export async function countGpuWork<T>(f: () => Promise<T>, dry = false): Promise<{ result: T; work: GpuWork }> {
  const be = webgpuBackend();
  const programs = new Map<string, number>();
  const work: GpuWork = {
    dispatches: 0,
    byProgram: [],
    submits: 0,
    uploads: 0,
    uploadBytes: 0,
    uniformBytes: 0,
    readbacks: 0,
    readbackBytes: 0,
  };
  const proto = Object.getPrototypeOf(be) as BackendLike;
  const queue = be.queue;
  const writeBuffer = queue.writeBuffer;
  be.runWebGPUProgram = function (program, ...rest) {
    if (program.outputShape.every((d) => d > 0)) {
      // An empty output returns before dispatching.
      // Bundlers may suffix class names (BinaryOpProgram2): keep tfjs's own.
      const name = (program.constructor.name || 'program').replace(/(Program)\d+$/, '$1');
      programs.set(name, (programs.get(name) ?? 0) + 1);
      work.dispatches++;
    }
    return proto.runWebGPUProgram.call(this, program, ...rest);
  };
  be.uploadToGPU = function (dataId) {
    const d = this.tensorMap.get(dataId);
    if (d.resource == null && d.values != null) {
      work.uploads++;
      work.uploadBytes += (BYTES[d.dtype] ?? 4) * d.shape.reduce((a, b) => a * b, 1);
    }
    proto.uploadToGPU.call(this, dataId);
  };
  be.getBufferData = function (buffer) {
    work.readbacks++;
    work.readbackBytes += buffer.size;
    return dry ? Promise.resolve(new ArrayBuffer(buffer.size)) : proto.getBufferData.call(this, buffer);
  };
  be.submitQueue = function () {
    work.submits++;
    proto.submitQueue.call(this);
  };
  queue.writeBuffer = function (buffer, offset, data, dataOffset, size) {
    work.uniformBytes += size ?? data.byteLength;
    return writeBuffer.call(this, buffer, offset, data, dataOffset, size);
  };
  const flags = tf.env();
  const compileOnly = flags.getBool('WEBGPU_ENGINE_COMPILE_ONLY');
  if (dry) flags.set('WEBGPU_ENGINE_COMPILE_ONLY', true);
  try {
    const result = await f();
    work.byProgram = [...programs].map(([program, count]) => ({ program, count })).sort((a, b) => b.count - a.count);
    return { result, work };
  } finally {
    for (const k of ['runWebGPUProgram', 'uploadToGPU', 'getBufferData', 'submitQueue'] as const)
      delete (be as Partial<BackendLike>)[k];
    queue.writeBuffer = writeBuffer;
    if (dry) {
      flags.set('WEBGPU_ENGINE_COMPILE_ONLY', compileOnly);
      await be.checkCompileCompletionAsync(); // later real dispatches need the compiled pipelines
    }
  }
}

/** Run `f` under tf.profile and sum kernel time by tfjs kernel name. */
export async function kernelTimes(f: () => Promise<unknown>): Promise<KernelTimes> {
  const timestamps = tf.getBackend() === 'webgpu' ? webgpuBackend().supportTimestampQuery === true : true;
  const info = await tf.profile(async () => {
    await f();
    return [];
  });
  const by = new Map<string, { count: number; ms: number }>();
  let totalMs = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const e = by.get(k.name) ?? { count: 0, ms: 0 };
    e.count++;
    e.ms += ms;
    by.set(k.name, e);
    totalMs += ms;
  }
  const byKernel = [...by].map(([kernel, e]) => ({ kernel, ...e })).sort((a, b) => b.ms - a.ms || b.count - a.count);
  return { byKernel, totalMs, timestamps };
}

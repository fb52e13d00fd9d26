/**
 * Full-size checkpoints without copies: `model.safetensors`, or sharded
 * `model-0000N-of-0000M.safetensors` + `model.safetensors.index.json`. `openCheckpoint` reads
 * only the headers and checks them against config.json and the index (bounded time, nothing
 * large allocated); `loadCheckpoint` then reads one tensor at a time, converts F16/BF16 to
 * float32, uploads it to the backend and drops the host copy. The whole file is never in memory.
 */
import { tf } from '../tf';
import { ParamStore } from '../lora/paramStore';
import type { CausalLm } from '../models/causalLm';
import type { ModelSpec } from '../models/family';
import { modelSpec } from '../models/registry';
import { planWeights, type PlannedTensor } from '../models/weightPlan';
import type { SafetensorsDtype } from '../safetensors';
import { UserFacingError, sizeOf } from '../types';
import { backendMemoryLimits } from '../backendLimits';
import type { ByteSource } from './byteSource';
import { decodeTensor } from './decode';
import { readHeader } from './header';
import { INDEX_FILE, MAX_INDEX_BYTES, SHARD_NAME, checkShards, parseShardIndex } from './shardIndex';

export interface CheckpointInput {
  /** config.json, as text or parsed. */
  config: string | unknown;
  /** model.safetensors, or every shard (any order). */
  weights: ByteSource[];
  /** model.safetensors.index.json as text: required with more than one weights file. */
  index?: string;
}

/** One parameter to read: where its bytes are and how they are stored. */
export interface CheckpointTensor extends PlannedTensor {
  file: ByteSource;
  dtype: SafetensorsDtype;
  /** Absolute byte offset in `file`. */
  offset: number;
  /** Bytes in the file. */
  length: number;
}

export interface CheckpointPlan {
  spec: ModelSpec;
  /** Parameters in state_dict order. */
  tensors: CheckpointTensor[];
  /** The dtypes the files store (e.g. ["BF16"]). */
  dtypes: SafetensorsDtype[];
  /** Bytes of tensor data in the files. */
  fileBytes: number;
  /** Bytes of the weights as float32 on the device. */
  float32Bytes: number;
  /** The largest single weight as float32 (what one device buffer must hold). */
  largestTensorBytes: number;
}

const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads a small text file whole (config.json, the index), refusing anything over `max` bytes. */
export async function readText(src: ByteSource, max = MAX_CONFIG_BYTES): Promise<string> {
  if (src.size > max) throw new UserFacingError(`${src.name} is ${src.size} bytes, over the ${max} byte limit`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await src.read(0, src.size));
  } catch (e) {
    if (e instanceof UserFacingError) throw e;
    throw new UserFacingError(`${src.name} is not valid UTF-8 text`);
  }
}

/**
 * Picks a checkpoint's files out of a folder's (any other files are ignored): config.json,
 * model.safetensors or the shards with their index.
 * @throws UserFacingError when config.json or the weights are missing, or only a PyTorch pickle is there.
 */
export async function checkpointFromFolder(files: ByteSource[]): Promise<CheckpointInput> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const config = byName.get('config.json');
  if (!config)
    throw new UserFacingError('config.json is missing: a model folder needs config.json and model.safetensors');
  const index = byName.get(INDEX_FILE);
  const shards = files.filter((f) => SHARD_NAME.test(f.name));
  const single = byName.get('model.safetensors');
  const weights = index ? shards : single ? [single] : shards;
  if (weights.length === 0) {
    if (byName.has('pytorch_model.bin') || byName.has('pytorch_model.bin.index.json'))
      throw new UserFacingError(
        'pytorch_model.bin is a PyTorch pickle: convert the model to safetensors (never unpickled here)',
      );
    throw new UserFacingError(
      'model.safetensors is missing (or the model-0000N-of-0000M.safetensors shards and their index)',
    );
  }
  return { config: await readText(config), weights, index: index ? await readText(index, MAX_INDEX_BYTES) : undefined };
}

/**
 * Reads and checks config.json, every header and the index; allocates nothing large.
 * @throws UserFacingError naming the file, tensor or field that does not fit.
 */
export async function openCheckpoint(input: CheckpointInput): Promise<CheckpointPlan> {
  const spec = modelSpec(input.config);
  if (input.weights.length === 0) throw new UserFacingError('no safetensors file was given');
  if (input.weights.length > 1 && input.index === undefined)
    throw new UserFacingError(
      `${input.weights.length} safetensors files but no ${INDEX_FILE} to say which tensor is where`,
    );
  const names = new Set<string>();
  for (const f of input.weights) {
    if (names.has(f.name)) throw new UserFacingError(`two weights files are named ${f.name}`);
    names.add(f.name);
  }
  const where = new Map<string, { file: ByteSource; dtype: SafetensorsDtype; offset: number; length: number }>();
  const stored = new Map<string, number[]>();
  const shardTensors = new Map<string, string[]>();
  for (const file of input.weights) {
    const header = await readHeader(file);
    shardTensors.set(
      file.name,
      header.entries.map((e) => e.name),
    );
    for (const e of header.entries) {
      if (where.has(e.name))
        throw new UserFacingError(`tensor ${e.name} is in both ${where.get(e.name)!.file.name} and ${file.name}`);
      where.set(e.name, { file, dtype: e.dtype, offset: header.dataStart + e.begin, length: e.end - e.begin });
      stored.set(e.name, e.shape);
    }
  }
  if (input.index !== undefined) checkShards(parseShardIndex(input.index), shardTensors);
  const plan = planWeights(spec.naming(), stored);
  const tensors = plan.map((p) => ({ ...p, ...where.get(p.source)! }));
  const f32 = tensors.map((t) => 4 * sizeOf(t.shape));
  return {
    spec,
    tensors,
    dtypes: [...new Set(tensors.map((t) => t.dtype))],
    fileBytes: tensors.reduce((n, t) => n + t.length, 0),
    float32Bytes: f32.reduce((a, b) => a + b, 0),
    largestTensorBytes: Math.max(...f32),
  };
}

export interface LoadOptions {
  /** Variables for full fine-tuning instead of frozen tensors. Default false. */
  trainable?: boolean;
  /** Called after each tensor with bytes read so far and the total. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** wasm: bytes read per block while streaming a tensor into the heap. Default 8 MiB. */
  chunkBytes?: number;
}

const MiB = (b: number) => `${Math.ceil(b / 1024 / 1024)} MiB`;

/** Refuses weights the backend cannot hold at all (the training estimate is the caller's, before this). */
function checkFits(plan: CheckpointPlan): void {
  const limits = backendMemoryLimits();
  if (limits.maxTotalBytes !== null && plan.float32Bytes > limits.maxTotalBytes) {
    throw new UserFacingError(
      `The weights alone need ${MiB(plan.float32Bytes)} as float32, over the ${MiB(limits.maxTotalBytes)} ${limits.backend} can hold: try another backend or a smaller model.`,
    );
  }
  if (limits.maxBufferBytes !== null && plan.largestTensorBytes > limits.maxBufferBytes) {
    throw new UserFacingError(
      `The largest weight needs ${MiB(plan.largestTensorBytes)} in one buffer, over ${limits.backend}'s ${MiB(limits.maxBufferBytes)} limit: try another backend (wasm holds up to 4 GiB in all).`,
    );
  }
}

/** webgpu and webgl upload lazily and keep the host array until then: upload now, let it go. */
function uploadNow(t: tf.Tensor): void {
  (tf.backend() as { uploadToGPU?: (dataId: object) => void }).uploadToGPU?.(t.dataId);
}

/** What the wasm backend offers to write a tensor's memory directly (tfjs-backend-wasm 4.22). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: object): void;
}
interface EngineMake {
  makeTensorFromTensorInfo(info: tf.TensorInfo): tf.Tensor;
}

/** Rows read at once when streaming into the wasm heap. */
const STREAM_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * wasm: allocate the tensor in the heap and fill it from the file in row blocks (transposing on
 * the way when the device layout is the transpose), so no host copy of the tensor ever exists.
 */
async function streamIntoWasm(t: CheckpointTensor, transposed: boolean, chunkBytes: number): Promise<tf.Tensor> {
  const be = tf.backend() as unknown as WasmBackend;
  const rows = t.shape.length === 2 ? t.shape[0] : 1;
  const cols = sizeOf(t.shape) / Math.max(rows, 1);
  const deviceShape = transposed ? [t.shape[1], t.shape[0]] : [...t.shape];
  const info = be.makeOutput(deviceShape, 'float32');
  try {
    const bpv = t.length / Math.max(1, sizeOf(t.shape));
    const step = Math.max(1, Math.floor(chunkBytes / Math.max(1, cols * bpv)));
    for (let r0 = 0; r0 < rows; r0 += step) {
      const n = Math.min(step, rows - r0);
      const values = decodeTensor(await t.file.read(t.offset + r0 * cols * bpv, n * cols * bpv), t.dtype, n * cols);
      const heap = be.typedArrayFromHeap(info); // after the await: the heap may have grown
      if (!transposed) heap.set(values, r0 * cols);
      else for (let r = 0; r < n; r++) for (let c = 0; c < cols; c++) heap[c * rows + r0 + r] = values[r * cols + c];
    }
  } catch (e) {
    be.disposeData(info.dataId);
    throw e;
  }
  return (tf.engine() as unknown as EngineMake).makeTensorFromTensorInfo(info);
}

async function uploadTensor(plan: CheckpointPlan, t: CheckpointTensor, chunkBytes: number): Promise<tf.Tensor> {
  if (tf.getBackend() === 'wasm' && sizeOf(t.shape) > 0)
    return streamIntoWasm(t, plan.spec.transposedOnDevice(t.name), chunkBytes);
  const bytes = await t.file.read(t.offset, t.length);
  const host = plan.spec.toComputeLayout(t.name, {
    shape: t.shape,
    data: decodeTensor(bytes, t.dtype, sizeOf(t.shape)),
  });
  const tensor = tf.tensor(host.data, host.shape, 'float32');
  uploadNow(tensor);
  return tensor;
}

/**
 * Reads the planned tensors one by one onto the current backend and builds the model. On wasm
 * each tensor is streamed into its place in the heap in 8 MiB blocks; elsewhere peak host memory
 * is about two copies of the largest tensor. Nothing is left on the host. On any error every
 * tensor made so far is disposed.
 */
export async function loadCheckpoint(plan: CheckpointPlan, opts: LoadOptions = {}): Promise<CausalLm> {
  checkFits(plan);
  const made = new Map<string, tf.Tensor>();
  let done = 0;
  try {
    for (const t of plan.tensors) {
      made.set(t.name, await uploadTensor(plan, t, opts.chunkBytes ?? STREAM_CHUNK_BYTES));
      done += t.length;
      opts.onProgress?.(done, plan.fileBytes);
    }
    return plan.spec.fromStore(ParamStore.fromTensors(made, opts.trainable ?? false));
  } catch (e) {
    for (const t of made.values()) t.dispose();
    throw e;
  }
}

/**
 * A base checkpoint of any family the registry knows, opened for an LmSession: config.json
 * parsed by its family (named errors, bounds), the closed-form size limits checked, the
 * tokenizer read and matched to the vocabulary, then the weights loaded: whole from bytes, or
 * tensor by tensor from blobs (the streaming loader: sharded, F16/BF16, no copy of the file).
 */
import { blobSource, bytesSource, type ByteSource } from '../checkpoint/byteSource';
import { checkpointFromFolder, loadCheckpoint, openCheckpoint } from '../checkpoint/open';
import { assertModelFits } from '../limits';
import { limitDimsExact } from '../models/limitDims';
import type { CausalLm } from '../models/causalLm';
import type { ModelSpec } from '../models/family';
import { modelSpec } from '../models/registry';
import { failIfOtherKind, readSafetensors } from '../safetensors';
import { readTokenizer } from '../tokenizer/readTokenizer';
import type { TextTokenizer } from '../tokenizer/types';
import { UserFacingError } from '../types';
import type { BaseFiles } from './types';

export interface OpenedBase {
  spec: ModelSpec;
  model: CausalLm;
  tokenizer: TextTokenizer;
  /** Bytes of the weights files. */
  weightBytes: number;
  /** How the files store the weights, e.g. ["F32"] or ["BF16"]. */
  dtypes: string[];
}

function checkTokenizer(tokenizer: TextTokenizer, spec: ModelSpec): void {
  if (tokenizer.vocabSize > spec.dims.vocabSize) {
    throw new UserFacingError(
      `tokenizer.json has ${tokenizer.vocabSize} tokens but the model's vocab_size is ${spec.dims.vocabSize}: they do not belong together`,
    );
  }
}

/**
 * Opens a base whose weights are bytes (one model.safetensors), synchronously.
 * @throws UserFacingError naming the file and field at fault; nothing stays allocated.
 */
export function openBaseBytes(files: BaseFiles): OpenedBase {
  if (!(files.weights instanceof Uint8Array))
    throw new UserFacingError('these weights stream from files: open them with LmSession.load');
  const weights = files.weights;
  const spec = modelSpec(files.config);
  failIfOtherKind(weights); // named as what it is (an LFS pointer, a pickle) before sizes are compared
  assertModelFits(limitDimsExact(spec), weights.byteLength);
  const tokenizer = readTokenizer(files.tokenizer, files.tokenizerConfig);
  checkTokenizer(tokenizer, spec);
  const file = readSafetensors(weights);
  const dtypes = [...new Set([...file.tensors.values()].map((t) => t.dtype))];
  return { spec, model: spec.fromWeights(file.tensors), tokenizer, weightBytes: weights.byteLength, dtypes };
}

/**
 * Opens a base of any size: weights as blobs stream tensor by tensor into the backend (headers
 * and the shard index are checked first); bytes are opened as by openBaseBytes.
 * @param onProgress bytes read so far and in all, after each tensor
 */
export async function openBase(
  files: BaseFiles,
  onProgress?: (done: number, total: number) => void,
): Promise<OpenedBase> {
  if (files.weights instanceof Uint8Array) return openBaseBytes(files);
  const text = (t: string, name: string) => bytesSource(new TextEncoder().encode(t), name);
  const sources: ByteSource[] = [
    text(files.config, 'config.json'),
    ...files.weights.map((w) => blobSource(w.blob, w.name)),
  ];
  if (files.index !== undefined) sources.push(text(files.index, 'model.safetensors.index.json'));
  const plan = await openCheckpoint(await checkpointFromFolder(sources));
  assertModelFits(limitDimsExact(plan.spec), plan.fileBytes);
  const tokenizer = readTokenizer(files.tokenizer, files.tokenizerConfig);
  checkTokenizer(tokenizer, plan.spec);
  const model = await loadCheckpoint(plan, { onProgress });
  return { spec: plan.spec, model, tokenizer, weightBytes: plan.fileBytes, dtypes: plan.dtypes };
}

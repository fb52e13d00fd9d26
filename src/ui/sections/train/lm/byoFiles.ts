/**
 * "Load your own model": which picked file is which (a Hugging Face folder of any supported
 * family: one model.safetensors or its shards with the index), and what the checkpoint is and
 * will take, from config.json, the file sizes and the safetensors headers before anything is
 * loaded.
 */
import { blobSource } from '../../../../engine/checkpoint/byteSource';
import { describeCheckpoint, type CheckpointDescription } from '../../../../engine/checkpoint/describe';
import { checkpointFromFolder, openCheckpoint } from '../../../../engine/checkpoint/open';
import { assertModelFits } from '../../../../engine/limits';
import { limitDimsExact } from '../../../../engine/models/limitDims';
import { modelSpec } from '../../../../engine/models/registry';
import { RUN_DEFAULTS } from '../../../../engine/session/defaults';
import type { BaseFiles } from '../../../../engine/session/types';

/** Weights larger than this (bytes, as float32) are loaded only after the learner confirms. */
export const ASK_ABOVE_BYTES = 300e6;

const SHARD = /^model-\d{5}-of-\d{5}\.safetensors$/;
const INDEX = 'model.safetensors.index.json';
const NAMED = new Set(['config.json', 'model.safetensors', INDEX, 'tokenizer.json', 'tokenizer_config.json']);

export interface FileLike {
  name: string;
  size: number;
}

export interface SortedFiles<F extends FileLike> {
  config?: F;
  tokenizer?: F;
  tokenizerConfig?: F;
  /** model.safetensors, or the shards (in name order) when there are any. */
  weights: F[];
  index?: F;
  /** What a checkpoint needs and was not among the files. */
  missing: string[];
  /** Files that are none of the above (ignored, and said so). */
  ignored: string[];
}

/** Sort the picked or dropped files (or a folder's) by their Hugging Face names; the last one of a name wins. */
export function sortFiles<F extends FileLike>(files: readonly F[]): SortedFiles<F> {
  const byName = new Map<string, F>();
  const shards = new Map<string, F>();
  const ignored: string[] = [];
  for (const f of files) {
    if (NAMED.has(f.name)) byName.set(f.name, f);
    else if (SHARD.test(f.name)) shards.set(f.name, f);
    else ignored.push(f.name);
  }
  const single = byName.get('model.safetensors');
  const weights = shards.size > 0 ? [...shards.keys()].sort().map((n) => shards.get(n)!) : single ? [single] : [];
  const index = byName.get(INDEX);
  const missing = [
    ...(byName.has('config.json') ? [] : ['config.json']),
    ...(weights.length ? [] : ['model.safetensors']),
    ...(weights.length > 1 && !index ? [INDEX] : []),
    ...(byName.has('tokenizer.json') ? [] : ['tokenizer.json']),
  ];
  return {
    config: byName.get('config.json'),
    tokenizer: byName.get('tokenizer.json'),
    tokenizerConfig: byName.get('tokenizer_config.json'),
    weights,
    index: weights.length > 1 ? index : undefined,
    missing,
    ignored,
  };
}

export interface MemoryEstimate extends CheckpointDescription {
  /** True when the learner should confirm before loading. */
  large: boolean;
}

/** The step the estimate is for: the Train page's default rank, batch and sequence length. */
const RUN = { rank: RUN_DEFAULTS.lora.r ?? 8, batch: RUN_DEFAULTS.batch, seq: RUN_DEFAULTS.seq };

/**
 * Family, sizes, dtypes and the memory estimate of picked checkpoint files. config.json is
 * checked against the limits from its numbers and the files' sizes first (microseconds, so an
 * absurd config never has its headers read), then every header and the shard index.
 * @throws UserFacingError naming the file and field at fault
 */
export async function inspectCheckpoint(
  configText: string,
  sorted: SortedFiles<File>,
  indexText?: string,
): Promise<MemoryEstimate> {
  const spec = modelSpec(configText);
  assertModelFits(
    limitDimsExact(spec),
    sorted.weights.reduce((n, f) => n + f.size, 0),
  );
  const sources = [
    blobSource(new Blob([configText]), 'config.json'),
    ...sorted.weights.map((f) => blobSource(f, f.name)),
    ...(indexText !== undefined ? [blobSource(new Blob([indexText]), INDEX)] : []),
  ];
  const d = describeCheckpoint(await openCheckpoint(await checkpointFromFolder(sources)), RUN);
  return { ...d, large: d.loadedBytes > ASK_ABOVE_BYTES };
}

/** The files as the Worker loads them: weights streamed from the File objects, tensor by tensor. */
export async function baseFilesOf(name: string, sorted: SortedFiles<File>): Promise<BaseFiles> {
  const [config, tokenizer, tokenizerConfig, index] = await Promise.all([
    sorted.config!.text(),
    sorted.tokenizer!.text(),
    sorted.tokenizerConfig?.text(),
    sorted.index?.text(),
  ]);
  return {
    name,
    config,
    weights: sorted.weights.map((f) => ({ name: f.name, blob: f })),
    ...(index !== undefined ? { index } : {}),
    tokenizer,
    ...(tokenizerConfig !== undefined ? { tokenizerConfig } : {}),
  };
}

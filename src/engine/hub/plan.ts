/**
 * Which files of a Hub repo to fetch, decided from the repo's file listing alone (pure: no
 * network). A model here is config.json + tokenizer.json (+ tokenizer_config.json and
 * generation_config.json where present) + safetensors weights: model.safetensors, or the shards
 * that model.safetensors.index.json names. The index is validated before any shard is fetched.
 */
import { HubError } from './hubErrors';
import type { FileRole, PlannedFile } from './manifest';

/** One entry of the Hub's tree listing (`/api/models/<repo>/tree/<rev>`), as @huggingface/hub yields it. */
export interface ListedFile {
  type: 'file' | 'directory' | 'unknown';
  path: string;
  size: number;
  oid?: string;
  lfs?: { oid: string; size: number };
}

/** The model families the trainer loads (config.json's model_type). */
export const SUPPORTED_MODEL_TYPES = ['gpt2', 'llama', 'qwen2'] as const;

/** Upper bounds checked against the listing before fetching a small file whole into memory. */
export const SMALL_FILE_LIMITS: Record<Exclude<FileRole, 'weights'>, number> = {
  config: 1 << 20,
  generationConfig: 1 << 20,
  tokenizerConfig: 16 << 20,
  tokenizer: 64 << 20, // Gemma's tokenizer.json is ~33 MiB; the short list's are 1–7 MiB
  weightIndex: 32 << 20, // a 405B model's index is well under 1 MiB
};

/** At most this many shards (the largest public checkpoints have a few hundred). */
export const MAX_SHARDS = 4096;

const INDEX = 'model.safetensors.index.json';
const SINGLE = 'model.safetensors';
/** A shard is a plain file name in the repo's root: no folders, no "..", no hidden files. */
const SHARD_NAME = /^[A-Za-z0-9_][\w.-]{0,199}\.safetensors$/;

export type WeightsPlan = { kind: 'single'; file: PlannedFile } | { kind: 'sharded'; index: PlannedFile };

export interface FileChoice {
  config: PlannedFile;
  tokenizer: PlannedFile;
  tokenizerConfig: PlannedFile | null;
  generationConfig: PlannedFile | null;
  weights: WeightsPlan;
}

function planned(f: ListedFile, role: FileRole): PlannedFile {
  return { name: f.path, role, size: f.lfs?.size ?? f.size, oid: f.lfs?.oid ?? f.oid ?? null };
}

/** The repo's root files by name (the listing is not recursive: everything needed is at the root). */
export function byName(listing: ListedFile[]): Map<string, ListedFile> {
  const out = new Map<string, ListedFile>();
  for (const f of listing) if (f.type === 'file' && !f.path.includes('/')) out.set(f.path, f);
  return out;
}

function checkSmall(f: PlannedFile): PlannedFile {
  const limit = SMALL_FILE_LIMITS[f.role as Exclude<FileRole, 'weights'>];
  if (!Number.isSafeInteger(f.size) || f.size < 0 || f.size > limit) {
    throw new HubError('bad-index', `${f.name} is listed at ${f.size} bytes, more than a ${f.name} can sensibly be.`);
  }
  return f;
}

/**
 * Picks the files to fetch, or throws a HubError saying why this repo cannot be used: no
 * safetensors (with its own message when there are only PyTorch .bin or GGUF weights), no
 * config.json, no tokenizer.json.
 */
export function chooseFiles(repo: string, listing: ListedFile[]): FileChoice {
  const files = byName(listing);
  const names = [...files.keys()];
  const get = (name: string, role: FileRole) => {
    const f = files.get(name);
    return f ? checkSmall(planned(f, role)) : null;
  };
  let weights: WeightsPlan;
  const single = files.get(SINGLE);
  const index = files.get(INDEX);
  if (single) weights = { kind: 'single', file: planned(single, 'weights') };
  else if (index) weights = { kind: 'sharded', index: checkSmall(planned(index, 'weightIndex')) };
  else if (names.some((n) => n.endsWith('.bin') || n.endsWith('.pt') || n.endsWith('.pth'))) {
    throw new HubError(
      'pickle-only',
      `${repo} has only PyTorch .bin weights, no safetensors. A .bin file is a Python pickle, which a web page cannot read (and should not: loading one can run code). Look for a copy of this model with model.safetensors.`,
    );
  } else if (names.some((n) => n.endsWith('.gguf'))) {
    throw new HubError(
      'gguf-only',
      `${repo} has only GGUF weights (quantized, for llama.cpp-style inference), no safetensors. LoRA training here needs the original weights in model.safetensors: look for the model this GGUF was made from.`,
    );
  } else {
    throw new HubError('no-safetensors', `${repo} has no model.safetensors and no ${INDEX} at its root.`);
  }
  const config = get('config.json', 'config');
  if (!config) throw new HubError('no-config', `${repo} has no config.json, so its architecture is unknown.`);
  const tokenizer = get('tokenizer.json', 'tokenizer');
  if (!tokenizer) {
    const legacy = names.includes('vocab.json') || names.includes('tokenizer.model');
    throw new HubError(
      'no-tokenizer',
      `${repo} has no tokenizer.json${legacy ? ' (only the older vocab.json / tokenizer.model files, which this app does not read)' : ''}.`,
    );
  }
  return {
    config,
    tokenizer,
    tokenizerConfig: get('tokenizer_config.json', 'tokenizerConfig'),
    generationConfig: get('generation_config.json', 'generationConfig'),
    weights,
  };
}

/**
 * The shards model.safetensors.index.json names, checked against the listing: a JSON object
 * whose weight_map maps tensor names to shard file names; every shard a plain root file name
 * that the repo lists with a size; metadata.total_size (tensor bytes) no more than the shards
 * hold. Returns the shards sorted by name.
 */
export function shardsFromIndex(repo: string, text: string, listing: ListedFile[]): PlannedFile[] {
  const bad = (why: string) => new HubError('bad-index', `${repo}'s ${INDEX} ${why}`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw bad('is not valid JSON.');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('is not a JSON object.');
  const map = (v as { weight_map?: unknown }).weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw bad('has no "weight_map" object.');
  const shardNames = new Set<string>();
  let tensors = 0;
  for (const shard of Object.values(map)) {
    tensors++;
    if (typeof shard !== 'string') throw bad('maps a tensor to something other than a file name.');
    if (!shardNames.has(shard)) {
      if (!SHARD_NAME.test(shard) || shard.includes('..') || shard === SINGLE) {
        throw bad(
          `names a shard "${shard.slice(0, 80)}" that is not a plain .safetensors file name in the repo's root.`,
        );
      }
      shardNames.add(shard);
      if (shardNames.size > MAX_SHARDS) throw bad(`names more than ${MAX_SHARDS} shards.`);
    }
  }
  if (tensors === 0) throw bad('maps no tensors.');
  const files = byName(listing);
  const shards = [...shardNames].sort().map((name) => {
    const f = files.get(name);
    if (!f) throw bad(`names ${name}, which the repo does not have.`);
    return planned(f, 'weights');
  });
  const held = shards.reduce((a, s) => a + s.size, 0);
  const meta = (v as { metadata?: { total_size?: unknown } }).metadata;
  const total = meta?.total_size;
  if (total !== undefined && (typeof total !== 'number' || !(total >= 0) || total > held)) {
    throw bad(`says total_size ${String(total)} bytes of tensors, but its shards hold ${held} bytes.`);
  }
  return shards;
}

/**
 * config.json's model_type, checked to be a family the trainer loads; a HubError
 * ('unsupported-family') naming it otherwise.
 */
export function checkFamily(repo: string, configText: string): { modelType: string; config: Record<string, unknown> } {
  let v: unknown;
  try {
    v = JSON.parse(configText);
  } catch {
    throw new HubError('no-config', `${repo}'s config.json is not valid JSON.`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new HubError('no-config', `${repo}'s config.json is not a JSON object.`);
  }
  const type = (v as { model_type?: unknown }).model_type;
  if (typeof type !== 'string' || !(SUPPORTED_MODEL_TYPES as readonly string[]).includes(type)) {
    const named = typeof type === 'string' ? `model_type "${type.slice(0, 60)}"` : 'no model_type';
    throw new HubError(
      'unsupported-family',
      `${repo} is a model this app cannot train yet: its config.json has ${named}. Supported: ${SUPPORTED_MODEL_TYPES.join(', ')}.`,
    );
  }
  return { modelType: type, config: v as Record<string, unknown> };
}

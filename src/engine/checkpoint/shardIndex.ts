/**
 * `model.safetensors.index.json` (transformers' sharded checkpoints): `{"metadata": {...},
 * "weight_map": {"<tensor>": "model-00001-of-00002.safetensors", …}}`. Checked against the
 * shards' own headers before any tensor is read: every listed shard is present, every tensor
 * sits in the shard the index names, none is missing or in two shards.
 */
import { UserFacingError } from '../types';

export const INDEX_FILE = 'model.safetensors.index.json';
/** transformers' shard names: model-00001-of-00003.safetensors. */
export const SHARD_NAME = /^model-(\d{5})-of-(\d{5})\.safetensors$/;
/** Index files above this are refused before parsing (a 405B model's is ~100 KB). */
export const MAX_INDEX_BYTES = 16 * 1024 * 1024;

const short = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
const fail = (m: string): never => {
  throw new UserFacingError(`${INDEX_FILE}: ${m}`);
};

/** Parses the index's weight_map: tensor name → shard file name. */
export function parseShardIndex(text: string): Map<string, string> {
  if (text.length > MAX_INDEX_BYTES)
    fail(`is ${text.length} bytes, over the ${MAX_INDEX_BYTES / 1024 / 1024} MB limit`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('must hold a JSON object');
  const map = (json as Record<string, unknown>).weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) fail('has no "weight_map" object');
  const out = new Map<string, string>();
  for (const [tensor, file] of Object.entries(map as Record<string, unknown>)) {
    if (typeof file !== 'string' || !file.endsWith('.safetensors') || /[\\/]/.test(file)) {
      fail(
        `weight_map gives tensor ${short(tensor)} the file ${short(String(file))}; expected a .safetensors file name`,
      );
    }
    out.set(tensor, file as string);
  }
  if (out.size === 0) fail('weight_map is empty');
  return out;
}

/**
 * Checks the index against what the shards hold.
 * @param shards shard file name → the tensor names its header lists
 * @throws UserFacingError for a shard the index names but was not given, a given shard the
 *   index never names, a tensor in a shard other than the indexed one, in two shards, listed
 *   but absent, or present but not listed.
 */
export function checkShards(index: Map<string, string>, shards: Map<string, readonly string[]>): void {
  const problems: string[] = [];
  const named = new Set(index.values());
  const missingShards = [...named].filter((f) => !shards.has(f));
  if (missingShards.length)
    problems.push(
      `names ${missingShards.map(short).join(', ')}, which ${missingShards.length > 1 ? 'were' : 'was'} not given`,
    );
  for (const f of shards.keys()) if (!named.has(f)) problems.push(`never names the given shard ${short(f)}`);
  const seen = new Map<string, string>();
  for (const [file, tensors] of shards) {
    for (const t of tensors) {
      const other = seen.get(t);
      if (other !== undefined) problems.push(`tensor ${short(t)} is in both ${short(other)} and ${short(file)}`);
      seen.set(t, file);
      const listed = index.get(t);
      if (listed === undefined) problems.push(`does not list tensor ${short(t)} (found in ${short(file)})`);
      else if (listed !== file && shards.has(listed))
        problems.push(`puts tensor ${short(t)} in ${short(listed)}, but it is in ${short(file)}`);
    }
  }
  for (const [t, file] of index) {
    if (shards.has(file) && !seen.has(t))
      problems.push(`lists tensor ${short(t)} in ${short(file)}, which does not hold it`);
  }
  if (problems.length) {
    const head = problems.slice(0, 4).join('; ');
    fail(`${head}${problems.length > 4 ? `; and ${problems.length - 4} more problems` : ''}`);
  }
}

/**
 * Sharded safetensors (model-0000N-of-0000M.safetensors + model.safetensors.index.json) as one
 * model.safetensors Blob, for a loader that takes a single file. Only the headers are read (each
 * bounded by MAX_HEADER_BYTES); the joined Blob is a new header followed by slices of the shards'
 * own Blobs, so no tensor byte is copied and disk-backed shards stay on disk until the loader
 * reads them. The loader then validates the joined file in full (shapes, offsets, dtypes).
 */
import { MAX_HEADER_BYTES } from '../safetensors';
import { UserFacingError } from '../types';

interface ShardHeader {
  dataStart: number;
  tensors: [string, { dtype: unknown; shape: unknown; data_offsets: [number, number] }][];
  metadata: Record<string, unknown> | null;
}

async function readHeader(name: string, blob: Blob): Promise<ShardHeader> {
  const bad = (why: string) => new UserFacingError(`${name}: ${why}`);
  if (blob.size < 8) throw bad(`${blob.size} bytes is too short for a safetensors file`);
  const n = new DataView(await blob.slice(0, 8).arrayBuffer()).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw bad(`header length ${n} bytes exceeds the 8 MiB limit`);
  if (8n + n > BigInt(blob.size)) throw bad(`header length ${n} bytes runs past the end of the file`);
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(await blob.slice(8, 8 + Number(n)).arrayBuffer()),
    );
  } catch {
    throw bad('the header is not valid UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw bad('the header is not a JSON object');
  const dataStart = 8 + Number(n);
  const dataBytes = blob.size - dataStart;
  const tensors: ShardHeader['tensors'] = [];
  let metadata: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(header as Record<string, unknown>)) {
    if (key === '__metadata__') {
      if (typeof value === 'object' && value !== null) metadata = value as Record<string, unknown>;
      continue;
    }
    const offsets = (value as { data_offsets?: unknown } | null)?.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0 && (o as number) <= dataBytes) ||
      (offsets[0] as number) > (offsets[1] as number)
    ) {
      throw bad(
        `tensor ${JSON.stringify(key.slice(0, 80))} has data_offsets outside the file's ${dataBytes} data bytes`,
      );
    }
    const v = value as { dtype: unknown; shape: unknown };
    tensors.push([key, { dtype: v.dtype, shape: v.shape, data_offsets: [offsets[0] as number, offsets[1] as number] }]);
  }
  return { dataStart, tensors, metadata };
}

function weightMap(indexText: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(indexText);
  } catch {
    throw new UserFacingError('model.safetensors.index.json is not valid JSON');
  }
  const map = (v as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new UserFacingError('model.safetensors.index.json has no "weight_map" object');
  }
  return map as Record<string, unknown>;
}

/**
 * One safetensors Blob from the shards (in the order given) and the index that maps each tensor
 * to its shard. A single file is returned as it is.
 * @param shards file name → Blob (shards in order; one entry for an unsharded model)
 * @param indexText model.safetensors.index.json's text (required with more than one shard)
 * @throws UserFacingError when a header is malformed, a tensor is in two shards, or a tensor is
 *   not where the index says (or the index names one no shard holds).
 */
export async function joinShards(shards: ReadonlyMap<string, Blob>, indexText?: string): Promise<Blob> {
  const entries = [...shards];
  if (entries.length === 0) throw new UserFacingError('no safetensors file to load');
  if (entries.length === 1) return entries[0][1];
  if (indexText === undefined) {
    throw new UserFacingError(`${entries.length} safetensors shards but no model.safetensors.index.json`);
  }
  const map = weightMap(indexText);
  const header: Record<string, unknown> = {};
  const where = new Map<string, string>();
  const parts: Blob[] = [];
  let base = 0;
  let metadata: Record<string, unknown> = { format: 'pt' };
  for (const [name, blob] of entries) {
    const h = await readHeader(name, blob);
    if (h.metadata && parts.length === 0) metadata = h.metadata;
    for (const [key, t] of h.tensors) {
      const other = where.get(key);
      if (other !== undefined)
        throw new UserFacingError(`tensor ${JSON.stringify(key)} is in both ${other} and ${name}`);
      if (map[key] !== name) {
        throw new UserFacingError(
          `${name} holds ${JSON.stringify(key)}, but model.safetensors.index.json puts it in ${String(map[key] ?? 'no shard')}`,
        );
      }
      where.set(key, name);
      header[key] = { ...t, data_offsets: [base + t.data_offsets[0], base + t.data_offsets[1]] };
    }
    const data = blob.slice(h.dataStart);
    parts.push(data);
    base += data.size;
  }
  for (const [key, shard] of Object.entries(map)) {
    if (!where.has(key))
      throw new UserFacingError(
        `model.safetensors.index.json puts ${JSON.stringify(key)} in ${String(shard)}, which does not hold it`,
      );
  }
  // Padded with spaces to a multiple of 8 bytes, as the safetensors writers do (data stays aligned).
  const raw = new TextEncoder().encode(JSON.stringify({ __metadata__: metadata, ...header }));
  const text = new Uint8Array(Math.ceil(raw.byteLength / 8) * 8).fill(0x20);
  text.set(raw);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(text.byteLength), true);
  return new Blob([prefix, text, ...parts]);
}

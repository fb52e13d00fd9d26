/**
 * safetensors reader and writer (format: `[u64 LE N][N bytes UTF-8 JSON header][raw data]`).
 *
 * The reader treats its input as hostile: every length, offset, shape and dtype comes from a file
 * someone uploaded, so each is checked before use and every problem becomes a UserFacingError that
 * names the tensor. F16 and BF16 are widened to F32; nothing else is accepted. Output arrays are
 * fresh copies, never views of the input.
 */
import { decodeTensor, f16BitsToNumber, type SafetensorsDtype } from './checkpoint/decode';
import { sniffFileKind, wrongKindMessage } from './fileKind';
import { nestingDepth } from './jsonDepth';
import type { HostTensor, TensorMap } from './types';
import { UserFacingError, sizeOf } from './types';

export type { SafetensorsDtype };

export interface SafetensorsFile {
  /** Tensors in header order, data widened to F32; `dtype` is what the file stored. */
  tensors: Map<string, HostTensor & { dtype: SafetensorsDtype }>;
  metadata: Record<string, string>;
}

/**
 * Headers above this are refused. The reference implementation allows 100 MB, but parsing that
 * takes seconds; 8 MiB is ~70,000 tensor entries, far beyond any model a browser tab can hold
 * (1,024 layers × ~16 tensors), and parses in well under a second.
 */
export const MAX_HEADER_BYTES = 8 * 1024 * 1024;
/** A safetensors header nests 3 levels (header → entry → shape); deeper JSON is refused before parsing. */
const MAX_HEADER_DEPTH = 8;

const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };
/** Dtypes the format defines but this app cannot use: named in a specific message. */
const UNSUPPORTED_DTYPES = new Set([
  'F64',
  'I64',
  'I32',
  'I16',
  'I8',
  'U64',
  'U32',
  'U16',
  'U8',
  'BOOL',
  'C64',
  'F8_E4M3',
  'F8_E5M2',
  'F8_E8M0',
  'F6_E2M3',
  'F6_E3M2',
  'F4',
]);
export { f16BitsToNumber };

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function fail(message: string): never {
  throw new UserFacingError(`Invalid safetensors file: ${message}`);
}

/** A name for messages: untrusted names can be megabytes long. */
const label = (name: string): string => JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);

/** Plain assignment would treat "__proto__" as the prototype setter and drop the entry. */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A short description of an untrusted JSON value (JSON.stringify could recurse without bound). */
function brief(v: unknown): string {
  if (Array.isArray(v)) {
    return v.length <= 8 && v.every((x) => typeof x !== 'object' || x === null)
      ? `[${v.map((x) => (typeof x === 'string' ? JSON.stringify(x.slice(0, 20)) : String(x))).join(', ')}]`
      : `an array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  }
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 40));
  return String(v);
}

const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Scans a JSON text that JSON.parse already accepted for the top-level keys in file order and the
 * first duplicate key in any object (JSON.parse silently keeps the last one; it also moves
 * integer-like keys first, so the parsed object's order is not the file's). Iterative, so deep
 * nesting cannot overflow the stack. `duplicate` is [owning top-level key or '', key].
 */
function scanKeys(json: string): { order: string[]; duplicate: [string, string] | null } {
  const order: string[] = [];
  const stack: { keys: Set<string> | null; owner: string }[] = [];
  let lastKey = '';
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const owner = stack.length === 1 ? lastKey : (stack[stack.length - 1]?.owner ?? '');
      stack.push({ keys: c === 0x7b ? new Set() : null, owner });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; json.charCodeAt(i) !== 0x22; i++) {
        if (json.charCodeAt(i) === 0x5c) {
          escaped = true;
          i++;
        }
      }
      let j = i + 1;
      while (j < json.length && isJsonSpace(json.charCodeAt(j))) j++;
      const top = stack[stack.length - 1];
      if (json.charCodeAt(j) === 0x3a /* : */ && top?.keys) {
        // Only an escaped key needs decoding; slicing the rest keeps 10⁵ keys fast.
        const key = escaped ? (JSON.parse(json.slice(start, i + 1)) as string) : json.slice(start + 1, i);
        if (top.keys.has(key)) return { order, duplicate: [stack.length === 1 ? '' : top.owner, key] };
        top.keys.add(key);
        if (stack.length === 1) {
          lastKey = key;
          order.push(key);
        }
      }
    }
  }
  return { order, duplicate: null };
}

/** One tensor's header entry; `begin`/`end` are byte offsets from the start of the data. */
export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}
type Entry = SafetensorsEntry;

function checkEntry(name: string, value: unknown, dataBytes: number): Entry {
  const where = `tensor ${label(name)}`;
  if (!isRecord(value))
    fail(`${where}: header entry is ${brief(value)}, expected an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = value;
  for (const key of ['dtype', 'shape', 'data_offsets']) {
    if (value[key] === undefined) fail(`${where}: "${key}" is missing from its header entry`);
  }
  if (typeof dtype !== 'string') fail(`${where}: "dtype" is missing or not a string`);
  if (UNSUPPORTED_DTYPES.has(dtype))
    fail(`${where}: unsupported dtype ${dtype} (only F32, F16 and BF16 can be loaded)`);
  if (!Object.hasOwn(DTYPE_BYTES, dtype)) fail(`${where}: unknown dtype "${dtype.slice(0, 40)}"`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    fail(`${where}: "shape" must be an array of non-negative integers, got ${brief(shape)}`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)
  ) {
    fail(`${where}: "data_offsets" must be two non-negative integers [begin, end], got ${brief(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`${where}: data_offsets end ${end} is before begin ${begin}`);
  if (end > dataBytes)
    fail(`${where}: data_offsets [${begin}, ${end}] run past the end of the data (${dataBytes} bytes)`);
  const bytesPerValue = DTYPE_BYTES[dtype as SafetensorsDtype];
  // BigInt: a hostile shape can multiply past 2^53.
  const expected = (shape as number[]).reduce((a, d) => a * BigInt(d), 1n) * BigInt(bytesPerValue);
  if (expected !== BigInt(end - begin)) {
    fail(
      `${where}: shape [${(shape as number[]).join(', ')}] × ${bytesPerValue} bytes (${dtype}) = ${expected} bytes, but data_offsets span ${end - begin} bytes`,
    );
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end };
}

function checkLayout(entries: Entry[], dataBytes: number): void {
  // Sort by (begin, end) so zero-byte tensors sitting at a boundary are not counted as overlaps.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: Entry | null = null;
  for (const e of sorted) {
    if (e.begin < cursor)
      fail(`tensor ${label(e.name)} overlaps tensor ${label(previous?.name ?? '')} (bytes ${e.begin}–${cursor})`);
    if (e.begin > cursor)
      fail(`gap of ${e.begin - cursor} bytes before tensor ${label(e.name)} (data must be contiguous)`);
    cursor = e.end;
    previous = e;
  }
  if (cursor !== dataBytes)
    fail(`${dataBytes - cursor} bytes of data after the last tensor are not described by the header`);
}

/**
 * Throws a UserFacingError with a specific message when the file is plainly something else (a
 * Git LFS pointer, a PyTorch pickle, GGUF, HTML…). It asks only when the first bytes cannot start
 * a safetensors file, so a damaged safetensors file still gets the precise structural message.
 */
export function failIfOtherKind(bytes: Uint8Array): void {
  const plausible =
    bytes.length >= 9 &&
    bytes[8] === 0x7b &&
    new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true) <= BigInt(bytes.length - 8);
  if (plausible) return;
  const message = wrongKindMessage(sniffFileKind(bytes), 'a safetensors file');
  if (message) fail(message);
}

/**
 * Bytes a reader must fetch to have the whole header (8 + N), from the file's first 8 bytes.
 * @throws UserFacingError when N is over the 8 MiB limit or runs past the end of the file.
 */
export function safetensorsHeaderSize(first8: Uint8Array, fileSize: number): number {
  if (first8.length < 8 || fileSize < 8) fail(`file is ${fileSize} bytes; it must start with an 8-byte header length`);
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} bytes exceeds the 8 MiB limit`);
  if (8n + n > BigInt(fileSize)) fail(`header length ${n} bytes runs past the end of the file (${fileSize} bytes)`);
  return 8 + Number(n);
}

function parseHeader(
  bytes: Uint8Array,
  fileSize = bytes.length,
): { header: Record<string, unknown>; text: string; dataStart: number } {
  failIfOtherKind(bytes);
  const n = BigInt(safetensorsHeaderSize(bytes, fileSize) - 8);
  if (8n + n > BigInt(bytes.length)) fail(`the header needs ${8n + n} bytes, only ${bytes.length} were read`);
  const headerBytes = bytes.subarray(8, 8 + Number(n));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch {
    fail('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(`header must start with "{", found ${JSON.stringify(text.slice(0, 10))}`);
  const depth = nestingDepth(text, MAX_HEADER_DEPTH);
  if (depth > MAX_HEADER_DEPTH)
    fail(`header nests JSON more than ${MAX_HEADER_DEPTH} levels deep (a safetensors header needs 3)`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'})`);
  }
  if (!isRecord(header)) fail('header is not a JSON object');
  return { header, text, dataStart: 8 + Number(n) };
}

/**
 * Parses and validates a safetensors file.
 * @param bytes the whole file; never modified and never aliased by the result.
 * @returns tensors in header order as F32 (row-major, shape as stored) plus `__metadata__`.
 * @throws UserFacingError naming the problem (and the tensor) for anything malformed.
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  const { entries, metadata, dataStart } = readSafetensorsHeader(bytes, bytes.length);
  const tensors: SafetensorsFile['tensors'] = new Map();
  for (const e of entries) {
    const at = dataStart + e.begin;
    // A copy of the tensor's bytes in a buffer of its own (Node Buffers' slice would share the file's).
    const data = decodeTensor(new Uint8Array(bytes.subarray(at, at + e.end - e.begin)), e.dtype, sizeOf(e.shape));
    tensors.set(e.name, { shape: [...e.shape], data, dtype: e.dtype });
  }
  return { tensors, metadata };
}

/** A validated header: tensors in file order, `__metadata__`, and the data's offset in the file (8 + N). */
export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
  dataStart: number;
}

/**
 * Validates a safetensors header read on its own, with every check `readSafetensors` makes
 * (lengths, UTF-8, JSON, duplicates, dtypes, shapes against offsets, a contiguous layout that
 * ends exactly at `fileSize`). For readers that fetch the file tensor by tensor.
 * @param bytes at least the first 8 + N bytes of the file (see `safetensorsHeaderSize`)
 * @param fileSize the whole file's size in bytes
 */
export function readSafetensorsHeader(bytes: Uint8Array, fileSize: number): SafetensorsHeader {
  const { header, text, dataStart } = parseHeader(bytes, fileSize);
  const { order, duplicate } = scanKeys(text);
  if (duplicate) {
    const [owner, key] = duplicate;
    if (!owner) fail(`duplicate tensor name ${label(key)}`);
    fail(`${owner === '__metadata__' ? '"__metadata__"' : `tensor ${label(owner)}`}: duplicate key ${label(key)}`);
  }
  const dataBytes = fileSize - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const name of order) {
    const value = header[name];
    if (name === '__metadata__') {
      if (!isRecord(value)) fail('"__metadata__" must be an object of strings');
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') fail(`"__metadata__" value for ${label(k)} must be a string, got ${brief(v)}`);
        setOwn(metadata, k, v);
      }
    } else {
      entries.push(checkEntry(name, value, dataBytes));
    }
  }
  checkLayout(entries, dataBytes);
  return { entries, metadata, dataStart };
}

/**
 * Writes tensors as F32 safetensors: keys in the map's order, `__metadata__` first, header padded
 * with spaces to a multiple of 8 bytes so the data starts aligned.
 * @param metadata defaults to `{ format: "pt" }` (transformers and older PEFT refuse files
 *   without it); an empty object omits `__metadata__`.
 * @throws UserFacingError when a tensor's data length does not match its shape.
 */
export function writeSafetensors(tensors: TensorMap, metadata: Record<string, string> = { format: 'pt' }): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new UserFacingError('"__metadata__" cannot be used as a tensor name');
    if (t.data.length !== sizeOf(t.shape)) {
      throw new UserFacingError(
        `tensor ${label(name)}: ${t.data.length} values do not fill shape [${t.shape.join(', ')}]`,
      );
    }
    setOwn(header, name, { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * t.data.length] });
    offset += 4 * t.data.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const t of tensors.values()) {
    if (LITTLE_ENDIAN_HOST) {
      out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    } else {
      for (let i = 0; i < t.data.length; i++) view.setFloat32(at + 4 * i, t.data[i], true);
    }
    at += t.data.byteLength;
  }
  return out;
}

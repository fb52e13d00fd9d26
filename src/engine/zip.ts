/**
 * Zip archives for adapter export/import. Writing goes through fflate. Reading parses the central
 * directory here, because an uploaded archive is untrusted: entry count, sizes, names, compression
 * method and CRC are all checked before or after inflating, with limits, and every failure is a
 * UserFacingError (fflate alone throws plain Errors, trusts the declared sizes and skips the CRC).
 */
import { inflateSync, strToU8, zipSync } from 'fflate';
import { formatBytes, sizeAndLimit } from './format/bytes';
import { UserFacingError } from './types';
import { errorMessage } from './types';

export const MAX_ZIP_ENTRIES = 64;
export const MAX_ZIP_TOTAL_BYTES = 512 * 1024 * 1024;

/** A fixed timestamp keeps exported archives byte-identical for identical contents. */
const FIXED_MTIME = new Date(2000, 0, 1);

/**
 * Packs files into a deflate-compressed zip. Strings are written as UTF-8.
 * @param files archive path → contents, in the order they should appear.
 */
export function zipFiles(files: Record<string, Uint8Array | string>): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) {
    entries[name] = typeof content === 'string' ? strToU8(content) : content;
  }
  return zipSync(entries, { level: 6, mtime: FIXED_MTIME });
}

function fail(message: string): never {
  throw new UserFacingError(`Invalid zip archive: ${message}`);
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3), as stored in zip headers. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Rejects names that could escape a folder if anyone ever wrote them to disk. */
function checkName(name: string): void {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  if (name.length === 0) fail('an entry has an empty name');
  if (name.includes('\0')) fail(`entry ${shown} has a NUL character in its name`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) fail(`entry ${shown} has an absolute path`);
  if (name.split('/').includes('..')) fail(`entry ${shown} points outside the archive ("..")`);
}

function readCentralDirectory(bytes: Uint8Array, view: DataView): CentralEntry[] {
  // The end-of-central-directory record is 22 bytes plus a comment of at most 65,535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0)
    fail(
      bytes.length < 22
        ? `file is only ${bytes.length} bytes`
        : 'no end-of-central-directory record (truncated or not a zip)',
    );
  const count = view.getUint16(eocd + 10, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff)
    fail(`ZIP64 archives are not supported (archives here stay under ${formatBytes(MAX_ZIP_TOTAL_BYTES)})`);
  if (count > MAX_ZIP_ENTRIES) fail(`${count} entries; at most ${MAX_ZIP_ENTRIES} are accepted`);
  const entries: CentralEntry[] = [];
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || view.getUint32(at, true) !== 0x02014b50)
      fail(`central directory entry ${i + 1} of ${count} is missing or corrupt`);
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (next > eocd) fail(`central directory entry ${i + 1} runs past the directory's end`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)).replace(/\\/g, '/');
    checkName(name);
    entries.push({
      name,
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    });
    at = next;
  }
  return entries;
}

function extract(bytes: Uint8Array, view: DataView, e: CentralEntry, shown: string): Uint8Array {
  if (e.flags & 1) fail(`entry ${shown} is encrypted`);
  if (e.localOffset + 30 > bytes.length || view.getUint32(e.localOffset, true) !== 0x04034b50) {
    fail(`entry ${shown}: local header missing or corrupt`);
  }
  const start =
    e.localOffset + 30 + view.getUint16(e.localOffset + 26, true) + view.getUint16(e.localOffset + 28, true);
  if (start + e.compressedSize > bytes.length) fail(`entry ${shown} is truncated`);
  const raw = bytes.subarray(start, start + e.compressedSize);
  let data: Uint8Array;
  if (e.method === 0) {
    if (e.compressedSize !== e.size) fail(`entry ${shown}: stored size ${e.compressedSize} ≠ declared size ${e.size}`);
    data = raw.slice();
  } else if (e.method === 8) {
    // The output buffer has exactly the declared size, so a lying header cannot make it grow.
    const out = new Uint8Array(e.size);
    try {
      data = inflateSync(raw, { out });
    } catch (err) {
      fail(`entry ${shown} has corrupt compressed data (${errorMessage(err)})`);
    }
  } else {
    fail(`entry ${shown} uses compression method ${e.method}; only stored (0) and deflate (8) are supported`);
  }
  if (data.length !== e.size) fail(`entry ${shown}: inflated to ${data.length} bytes, header says ${e.size}`);
  if (crc32(data) !== e.crc) fail(`entry ${shown} fails its CRC-32 check (corrupt data)`);
  return data;
}

/**
 * Unpacks a zip. Folder entries are skipped; names use "/" separators.
 * Limits: ≤ 64 entries, ≤ 512 MiB uncompressed in total; names with ".." or absolute paths,
 * duplicates, encryption, ZIP64 and methods other than stored/deflate are refused.
 * @throws UserFacingError for anything corrupt or over a limit.
 */
export function unzipFiles(bytes: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = readCentralDirectory(bytes, view);
  const total = entries.reduce((sum, e) => sum + e.size, 0);
  if (total > MAX_ZIP_TOTAL_BYTES) {
    const said = sizeAndLimit(total, MAX_ZIP_TOTAL_BYTES);
    fail(`contents would be ${said.size} uncompressed; the limit is ${said.limit}`);
  }
  const files = new Map<string, Uint8Array>();
  for (const e of entries) {
    if (e.name.endsWith('/') && e.size === 0) continue;
    const shown = JSON.stringify(e.name.length > 80 ? `${e.name.slice(0, 80)}…` : e.name);
    if (files.has(e.name)) fail(`entry ${shown} appears twice`);
    files.set(e.name, extract(bytes, view, e, shown));
  }
  return files;
}

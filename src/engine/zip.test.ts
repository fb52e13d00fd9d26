import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from './types';
import { crc32, unzipFiles, zipFiles } from './zip';

function rejects(bytes: Uint8Array, pattern: RegExp): void {
  let error: unknown;
  try {
    unzipFiles(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserFacingError);
  expect((error as Error).message).toMatch(pattern);
}

/** Rewrites the first occurrence of `from` (as ASCII) in the archive's bytes, e.g. a file name. */
function patchName(zip: Uint8Array, from: string, to: string): Uint8Array {
  expect(to.length).toBe(from.length);
  const out = zip.slice();
  const needle = new TextEncoder().encode(from);
  for (let i = 0; i + needle.length <= out.length; i++) {
    if (needle.every((b, j) => out[i + j] === b)) out.set(new TextEncoder().encode(to), i);
  }
  return out;
}

describe('zipFiles / unzipFiles', () => {
  const binary = new Uint8Array(5000).map((_, i) => (i * 7919) % 251);

  it('round-trips text and binary files, nested names included', () => {
    const zip = zipFiles({ 'adapter/README.md': '# café ✓', 'adapter/adapter_model.safetensors': binary });
    const files = unzipFiles(zip);
    expect([...files.keys()]).toEqual(['adapter/README.md', 'adapter/adapter_model.safetensors']);
    expect(new TextDecoder().decode(files.get('adapter/README.md'))).toBe('# café ✓');
    expect(files.get('adapter/adapter_model.safetensors')).toEqual(binary);
  });

  it('is deterministic for identical contents', () => {
    expect(zipFiles({ a: 'x', b: binary })).toEqual(zipFiles({ a: 'x', b: binary }));
  });

  it('reads stored (uncompressed) entries and skips folder entries', () => {
    const zip = zipSync({ 'dir/': new Uint8Array(0), 'dir/a.txt': [new TextEncoder().encode('hi'), { level: 0 }] });
    const files = unzipFiles(zip);
    expect([...files.keys()]).toEqual(['dir/a.txt']);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('rejects truncated, corrupt and non-zip input with specific messages', () => {
    const zip = zipFiles({ 'a.bin': binary });
    rejects(new Uint8Array(3), /only 3 bytes/);
    rejects(new TextEncoder().encode('not a zip at all, just some text here'), /no end-of-central-directory record/);
    rejects(zip.subarray(0, zip.length - 30), /no end-of-central-directory|central directory entry|corrupt/);
    rejects(zip.subarray(40), /central directory entry 1 of 1 is missing or corrupt/);
    const flipped = zip.slice();
    flipped[60] ^= 0xff; // inside the deflate stream
    rejects(flipped, /entry "a.bin" (has corrupt compressed data|fails its CRC-32 check|: inflated to)/);
  });

  it('rejects path traversal and absolute names', () => {
    rejects(patchName(zipFiles({ 'ab/x': 'x' }), 'ab/x', '../x'), /entry "..\/x" points outside the archive/);
    rejects(patchName(zipFiles({ xetc: 'x' }), 'xetc', '/etc'), /entry "\/etc" has an absolute path/);
    rejects(patchName(zipFiles({ Cxab: 'x' }), 'Cxab', 'C:ab'), /absolute path/);
  });

  it('rejects more than 64 entries and duplicate names', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 65; i++) many[`f${i}`] = 'x';
    rejects(zipFiles(many), /65 entries; at most 64/);
    rejects(patchName(zipFiles({ a1: 'x', a2: 'y' }), 'a2', 'a1'), /entry "a1" appears twice/);
  });

  it('rejects a declared size beyond the 512 MiB limit before inflating', () => {
    const zip = zipFiles({ 'big.bin': binary });
    const view = new DataView(zip.buffer);
    // Central directory: find its signature and set the uncompressed size to 600 MiB.
    for (let i = zip.length - 22; i >= 0; i--) {
      if (view.getUint32(i, true) === 0x02014b50) {
        view.setUint32(i + 24, 600 * 2 ** 20, true);
        break;
      }
    }
    rejects(zip, /600 MiB uncompressed; the limit is 512 MiB/);
  });
});

/**
 * Random access to a file's bytes without holding the file: the streaming checkpoint loader
 * reads a safetensors header, then one tensor at a time. Two kinds: a browser Blob/File
 * (`blob.slice().arrayBuffer()`, here) and a Node file handle (`nodeFile.ts`, which the browser
 * bundle never imports).
 */
import { UserFacingError } from '../types';

export interface ByteSource {
  /** The file's name (no folder), as the index and messages refer to it. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * `length` bytes from `offset`, in a fresh buffer of their own (byteOffset 0), so F32 data
   * can be viewed in place.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Releases the handle, if any. */
  close?(): Promise<void>;
}

function checkRange(src: ByteSource, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new UserFacingError(`${src.name}: cannot read ${length} bytes at ${offset}`);
  }
  if (offset + length > src.size) {
    throw new UserFacingError(
      `${src.name}: bytes ${offset}–${offset + length} run past the end of the file (${src.size} bytes)`,
    );
  }
}

/** A Blob or File (browser, Worker; Node 20 has Blob too). */
export function blobSource(blob: Blob, name = (blob as { name?: string }).name ?? 'model.safetensors'): ByteSource {
  const src: ByteSource = {
    name,
    size: blob.size,
    async read(offset, length) {
      checkRange(src, offset, length);
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
  return src;
}

/** Bytes already in memory (tests, small files); reads are copies. */
export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  const src: ByteSource = {
    name,
    size: bytes.length,
    async read(offset, length) {
      checkRange(src, offset, length);
      return bytes.slice(offset, offset + length);
    },
  };
  return src;
}

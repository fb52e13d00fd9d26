/**
 * A ByteSource on a Node file handle: the CLI and the benchmark read checkpoints tensor by
 * tensor from disk, never the whole file. Node only (imports node:fs): the browser bundle never
 * imports this module.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserFacingError } from '../types';
import type { ByteSource } from './byteSource';

/** Opens `path` for reading; call `close()` when done. */
export async function nodeFileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  const name = basename(path);
  return {
    name,
    size,
    async read(offset, length) {
      if (
        !Number.isSafeInteger(offset) ||
        !Number.isSafeInteger(length) ||
        offset < 0 ||
        length < 0 ||
        offset + length > size
      ) {
        throw new UserFacingError(`${name}: bytes ${offset}–${offset + length} are outside the file (${size} bytes)`);
      }
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        // One read is capped at 2 GiB by Node; loop until the range is filled.
        const { bytesRead } = await handle.read(out, done, Math.min(length - done, 1 << 30), offset + done);
        if (bytesRead === 0)
          throw new UserFacingError(`${name}: the file ended at ${offset + done} bytes while reading`);
        done += bytesRead;
      }
      return out;
    },
    close: () => handle.close(),
  };
}

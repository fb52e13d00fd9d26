/**
 * A safetensors header read from a ByteSource: the first 8 bytes, then exactly 8 + N, checked
 * before any tensor byte is read. Shared by the checkpoint loader and the adapter inspector;
 * free of tfjs so the inspector's Worker can use it.
 */
import { readSafetensorsHeader, safetensorsHeaderSize, type SafetensorsHeader } from '../safetensors';
import { UserFacingError, errorMessage } from '../types';
import type { ByteSource } from './byteSource';

/**
 * Reads and validates `file`'s header with every check `readSafetensorsHeader` makes (the
 * length against the 8 MiB limit and the file size, UTF-8, JSON depth, dtypes, shapes against
 * offsets, a contiguous layout ending at the file's end).
 * @throws UserFacingError prefixed with the file's name.
 */
export async function readHeader(file: ByteSource): Promise<SafetensorsHeader> {
  try {
    const prefix = await file.read(0, Math.min(8, file.size));
    const size = safetensorsHeaderSize(prefix, file.size);
    return readSafetensorsHeader(await file.read(0, size), file.size);
  } catch (e) {
    if (e instanceof UserFacingError) throw new UserFacingError(`${file.name}: ${errorMessage(e)}`);
    throw e;
  }
}

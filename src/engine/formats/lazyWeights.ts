/**
 * An adapter's .safetensors opened header first, tensors later, so the inspector never holds the
 * file: the header is read and checked (the checkpoint reader's `readHeader`: lengths, JSON,
 * dtypes, shapes against offsets, a contiguous layout ending at the file's size) before any
 * tensor byte, the format readers run on the header alone, and each module's two factors are
 * read and decoded (`decodeTensor`) only when that module is analysed.
 */
import type { ByteSource } from '../checkpoint/byteSource';
import { decodeTensor } from '../checkpoint/decode';
import { readHeader } from '../checkpoint/header';
import { failIfOtherKind, type SafetensorsEntry, type SafetensorsFile } from '../safetensors';
import { UserFacingError, errorMessage, sizeOf } from '../types';
import { short } from './factors';

/**
 * Tensors up to this many values are decoded with the header (kohya's scalar `alpha`); larger
 * ones have empty `data` until `load` reads them.
 */
export const EAGER_VALUES = 16;

export interface LazyWeights {
  /** Every tensor with its shape and dtype; `data` is empty for tensors over EAGER_VALUES values. */
  file: SafetensorsFile;
  /** One tensor's values as float32, read from the source now. */
  load(name: string): Promise<Float32Array>;
}

/** Is `t` a header-only stand-in whose values have not been read? */
export const isUnread = (t: { shape: number[]; data: Float32Array }): boolean =>
  t.data.length === 0 && sizeOf(t.shape) > 0;

/**
 * Opens `src` as safetensors, reading only its header and its tiny tensors.
 * @param path the file's path as the messages name it
 * @throws UserFacingError "<path>: not a valid safetensors file: …" for anything malformed.
 */
export async function openLazyWeights(src: ByteSource, path: string): Promise<LazyWeights> {
  let entries: SafetensorsEntry[];
  let metadata: Record<string, string>;
  let dataStart: number;
  try {
    // A file that is plainly something else (a Git LFS pointer, a pickle) gets its own message.
    const head = await src.read(0, Math.min(src.size, 1024));
    if (head.length < 9 || head[8] !== 0x7b) failIfOtherKind(head);
    ({ entries, metadata, dataStart } = await readHeader(src));
  } catch (e) {
    if (!(e instanceof UserFacingError)) throw e;
    const why = errorMessage(e)
      .replace(`${src.name}: `, '')
      .replace(/^Invalid safetensors file: /, '');
    throw new UserFacingError(`${short(path)}: not a valid safetensors file: ${why}`);
  }
  const byName = new Map<string, SafetensorsEntry>();
  const tensors: SafetensorsFile['tensors'] = new Map();
  const read = async (e: SafetensorsEntry) =>
    decodeTensor(await src.read(dataStart + e.begin, e.end - e.begin), e.dtype, sizeOf(e.shape));
  for (const e of entries) {
    byName.set(e.name, e);
    const count = sizeOf(e.shape);
    const data = count <= EAGER_VALUES ? await read(e) : new Float32Array(0);
    tensors.set(e.name, { shape: [...e.shape], data, dtype: e.dtype });
  }
  return {
    file: { tensors, metadata },
    async load(name) {
      const e = byName.get(name);
      if (!e) throw new Error(`openLazyWeights: no tensor ${name}`);
      return read(e);
    },
  };
}

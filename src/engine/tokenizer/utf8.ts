/**
 * Strict UTF-8 for files a user hands us: say where the first bad byte is instead of silently
 * replacing it with U+FFFD.
 */
import { UserFacingError } from '../types';

/** Bytes of a file or text, as handed over by a file picker, a drop or a paste. */
export type TextSource = string | Uint8Array | ArrayBuffer;

/** Size of a source in UTF-8 bytes. */
export function byteLength(source: TextSource): number {
  if (typeof source === 'string') return new TextEncoder().encode(source).length;
  return source.byteLength;
}

/**
 * Decodes UTF-8, dropping a leading byte-order mark.
 * @param what names the input in messages, e.g. "tokenizer.json" or "Your text".
 * @throws UserFacingError naming the offset of the first invalid byte.
 */
export function decodeUtf8(source: TextSource, what: string): string {
  if (typeof source === 'string') return source.startsWith('\uFEFF') ? source.slice(1) : source;
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new UserFacingError(
      `${what} is not UTF-8 text: byte ${at} (0x${bytes[at].toString(16).padStart(2, '0')}) does not begin a valid UTF-8 character (Latin-1 or Windows-1252 text looks like this). Save it as UTF-8 and try again.`,
    );
  }
}

/** Offset of the first byte that does not begin a valid UTF-8 sequence (RFC 3629), or −1 when all are valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid too.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

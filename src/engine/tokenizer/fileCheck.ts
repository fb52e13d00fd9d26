/**
 * Before a tokenizer.json is read as a tokenizer: is it one at all? A vocab.json, a config.json,
 * merges.txt, a Git LFS pointer or a web page given in its place is named as such, with what to
 * give instead, rather than failing on some field deep inside ("format version 9641").
 */
import { wrongJsonMessage, wrongTextMessage } from '../fileKind';
import { UserFacingError } from '../types';
import { MAX_TOKENIZER_JSON_BYTES } from './hfTokenizer';

/**
 * @param text the file given as tokenizer.json.
 * @throws UserFacingError when it is over the size limit or recognisably another file; returns
 *   quietly otherwise (JSON errors are left to the tokenizer readers, which name the position).
 */
export function checkTokenizerFile(text: string): void {
  // UTF-16 length ≤ UTF-8 bytes ≤ 3 × length: refuse what is surely too big before parsing it.
  if (text.length > MAX_TOKENIZER_JSON_BYTES) {
    throw new UserFacingError(
      `tokenizer.json is over the ${MAX_TOKENIZER_JSON_BYTES / 1024 / 1024} MiB limit. GPT-2's own is 1.3 MiB: is this the right file?`,
    );
  }
  const asText = wrongTextMessage(text, 'tokenizer.json');
  if (asText) throw new UserFacingError(`tokenizer.json: ${asText}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return;
  const other = wrongJsonMessage(parsed as Record<string, unknown>, 'tokenizer');
  if (other) throw new UserFacingError(`tokenizer.json: ${other}`);
}

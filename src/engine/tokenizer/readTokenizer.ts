/** Any tokenizer.json the app reads: the shipped character tokenizer, else a byte-level BPE (GPT-2's). */
import { errorMessage, UserFacingError } from '../types';
import { checkTokenizerFile } from './fileCheck';
import { loadHfTokenizer } from './hfTokenizer';
import { charTokenizerFromJson } from './tokenizerJson';
import type { TextTokenizer } from './types';

/**
 * Reads a tokenizer.json as the character tokenizer when it is one, else as any tokenizer
 * @huggingface/tokenizers reads (eos/bos from tokenizer_config.json when given).
 * @throws UserFacingError naming what each reading found wrong.
 */
export function readTokenizer(text: string, configText?: string): TextTokenizer {
  checkTokenizerFile(text); // vocab.json, a config or other JSON given as tokenizer.json: say what it is
  try {
    return charTokenizerFromJson(text);
  } catch (charError) {
    try {
      return loadHfTokenizer(text, configText ?? null);
    } catch (bpeError) {
      throw new UserFacingError(
        `tokenizer.json could not be read: ${errorMessage(bpeError)} (as a character tokenizer: ${errorMessage(charError)})`,
      );
    }
  }
}

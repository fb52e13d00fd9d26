/**
 * What the trainer, the sampler and the data code need from any tokenizer: the shipped
 * character tokenizer and a user's GPT-2 byte-level BPE tokenizer share this interface.
 */

/** The separator between documents, also used as BOS before a prompt and EOS after a sample. */
export const END_OF_TEXT = '<|endoftext|>';
/** What characters outside a character vocabulary become. */
export const UNKNOWN = '<unk>';

export interface DecodeOptions {
  /** Leave special tokens (end-of-text, unknown) out of the text. Default false. */
  skipSpecialTokens?: boolean;
}

export interface TextTokenizer {
  /**
   * "char": one token per Unicode character; "bpe": a Hugging Face tokenizer.json (subword: BPE,
   * and also Unigram or WordPiece, named by HfTokenizer.model).
   */
  readonly kind: 'char' | 'bpe';
  /** Number of ids (highest id + 1), the size of the model's embedding table it needs. */
  readonly vocabSize: number;
  /** Id of the end-of-text token (document separator, BOS and EOS). */
  readonly endOfTextId: number;
  /** Id that unknown input maps to, or null when every input can be encoded (byte-level BPE). */
  readonly unkId: number | null;
  /** Text → ids. Never adds BOS/EOS by itself; literal special-token text maps to its id. */
  encode(text: string): Int32Array;
  /** Ids → text. Throws a RangeError for an id outside [0, vocabSize). */
  decode(ids: ArrayLike<number>, options?: DecodeOptions): string;
  /** Whether a single character encodes without falling back to the unknown token. */
  coversChar(char: string): boolean;
  /** The token string of an id (its vocabulary entry), or undefined. */
  idToToken(id: number): string | undefined;
}

/**
 * A prompt as the model sees it when sampling: the end-of-text id (BOS) then the prompt's ids.
 * The empty prompt is BOS alone: "start a new document".
 */
export function encodePrompt(tokenizer: TextTokenizer, prompt: string): Int32Array {
  const body = tokenizer.encode(prompt);
  const ids = new Int32Array(body.length + 1);
  ids[0] = tokenizer.endOfTextId;
  ids.set(body, 1);
  return ids;
}

/** Throws a RangeError naming the first id outside [0, vocabSize). */
export function checkIds(ids: ArrayLike<number>, vocabSize: number): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new RangeError(`Token id ${id} at position ${i} is outside the vocabulary [0, ${vocabSize}).`);
    }
  }
}

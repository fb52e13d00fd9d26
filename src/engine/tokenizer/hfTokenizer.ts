/**
 * A user's Hugging Face tokenizer.json (GPT-2-style byte-level BPE) behind the same interface as
 * the character tokenizer, via `@huggingface/tokenizers` (pure JS, runs in Node and Workers).
 * Everything about the file is checked before the library sees it, so a bad file gives a
 * message that says what is wrong, not a stack trace.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { sizeAndLimit } from '../format/bytes';
import { UserFacingError } from '../types';
import { checkIds, END_OF_TEXT, type DecodeOptions, type TextTokenizer } from './types';
import { byteLength, decodeUtf8, type TextSource } from './utf8';

/** Larger tokenizer.json files are refused before parsing (GPT-2's is 1.3 MiB; big multilingual ones ~20 MiB). */
export const MAX_TOKENIZER_JSON_BYTES = 50 * 1024 * 1024;

/** Other names models use for the end-of-text token, tried after `<|endoftext|>` and tokenizer_config's eos_token. */
const EOS_FALLBACKS = ['</s>', '<eos>', '<|end_of_text|>'];

export class HfTokenizer implements TextTokenizer {
  readonly kind = 'bpe' as const;
  readonly vocabSize: number;
  readonly endOfTextId: number;
  readonly unkId: number | null;
  /** True when a ByteLevel pre-tokenizer maps every byte to a token: nothing is ever unknown. */
  readonly byteLevel: boolean;
  private readonly hf: Tokenizer;
  private readonly cleanUpSpaces: boolean;

  /** Use `loadHfTokenizer`, which validates the file first. */
  constructor(
    hf: Tokenizer,
    info: { vocabSize: number; endOfTextId: number; unkId: number | null; byteLevel: boolean; cleanUpSpaces: boolean },
  ) {
    this.hf = hf;
    this.vocabSize = info.vocabSize;
    this.endOfTextId = info.endOfTextId;
    this.unkId = info.unkId;
    this.byteLevel = info.byteLevel;
    this.cleanUpSpaces = info.cleanUpSpaces;
  }

  encode(text: string): Int32Array {
    if (text === '') return new Int32Array(0);
    return Int32Array.from(this.hf.encode(text, { add_special_tokens: false }).ids);
  }

  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    checkIds(ids, this.vocabSize);
    if (ids.length === 0) return '';
    return this.hf.decode(Array.from(ids), {
      skip_special_tokens: options.skipSpecialTokens ?? false,
      clean_up_tokenization_spaces: this.cleanUpSpaces,
    });
  }

  coversChar(char: string): boolean {
    if (this.byteLevel || this.unkId === null) return true;
    return !this.encode(char).includes(this.unkId);
  }

  idToToken(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }
}

/**
 * Loads a Hugging Face tokenizer.json (and optionally its tokenizer_config.json) from a file's
 * bytes or text.
 * @throws UserFacingError for a file over 50 MiB, bytes that are not UTF-8, bad JSON, a model type
 *   other than BPE (WordPiece, Unigram…), a malformed vocabulary or merges, or no end-of-text token.
 */
export function loadHfTokenizer(file: TextSource, configFile?: TextSource | null): HfTokenizer {
  const size = byteLength(file);
  if (size > MAX_TOKENIZER_JSON_BYTES) {
    const said = sizeAndLimit(size, MAX_TOKENIZER_JSON_BYTES);
    throw new UserFacingError(
      `tokenizer.json is ${said.size}, over the ${said.limit} limit. GPT-2's own is 1.3 MiB: is this the right file?`,
    );
  }
  const json = parseJsonObject(file, 'tokenizer.json');
  const config = configFile == null ? {} : parseJsonObject(configFile, 'tokenizer_config.json');
  const model = json.model;
  if (!isObject(model))
    throw new UserFacingError('tokenizer.json has no "model" object: it is not a Hugging Face tokenizer file.');
  const type = model.type ?? (Array.isArray(model.merges) ? 'BPE' : undefined);
  if (type !== 'BPE') {
    throw new UserFacingError(
      `The tokenizer's model type is ${JSON.stringify(type ?? null)}; only BPE tokenizers (GPT-2 family: GPT-2, DistilGPT-2, Pythia…) are supported.`,
    );
  }
  const vocabSize = checkVocab(model.vocab, json.added_tokens);
  checkMerges(model.merges);

  let hf: Tokenizer;
  try {
    hf = new Tokenizer(
      {
        normalizer: null,
        pre_tokenizer: null,
        post_processor: null,
        decoder: null,
        ...json,
        added_tokens: Array.isArray(json.added_tokens) ? json.added_tokens : [],
        model: { ...model, type: 'BPE' },
      },
      config,
    );
  } catch (e) {
    throw new UserFacingError(`tokenizer.json could not be read: ${(e as Error).message}`);
  }

  const eosNames = [END_OF_TEXT, typeof config.eos_token === 'string' ? config.eos_token : undefined, ...EOS_FALLBACKS];
  const endOfTextId = eosNames
    .map((name) => (name === undefined ? undefined : hf.token_to_id(name)))
    .find((id) => id !== undefined);
  if (endOfTextId === undefined) {
    throw new UserFacingError(
      `The tokenizer has no end-of-text token (${END_OF_TEXT} or an eos_token): the trainer needs one to separate documents.`,
    );
  }
  const unkId = typeof model.unk_token === 'string' ? (hf.token_to_id(model.unk_token) ?? null) : null;
  return new HfTokenizer(hf, {
    vocabSize,
    endOfTextId,
    unkId,
    byteLevel: hasByteLevel(json.pre_tokenizer),
    cleanUpSpaces: config.clean_up_tokenization_spaces === true,
  });
}

function parseJsonObject(source: TextSource, what: string): Record<string, unknown> {
  const text = decodeUtf8(source, what);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserFacingError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(json))
    throw new UserFacingError(`${what} must hold a JSON object, not ${Array.isArray(json) ? 'a list' : typeof json}.`);
  return json;
}

/** Checks ids are non-negative integers, used once each; returns highest id + 1 (added tokens included). */
function checkVocab(vocab: unknown, addedTokens: unknown): number {
  if (!isObject(vocab))
    throw new UserFacingError("The tokenizer's model.vocab must be an object mapping tokens to ids.");
  const seen = new Map<number, string>();
  let maxId = -1;
  for (const [token, id] of Object.entries(vocab)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new UserFacingError(
        `The tokenizer's vocabulary gives ${JSON.stringify(token)} the id ${JSON.stringify(id)}; ids must be whole numbers ≥ 0.`,
      );
    }
    if (seen.has(id))
      throw new UserFacingError(
        `The tokenizer's vocabulary gives id ${id} to both ${JSON.stringify(seen.get(id))} and ${JSON.stringify(token)}.`,
      );
    seen.set(id, token);
    maxId = Math.max(maxId, id);
  }
  if (seen.size === 0) throw new UserFacingError("The tokenizer's vocabulary is empty.");
  if (addedTokens !== undefined && !Array.isArray(addedTokens))
    throw new UserFacingError("tokenizer.json's added_tokens must be a list.");
  for (const added of (addedTokens as unknown[] | undefined) ?? []) {
    if (
      !isObject(added) ||
      typeof added.content !== 'string' ||
      typeof added.id !== 'number' ||
      !Number.isInteger(added.id) ||
      added.id < 0
    ) {
      throw new UserFacingError(`tokenizer.json has a malformed added token: ${JSON.stringify(added).slice(0, 120)}.`);
    }
    maxId = Math.max(maxId, added.id);
  }
  return maxId + 1;
}

function checkMerges(merges: unknown): void {
  if (!Array.isArray(merges)) throw new UserFacingError("The tokenizer's model.merges must be a list.");
  merges.forEach((merge, i) => {
    const ok =
      typeof merge === 'string'
        ? merge.split(' ').length === 2
        : Array.isArray(merge) && merge.length === 2 && merge.every((part) => typeof part === 'string');
    if (!ok)
      throw new UserFacingError(`Merge ${i} (${JSON.stringify(merge)}) must be "left right" or ["left", "right"].`);
  });
}

function hasByteLevel(preTokenizer: unknown): boolean {
  if (!isObject(preTokenizer)) return false;
  if (preTokenizer.type === 'ByteLevel') return true;
  return Array.isArray(preTokenizer.pretokenizers) && preTokenizer.pretokenizers.some(hasByteLevel);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A user's Hugging Face tokenizer.json (BPE, byte-level or byte-fallback; Unigram; WordPiece)
 * behind the same interface as the character tokenizer, via `@huggingface/tokenizers` (pure JS,
 * runs in Node and Workers).
 * Everything about the file is checked before the library sees it, so a bad file gives a
 * message that says what is wrong, not a stack trace.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { sizeAndLimit } from '../format/bytes';
import { UserFacingError } from '../types';
import { checkIds, END_OF_TEXT, type DecodeOptions, type TextTokenizer } from './types';
import { byteLength, decodeUtf8, type TextSource } from './utf8';
import {
  MODEL_TYPES,
  checkAddedTokens,
  checkMerges,
  checkUnigramVocab,
  checkVocabObject,
  hasByteFallback,
  hasByteLevel,
  isObject,
  specialTokenName,
  type ModelType,
} from './tokenizerChecks';

/** Larger tokenizer.json files are refused before parsing (GPT-2's is 1.3 MiB; big multilingual ones ~20 MiB). */
export const MAX_TOKENIZER_JSON_BYTES = 50 * 1024 * 1024;

/** Other names models use for the end-of-text token, tried after `<|endoftext|>` and tokenizer_config's eos_token. */
const EOS_FALLBACKS = ['</s>', '<eos>', '<|end_of_text|>'];
/** Usual BOS names, tried after tokenizer_config's bos_token. */
const BOS_FALLBACKS = ['<s>', '<|begin_of_text|>', '<bos>'];

export class HfTokenizer implements TextTokenizer {
  readonly kind = 'bpe' as const;
  /** The tokenizer.json model type. */
  readonly model: ModelType;
  readonly vocabSize: number;
  readonly endOfTextId: number;
  /** tokenizer_config's eos_token (or a usual eos name) when the vocabulary has it. */
  readonly eosId: number | null;
  /** tokenizer_config's bos_token (or <s>, <|begin_of_text|>) when the vocabulary has it. */
  readonly bosId: number | null;
  readonly unkId: number | null;
  /**
   * True when every byte maps to a token (a ByteLevel pre-tokenizer, or BPE byte fallback with
   * all 256 <0xNN> tokens): nothing is ever unknown.
   */
  readonly byteLevel: boolean;
  private readonly hf: Tokenizer;
  private readonly cleanUpSpaces: boolean;

  /** Use `loadHfTokenizer`, which validates the file first. */
  constructor(
    hf: Tokenizer,
    info: {
      model: ModelType;
      vocabSize: number;
      endOfTextId: number;
      eosId: number | null;
      bosId: number | null;
      unkId: number | null;
      byteLevel: boolean;
      cleanUpSpaces: boolean;
    },
  ) {
    this.hf = hf;
    this.model = info.model;
    this.vocabSize = info.vocabSize;
    this.endOfTextId = info.endOfTextId;
    this.eosId = info.eosId;
    this.bosId = info.bosId;
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
 * bytes or text: any model @huggingface/tokenizers implements (BPE: GPT-2-style byte-level, with
 * or without merges, or Metaspace/byte-fallback as Llama-2 and TinyLlama; Unigram; WordPiece).
 * The end-of-text token that joins documents is `<|endoftext|>` when the vocabulary has it, else
 * tokenizer_config's eos_token, else a usual eos name (</s>, <eos>, <|end_of_text|>).
 * @throws UserFacingError for a file over 50 MiB, bytes that are not UTF-8, bad JSON, a model type
 *   the library does not implement, a malformed vocabulary or merges, or no end-of-text token.
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
  const type = model.type ?? (Array.isArray(model.merges) ? 'BPE' : Array.isArray(model.vocab) ? 'Unigram' : undefined);
  if (!(MODEL_TYPES as readonly unknown[]).includes(type)) {
    throw new UserFacingError(
      `The tokenizer's model type is ${JSON.stringify(type ?? null)}; supported: ${MODEL_TYPES.join(', ')}.`,
    );
  }
  const modelType = type as ModelType;
  const baseSize =
    modelType === 'Unigram' ? checkUnigramVocab(model.vocab, model.unk_id) : checkVocabObject(model.vocab);
  if (modelType === 'BPE') checkMerges(model.merges);
  const vocabSize = Math.max(baseSize, checkAddedTokens(json.added_tokens));

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
        model: {
          ...model,
          type: modelType,
          ...(modelType === 'BPE' && model.merges === undefined ? { merges: [] } : {}),
        },
      },
      config,
    );
  } catch (e) {
    throw new UserFacingError(`tokenizer.json could not be read: ${(e as Error).message}`);
  }

  const id = (name: string | undefined) => (name === undefined ? undefined : hf.token_to_id(name));
  const eosName = specialTokenName(config.eos_token);
  const eosId = [eosName, ...EOS_FALLBACKS].map(id).find((v) => v !== undefined) ?? null;
  const endOfTextId = id(END_OF_TEXT) ?? eosId;
  if (endOfTextId === null || endOfTextId === undefined) {
    throw new UserFacingError(
      `The tokenizer has no end-of-text token (${END_OF_TEXT} or an eos_token): the trainer needs one to separate documents.`,
    );
  }
  const bosId = [specialTokenName(config.bos_token), ...BOS_FALLBACKS].map(id).find((v) => v !== undefined) ?? null;
  const unkId =
    modelType === 'Unigram'
      ? typeof model.unk_id === 'number'
        ? model.unk_id
        : null
      : typeof model.unk_token === 'string'
        ? (hf.token_to_id(model.unk_token) ?? null)
        : null;
  return new HfTokenizer(hf, {
    model: modelType,
    vocabSize,
    endOfTextId,
    eosId,
    bosId,
    unkId,
    byteLevel: hasByteLevel(json.pre_tokenizer) || (modelType === 'BPE' && hasByteFallback(model)),
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

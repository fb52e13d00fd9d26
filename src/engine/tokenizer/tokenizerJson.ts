/**
 * The character tokenizer as a Hugging Face `tokenizer.json` (format version "1.0") and back.
 *
 * Hugging Face has no "character" model type, so the vocabulary is written as a BPE model with
 * EMPTY merges: with nothing to merge, BPE leaves every character as its own token, which is
 * exactly character-level tokenization. No normalizer and no pre-tokenizer (the whole text is one
 * "word" whose characters stay apart); the Fuse decoder concatenates tokens. Python `tokenizers`
 * (`Tokenizer.from_file`) and `@huggingface/tokenizers` both read it.
 */
import { CharTokenizer } from './charTokenizer';
import { UserFacingError } from '../types';
import { END_OF_TEXT, UNKNOWN } from './types';

/** One entry of tokenizer.json's `added_tokens`, every field Hugging Face writes. */
export interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** The tokenizer.json this module writes (the subset of the format a char vocabulary needs). */
export interface CharTokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: AddedTokenJson[];
  normalizer: null;
  pre_tokenizer: null;
  post_processor: null;
  decoder: { type: 'Fuse' };
  model: {
    type: 'BPE';
    dropout: null;
    unk_token: string;
    continuing_subword_prefix: null;
    end_of_word_suffix: null;
    fuse_unk: boolean;
    byte_fallback: boolean;
    ignore_merges: boolean;
    vocab: Record<string, number>;
    merges: [];
  };
}

/** The tokenizer.json object for a character tokenizer; `JSON.stringify` it to write the file. */
export function charTokenizerToJson(tokenizer: CharTokenizer): CharTokenizerJson {
  const vocab: Record<string, number> = {};
  tokenizer.vocabulary().forEach((token, id) => {
    vocab[token] = id;
  });
  const special = (id: number): AddedTokenJson => ({
    id,
    content: tokenizer.idToToken(id)!,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const specials = [tokenizer.endOfTextId, tokenizer.unkId].sort((a, b) => a - b);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map(special),
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Fuse' },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: UNKNOWN,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      // Each unknown character becomes its own <unk>, so sequence lengths match the text's.
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
}

/**
 * tokenizer.json as text, with `model.vocab` in id order as Hugging Face writes it (a plain
 * `JSON.stringify` would list digit keys such as "0" first, because JavaScript orders
 * integer-like object keys before the others).
 */
export function charTokenizerJsonText(tokenizer: CharTokenizer): string {
  const json = charTokenizerToJson(tokenizer);
  const placeholder = '"__VOCAB_IN_ID_ORDER__"';
  const text = JSON.stringify({ ...json, model: { ...json.model, vocab: '__VOCAB_IN_ID_ORDER__' } }, null, 2);
  const entries = tokenizer.vocabulary().map((token, id) => `      ${JSON.stringify(token)}: ${id}`);
  return text.replace(placeholder, `{\n${entries.join(',\n')}\n    }`) + '\n';
}

/** A file that is not a character tokenizer.json, with what is wrong in words. */
export class TokenizerJsonError extends UserFacingError {
  constructor(message: string) {
    super(message);
    this.name = 'TokenizerJsonError';
  }
}

/**
 * Reads a character tokenizer back from tokenizer.json (text or parsed object) and checks that it
 * really is one: a BPE model with no merges, single-character tokens, `<|endoftext|>` and `<unk>`
 * present, ids 0..n−1 each used once, no normalizer or pre-tokenizer that would change the text.
 * @throws TokenizerJsonError with a specific message otherwise.
 */
export function charTokenizerFromJson(input: string | unknown): CharTokenizer {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e) {
      throw new TokenizerJsonError(`tokenizer.json is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!isObject(json)) throw new TokenizerJsonError('tokenizer.json must hold a JSON object.');
  if (json.version !== undefined && json.version !== '1.0') {
    throw new TokenizerJsonError(
      `tokenizer.json has format version ${JSON.stringify(json.version)}; only "1.0" is supported.`,
    );
  }
  if (json.normalizer != null) {
    throw new TokenizerJsonError(
      `A character tokenizer reads text as is, but this one has a normalizer (${describeType(json.normalizer)}).`,
    );
  }
  if (json.pre_tokenizer != null) {
    throw new TokenizerJsonError(
      `A character tokenizer needs no pre-tokenizer, but this one has ${describeType(json.pre_tokenizer)}.`,
    );
  }
  if (json.decoder != null && !(isObject(json.decoder) && json.decoder.type === 'Fuse')) {
    throw new TokenizerJsonError(
      `A character tokenizer's decoder must concatenate tokens ("Fuse"), not ${describeType(json.decoder)}.`,
    );
  }
  const model = json.model;
  if (!isObject(model)) throw new TokenizerJsonError('tokenizer.json has no "model" object.');
  if (model.type !== 'BPE') {
    throw new TokenizerJsonError(
      `The model type is ${JSON.stringify(model.type)}; a character tokenizer is stored as "BPE" with no merges.`,
    );
  }
  if (!Array.isArray(model.merges)) throw new TokenizerJsonError('model.merges must be a list.');
  if (model.merges.length > 0) {
    throw new TokenizerJsonError(
      `model.merges has ${model.merges.length} entries: this is a subword BPE tokenizer, not a character tokenizer. Load it as a GPT-2 (BPE) tokenizer instead.`,
    );
  }
  if (model.unk_token !== UNKNOWN) {
    throw new TokenizerJsonError(`model.unk_token must be "${UNKNOWN}", found ${JSON.stringify(model.unk_token)}.`);
  }
  if (!isObject(model.vocab)) throw new TokenizerJsonError('model.vocab must be an object mapping tokens to ids.');
  const tokens = tokensById(model.vocab);
  if (Array.isArray(json.added_tokens)) {
    for (const added of json.added_tokens) {
      if (!isObject(added) || typeof added.content !== 'string' || tokens[added.id as number] !== added.content) {
        throw new TokenizerJsonError(`added_tokens entry ${JSON.stringify(added)} does not match model.vocab.`);
      }
    }
  }
  try {
    return new CharTokenizer(tokens);
  } catch (e) {
    throw new TokenizerJsonError(`tokenizer.json is not a character vocabulary: ${(e as Error).message}`);
  }
}

/** vocab {token: id} → tokens in id order, checking the ids are exactly 0..n−1. */
function tokensById(vocab: Record<string, unknown>): string[] {
  const entries = Object.entries(vocab);
  const tokens = new Array<string>(entries.length);
  for (const [token, id] of entries) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= entries.length) {
      throw new TokenizerJsonError(
        `model.vocab gives ${JSON.stringify(token)} the id ${JSON.stringify(id)}; ids must be 0..${entries.length - 1}.`,
      );
    }
    if (tokens[id] !== undefined) {
      throw new TokenizerJsonError(
        `model.vocab gives id ${id} to both ${JSON.stringify(tokens[id])} and ${JSON.stringify(token)}.`,
      );
    }
    tokens[id] = token;
  }
  for (const required of [END_OF_TEXT, UNKNOWN]) {
    if (!(required in vocab)) throw new TokenizerJsonError(`model.vocab has no ${required} token.`);
  }
  return tokens;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  return isObject(value) && typeof value.type === 'string' ? `"${value.type}"` : JSON.stringify(value);
}

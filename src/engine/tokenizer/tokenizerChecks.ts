/**
 * Checks on an untrusted tokenizer.json's model section before @huggingface/tokenizers sees it:
 * BPE and WordPiece vocabularies ({token: id}), Unigram's ([token, score] pairs), BPE merges,
 * added tokens. Each returns what the loader needs or throws a UserFacingError in words.
 */
import { UserFacingError } from '../types';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The model types the library implements. */
export const MODEL_TYPES = ['BPE', 'Unigram', 'WordPiece'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

/** {token: id} vocabularies (BPE, WordPiece): ids whole, ≥ 0, used once; returns highest id + 1. */
export function checkVocabObject(vocab: unknown): number {
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
  return maxId + 1;
}

/** Unigram's vocabulary: a list of [token, log-probability]; ids are positions. Returns its length. */
export function checkUnigramVocab(vocab: unknown, unkId: unknown): number {
  if (!Array.isArray(vocab) || vocab.length === 0)
    throw new UserFacingError("A Unigram tokenizer's model.vocab must be a non-empty list of [token, score] pairs.");
  vocab.forEach((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || !Number.isFinite(entry[1]))
      throw new UserFacingError(
        `Unigram vocabulary entry ${i} (${JSON.stringify(entry).slice(0, 60)}) must be [token, score].`,
      );
  });
  if (
    unkId !== undefined &&
    unkId !== null &&
    !(Number.isInteger(unkId) && (unkId as number) >= 0 && (unkId as number) < vocab.length)
  )
    throw new UserFacingError(`The Unigram model's unk_id ${JSON.stringify(unkId)} is not an id of its vocabulary.`);
  return vocab.length;
}

/** Added tokens must carry a string content and a whole id; returns the highest id + 1 (0 if none). */
export function checkAddedTokens(addedTokens: unknown): number {
  if (addedTokens === undefined || addedTokens === null) return 0;
  if (!Array.isArray(addedTokens)) throw new UserFacingError("tokenizer.json's added_tokens must be a list.");
  let maxId = -1;
  for (const added of addedTokens) {
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

/** BPE merges: "left right" strings or ["left", "right"] pairs (an empty list is fine). */
export function checkMerges(merges: unknown): void {
  if (merges === undefined) return;
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

/** A special token in tokenizer_config.json: a string, or an AddedToken object with its content. */
export function specialTokenName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.content === 'string') return value.content;
  return undefined;
}

/** True when a ByteLevel pre-tokenizer maps every byte to a token. */
export function hasByteLevel(preTokenizer: unknown): boolean {
  if (!isObject(preTokenizer)) return false;
  if (preTokenizer.type === 'ByteLevel') return true;
  return Array.isArray(preTokenizer.pretokenizers) && preTokenizer.pretokenizers.some(hasByteLevel);
}

/** True for a BPE with byte_fallback whose vocabulary has all 256 <0xNN> byte tokens (Llama-2, TinyLlama). */
export function hasByteFallback(model: Record<string, unknown>): boolean {
  if (model.byte_fallback !== true || !isObject(model.vocab)) return false;
  const vocab = model.vocab;
  for (let b = 0; b < 256; b++) {
    if (!Object.hasOwn(vocab, `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`)) return false;
  }
  return true;
}

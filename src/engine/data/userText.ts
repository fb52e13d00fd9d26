/**
 * The learner's own text (pasted, or a dropped .txt) as a fine-tuning task: checked, cut into
 * documents and split into train/validation, with a report of what the tokenizer cannot encode.
 *
 * Characters outside the vocabulary are mapped to <unk>, not dropped: every other character stays
 * where it was (dropping would silently turn "café" into "caf"), and samples show <unk> where the
 * model has no way to write the character, which is the honest picture.
 */
import type { UnknownChars } from '../tokenizer/charTokenizer';
import type { TextTokenizer } from '../tokenizer/types';
import { byteLength, decodeUtf8, type TextSource } from '../tokenizer/utf8';
import { KiB, sizeAndLimit } from '../format/bytes';
import { UserFacingError } from '../types';
import { splitTrainValidation } from './corpora';
import type { TextDataset } from './tasks';

/** Larger texts are refused: a tiny model learns a style from far less, and 200 KiB tokenizes instantly. */
export const MAX_USER_TEXT_BYTES = 200 * KiB;
/** Longer lines are cut (at a space when there is one) so that windows can start at document starts. */
export const MAX_USER_DOCUMENT_CHARS = 256;
/** Refuse text in which more than this share of characters would become <unk>. */
export const MAX_UNKNOWN_SHARE = 0.5;

export interface UserTextReport {
  /** Size of the input in UTF-8 bytes. */
  bytes: number;
  /** Characters in all documents. */
  characters: number;
  documents: number;
  /** Characters the tokenizer cannot encode (they become <unk>). */
  unknown: UnknownChars;
  /** A sentence for the learner about unknown characters, or null when there are none. */
  warning: string | null;
}

export interface UserTextOptions {
  seed: number;
  /** Share of documents held out for validation. Default 0.1. */
  validationFraction?: number;
}

/**
 * Validates and prepares user text: at most 200 KiB of UTF-8, not binary, not empty, at least two
 * documents (non-empty lines, long lines cut at 256 characters), and mostly characters the
 * tokenizer knows.
 * @throws UserFacingError with a message that says what to change.
 */
export function prepareUserText(
  source: TextSource,
  tokenizer: TextTokenizer,
  options: UserTextOptions,
): { dataset: TextDataset; report: UserTextReport } {
  const bytes = byteLength(source);
  const tooLarge = userTextSizeProblem(bytes);
  if (tooLarge) throw new UserFacingError(tooLarge);
  const raw = decodeUtf8(source, 'Your text');
  if (raw.includes('\u0000'))
    throw new UserFacingError('This looks like a binary file, not text: choose a plain .txt file.');
  const text = raw.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
  const documents = text.split('\n').flatMap((line) => cutLine(line.trim(), MAX_USER_DOCUMENT_CHARS));
  if (documents.length === 0)
    throw new UserFacingError('Your text is empty: paste a few lines of text or drop a .txt file.');
  if (documents.length < 2) {
    throw new UserFacingError(
      'Your text is a single short line: give at least two lines, so that one can be held back to measure validation loss.',
    );
  }

  const unknown = countUnknown(documents, tokenizer);
  const characters = documents.reduce((n, d) => n + [...d].length, 0);
  if (unknown.count > MAX_UNKNOWN_SHARE * characters) {
    throw new UserFacingError(
      `${Math.round((100 * unknown.count) / characters)} % of your text uses characters the model does not know (${listChars(unknown)}). The shipped model knows English letters, digits and ASCII punctuation: try English text.`,
    );
  }
  return {
    dataset: documentsDataset(documents, options),
    report: { bytes, characters, documents: documents.length, unknown, warning: unknownWarning(unknown) },
  };
}

/**
 * Documents (two or more) as a fine-tuning task: a seeded train/validation split (a tenth held
 * out by default), windows aligned to document starts, and sample prompts from the first word.
 * The page's own text and the CLI's text file both become a dataset this way.
 */
export function documentsDataset(
  documents: readonly string[],
  options: UserTextOptions & { label?: string },
): TextDataset {
  const split = splitTrainValidation(documents, {
    seed: options.seed,
    validationFraction: options.validationFraction ?? 0.1,
  });
  const firstWord = split.train[0].split(' ')[0].slice(0, 8);
  return {
    id: 'user',
    label: options.label ?? 'Your text',
    ...split,
    samplePrompts: firstWord === '' ? [''] : ['', firstWord],
    alignToDocuments: true,
  };
}

/** Cuts a line into pieces of at most `max` characters, at the last space before the limit if any. */
export function cutLine(line: string, max: number): string[] {
  const chars = [...line];
  const pieces: string[] = [];
  let start = 0;
  while (chars.length - start > max) {
    let end = start + max;
    const space = chars.lastIndexOf(' ', end);
    if (space > start) end = space;
    pieces.push(chars.slice(start, end).join('').trim());
    start = end;
  }
  pieces.push(chars.slice(start).join('').trim());
  return pieces.filter((p) => p.length > 0);
}

function countUnknown(documents: readonly string[], tokenizer: TextTokenizer): UnknownChars {
  const covered = new Map<string, boolean>();
  const counts = new Map<string, number>();
  for (const doc of documents) {
    for (const ch of doc) {
      let ok = covered.get(ch);
      if (ok === undefined) covered.set(ch, (ok = tokenizer.coversChar(ch)));
      if (!ok) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  }
  const chars = [...counts].map(([char, count]) => ({ char, count }));
  chars.sort((a, b) => b.count - a.count || a.char.codePointAt(0)! - b.char.codePointAt(0)!);
  return { count: chars.reduce((n, c) => n + c.count, 0), chars };
}

/** "12 characters are not in the model's vocabulary (é, ñ…): they will be mapped to <unk>." */
export function unknownWarning(unknown: UnknownChars): string | null {
  if (unknown.count === 0) return null;
  const n = unknown.count;
  const [subject, pronoun] = n === 1 ? ['character is', 'it'] : ['characters are', 'they'];
  return `${n.toLocaleString('en-US')} ${subject} not in the model's vocabulary (${listChars(unknown)}): ${pronoun} will be mapped to <unk>.`;
}

/** Up to five distinct characters, most frequent first; invisible ones as U+XXXX. */
function listChars(unknown: UnknownChars): string {
  const shown = unknown.chars
    .slice(0, 5)
    .map(({ char }) =>
      /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char)
        ? char
        : `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
    );
  return shown.join(', ') + (unknown.chars.length > 5 ? '…' : '');
}

/**
 * Why `bytes` of text are refused ("Your text is 205 KiB; the limit is 200 KiB. …"), or null when
 * they are few enough. Checked before a dropped file is even read.
 * @param what the text's name in the message, e.g. a file name
 */
export function userTextSizeProblem(bytes: number, what = 'Your text'): string | null {
  if (bytes <= MAX_USER_TEXT_BYTES) return null;
  const { size, limit } = sizeAndLimit(bytes, MAX_USER_TEXT_BYTES);
  return `${what} is ${size}; the limit is ${limit}. Paste or drop a shorter excerpt.`;
}

/**
 * Turning raw word lists into corpora of documents (one document per word or name), and the
 * seeded train/validation split every task uses. Pure functions: the build script feeds them the
 * npm packages' lists, tests feed them small arrays.
 */
import { mulberry32, shuffled } from '../rng';

/** Documents split into training and held-out validation sets. */
export interface Split {
  train: string[];
  validation: string[];
}

export interface SplitOptions {
  /** Seed of the shuffle that decides which documents are held out. */
  seed: number;
  /** Share of documents held out for validation, in (0, 1). */
  validationFraction: number;
}

/**
 * Shuffles (seeded) and holds out a fraction for validation: at least one document on each side
 * when there are two or more. The same documents and seed always give the same split; the input
 * order matters, so callers sort or otherwise fix it first.
 */
export function splitTrainValidation(documents: readonly string[], { seed, validationFraction }: SplitOptions): Split {
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw new RangeError(`validationFraction must be between 0 and 1, got ${validationFraction}.`);
  }
  if (documents.length < 2) throw new RangeError(`Need at least 2 documents to split, got ${documents.length}.`);
  const order = shuffled(documents, mulberry32(seed));
  const nValidation = Math.min(documents.length - 1, Math.max(1, Math.round(documents.length * validationFraction)));
  return { validation: order.slice(0, nValidation), train: order.slice(nValidation) };
}

/**
 * CMUdict's headwords as plain English words: alternates like "READ(1)" folded into "read",
 * lower-cased, only entries made of letters and apostrophes (with at least one letter; this
 * drops abbreviations such as "A.", hyphenated compounds and numbers), deduplicated and sorted.
 */
export function wordsFromCmudict(headwords: Iterable<string>): string[] {
  const words = new Set<string>();
  for (const headword of headwords) {
    const word = headword.replace(/\(\d+\)$/, '').toLowerCase();
    if (/^[a-z']+$/.test(word) && /[a-z]/.test(word)) words.add(word);
  }
  return [...words].sort();
}

/**
 * First names, capitalised ("ErvIn" → "Ervin", "ann-marie" → "Ann-Marie"), letters and hyphens
 * only, deduplicated across the lists and sorted.
 */
export function namesFromLists(...lists: Iterable<string>[]): string[] {
  const names = new Set<string>();
  for (const list of lists) {
    for (const raw of list) {
      const name = raw
        .trim()
        .split('-')
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
        .join('-');
      if (/^[A-Z][a-z]*(-[A-Z][a-z]*)*$/.test(name) && name.length >= 2) names.add(name);
    }
  }
  return [...names].sort();
}

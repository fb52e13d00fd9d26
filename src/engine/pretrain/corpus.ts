/**
 * The base model's pretraining corpus: the lower-case CMUdict words, deterministically augmented
 * so that every character a fine-tuning task uses has been seen in pretraining.
 *
 * Why: the tied LM head means a token's embedding row is also its output row. A character that
 * never appears as a target only ever receives "be less likely" gradient, so its row is pushed
 * away and a LoRA fine-tune (which cannot touch the embeddings) starts from a base that can hardly
 * write capitals, digits, '-', '+' or '='. A small, seeded share of case variants and non-word
 * documents fixes that while the corpus stays overwhelmingly dictionary words.
 */
import { mixSeed, mulberry32, randomInt, type Random } from '../rng';
import { DATA_SEED } from '../data/tasks';

export interface AugmentOptions {
  /** Seeds every choice: same seed + same words ⇒ same documents. */
  seed: number;
  /** Share of words written Title-case ("apple" → "Apple"). Default 0.20. */
  titleShare?: number;
  /** Share of words written UPPER-case ("apple" → "APPLE"). Default 0.03. */
  upperShare?: number;
  /** Extra non-word documents, as a share of the word count (integers or joined tokens). Default 0.05. */
  extraShare?: number;
}

export const AUGMENT_DEFAULTS = { titleShare: 0.2, upperShare: 0.03, extraShare: 0.05 } as const;

/** Separators of the joined-token documents: every punctuation mark a shipped task uses. */
export const JOINERS = ['-', '+', '='] as const;

/** Stream ids inside mixSeed so the case choices and the extra documents never share numbers. */
const CASE_STREAM = 1;
const EXTRA_STREAM = 2;

export function titleCase(word: string): string {
  return word.length === 0 ? word : word[0].toUpperCase() + word.slice(1);
}

/**
 * One extra document: half are plain integers 0–9999 (uniform number of digits 1–4, so short
 * numbers are not drowned by 4-digit ones), half are 2–3 tokens (a word or a small number)
 * joined by one of '-', '+', '=' ("salt-pepper", "cat+7", "door=42").
 */
export function extraDocument(random: Random, words: readonly string[]): string {
  const number = () => String(randomInt(random, 10 ** (1 + randomInt(random, 4))));
  if (random() < 0.5) return number();
  const joiner = JOINERS[randomInt(random, JOINERS.length)];
  const parts = 2 + randomInt(random, 2);
  const tokens: string[] = [];
  for (let i = 0; i < parts; i++) tokens.push(random() < 0.7 ? words[randomInt(random, words.length)] : number());
  return tokens.join(joiner);
}

/**
 * Words → pretraining documents. Each word keeps its place and gets its case drawn (Title,
 * UPPER or as is); then `extraShare·n` extra documents are inserted at seeded positions.
 * Pure: the input is not modified.
 */
export function augmentWords(words: readonly string[], options: AugmentOptions): string[] {
  const titleShare = options.titleShare ?? AUGMENT_DEFAULTS.titleShare;
  const upperShare = options.upperShare ?? AUGMENT_DEFAULTS.upperShare;
  const extraShare = options.extraShare ?? AUGMENT_DEFAULTS.extraShare;
  for (const [name, v] of Object.entries({ titleShare, upperShare, extraShare })) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${v}.`);
  }
  if (titleShare + upperShare > 1) throw new RangeError('titleShare + upperShare must be at most 1.');
  const caseRandom = mulberry32(mixSeed(options.seed, CASE_STREAM));
  const out = words.map((w) => {
    const u = caseRandom();
    if (u < titleShare) return titleCase(w);
    if (u < titleShare + upperShare) return w.toUpperCase();
    return w;
  });
  if (words.length === 0) return out;
  // Extras go in at seeded gaps (0…n: before word 0 … after the last); a stable merge keeps it O(n log n).
  const extraRandom = mulberry32(mixSeed(options.seed, EXTRA_STREAM));
  const extras = Array.from({ length: Math.round(extraShare * words.length) }, () => ({
    doc: extraDocument(extraRandom, words),
    gap: randomInt(extraRandom, words.length + 1),
  })).sort((a, b) => a.gap - b.gap);
  const merged: string[] = [];
  let e = 0;
  for (let i = 0; i <= out.length; i++) {
    while (e < extras.length && extras[e].gap === i) merged.push(extras[e++].doc);
    if (i < out.length) merged.push(out[i]);
  }
  return merged;
}

/** How the documents break down, for the provenance file and the docs. */
export interface CorpusStats {
  documents: number;
  characters: number;
  lower: number;
  title: number;
  upper: number;
  /** Documents that are not a single word (integers, joined tokens). */
  other: number;
  /** Distinct characters used, sorted by code point. */
  alphabet: string;
}

export function corpusStats(documents: readonly string[]): CorpusStats {
  const s = { documents: documents.length, characters: 0, lower: 0, title: 0, upper: 0, other: 0 };
  const chars = new Set<string>();
  for (const d of documents) {
    s.characters += d.length;
    for (const ch of d) chars.add(ch);
    if (/^[a-z']+$/.test(d)) s.lower++;
    else if (/^[A-Z][a-z']*$/.test(d) && /[a-z]/.test(d)) s.title++;
    else if (/^[A-Z']+$/.test(d)) s.upper++;
    else s.other++;
  }
  const alphabet = [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!).join('');
  return { ...s, alphabet };
}

/**
 * Seed of the augmentation, fixed (the data seed) rather than tied to the training seed: the
 * held-out documents stay the same whatever `--seed` is, so losses of different runs compare.
 */
export const CORPUS_SEED = DATA_SEED;

/**
 * The words task's two splits → the pretraining corpus (train and held-out augmented alike,
 * with independent streams so the two splits' extra documents differ).
 */
export function pretrainCorpus(
  words: { train: readonly string[]; validation: readonly string[] },
  seed = CORPUS_SEED,
): { train: string[]; validation: string[] } {
  return {
    train: augmentWords(words.train, { seed: mixSeed(seed, 0) }),
    validation: augmentWords(words.validation, { seed: mixSeed(seed, 1) }),
  };
}

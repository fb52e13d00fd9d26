import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../rng';
import { parseDocuments } from '../data/tasks';
import { augmentWords, corpusStats, extraDocument, pretrainCorpus, titleCase } from './corpus';

const require = createRequire(import.meta.url);
const publicData = join(dirname(require.resolve('../../../package.json')), 'public', 'data');
const read = (f: string) => parseDocuments(readFileSync(join(publicData, f), 'utf8'));
const words = { train: read('words.train.txt'), validation: read('words.validation.txt') };

describe('augmentWords', () => {
  const sample = words.train.slice(0, 20000);

  it('is a pure function of (words, seed): same seed ⇒ same documents, other seed ⇒ different', () => {
    const copy = sample.slice();
    const a = augmentWords(sample, { seed: 1 });
    expect(augmentWords(sample, { seed: 1 })).toEqual(a);
    expect(augmentWords(sample, { seed: 2 })).not.toEqual(a);
    expect(sample).toEqual(copy); // input untouched
  });

  it('keeps every word in order (only its case changes) and adds ~5 % extra documents', () => {
    const out = augmentWords(sample, { seed: 3 });
    expect(out.length).toBe(sample.length + Math.round(0.05 * sample.length));
    const kept = out.filter((d) => /^[A-Za-z']+$/.test(d) && !/^\d/.test(d)).map((d) => d.toLowerCase());
    // extras made only of letters (none: every extra has a digit or a joiner) would break the order check
    expect(kept).toEqual(sample);
  });

  it('hits the case shares within sampling noise: ~20 % Title, ~3 % UPPER, ~5 % other', () => {
    const s = corpusStats(augmentWords(sample, { seed: 4 }));
    const n = sample.length;
    // single-letter words Title-cased look UPPER; both shares are binomial, σ ≈ 0.3 % at n = 20000
    expect(s.title / n).toBeGreaterThan(0.185);
    expect(s.title / n).toBeLessThan(0.215);
    expect(s.upper / n).toBeGreaterThan(0.024);
    expect(s.upper / n).toBeLessThan(0.038);
    expect(s.other).toBe(Math.round(0.05 * n));
    expect(s.lower / s.documents).toBeGreaterThan(0.7); // still a corpus of dictionary words
  });

  it('rejects shares outside [0, 1] with a message naming the option', () => {
    expect(() => augmentWords(sample, { seed: 0, titleShare: 1.5 })).toThrow(/titleShare/);
    expect(() => augmentWords(sample, { seed: 0, extraShare: -0.1 })).toThrow(/extraShare/);
    expect(() => augmentWords(sample, { seed: 0, titleShare: 0.8, upperShare: 0.3 })).toThrow(/at most 1/);
    expect(augmentWords([], { seed: 0 })).toEqual([]);
  });
});

describe('extraDocument', () => {
  it('makes integers 0–9999 or words/numbers joined by - + =', () => {
    const random = mulberry32(9);
    const docs = Array.from({ length: 2000 }, () => extraDocument(random, ['cat', 'dog']));
    for (const d of docs)
      expect(d).toMatch(/^(\d{1,4}|((cat|dog|\d{1,4})([-+=])(cat|dog|\d{1,4})(\4(cat|dog|\d{1,4}))?))$/);
    const ints = docs.filter((d) => /^\d+$/.test(d));
    expect(ints.length / docs.length).toBeGreaterThan(0.45);
    expect(ints.length / docs.length).toBeLessThan(0.55);
    for (const j of '-+=') expect(docs.some((d) => d.includes(j))).toBe(true);
    expect(new Set(ints.map((d) => d.length))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('titleCase capitalises the first letter only', () => {
    expect(titleCase("o'brien")).toBe("O'brien");
    expect(titleCase('')).toBe('');
  });
});

describe('pretrainCorpus (the shipped words task)', () => {
  const corpus = pretrainCorpus(words);

  it('covers every character the fine-tuning tasks use', () => {
    const alphabet = new Set(corpusStats(corpus.train).alphabet);
    const needed = new Set<string>();
    for (const task of ['names', 'dates', 'arithmetic']) {
      for (const split of ['train', 'validation'])
        for (const d of read(`${task}.${split}.txt`)) for (const ch of d) needed.add(ch);
    }
    expect([...needed].filter((ch) => !alphabet.has(ch))).toEqual([]);
  });

  it('augments both splits independently and deterministically', () => {
    expect(corpus.validation.length).toBe(words.validation.length + Math.round(0.05 * words.validation.length));
    expect(pretrainCorpus(words).validation).toEqual(corpus.validation);
    expect(corpusStats(corpus.validation).other).toBeGreaterThan(0);
  });
});

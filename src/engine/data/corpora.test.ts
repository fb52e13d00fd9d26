import { describe, expect, it } from 'vitest';
import { namesFromLists, splitTrainValidation, wordsFromCmudict } from './corpora';
import { generateArithmetic, generateDates } from './generated';

describe('corpora', () => {
  it('cleans CMUdict headwords into lower-case words with apostrophes', () => {
    const words = wordsFromCmudict([
      'READ',
      'READ(1)',
      "AARON'S",
      'A.',
      'A42128',
      'AD-HOC',
      'AIR_FORCE',
      "'",
      "'BOUT",
      'Zoo',
    ]);
    expect(words).toEqual(["'bout", "aaron's", 'read', 'zoo']);
  });

  it('capitalises and deduplicates names across lists', () => {
    expect(namesFromLists(['Ada', 'ErvIn', 'anne-marie'], ['Ada', 'Bob', 'X', "O'Neil"])).toEqual([
      'Ada',
      'Anne-Marie',
      'Bob',
      'Ervin',
    ]);
  });

  it('splits deterministically by seed, disjointly, with the requested share held out', () => {
    const docs = Array.from({ length: 100 }, (_, i) => `d${i}`);
    const a = splitTrainValidation(docs, { seed: 1, validationFraction: 0.1 });
    expect(a.validation).toHaveLength(10);
    expect(a.train).toHaveLength(90);
    expect(new Set([...a.train, ...a.validation]).size).toBe(100);
    expect(splitTrainValidation(docs, { seed: 1, validationFraction: 0.1 })).toEqual(a);
    expect(splitTrainValidation(docs, { seed: 2, validationFraction: 0.1 }).validation).not.toEqual(a.validation);
    expect(splitTrainValidation(['a', 'b'], { seed: 1, validationFraction: 0.01 })).toMatchObject({
      train: [expect.any(String)],
      validation: [expect.any(String)],
    });
    expect(() => splitTrainValidation(['a'], { seed: 1, validationFraction: 0.1 })).toThrow(/at least 2 documents/);
    expect(() => splitTrainValidation(docs, { seed: 1, validationFraction: 1 })).toThrow(RangeError);
  });
});

describe('generated tasks', () => {
  it('dates are distinct, valid calendar dates, and repeat by seed', () => {
    const dates = generateDates(3000, 5);
    expect(new Set(dates).size).toBe(3000);
    for (const d of dates) {
      expect(d).toMatch(/^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
      const parsed = new Date(`${d}T00:00:00Z`);
      expect(parsed.toISOString().slice(0, 10)).toBe(d); // 2023-02-29 would roll over to 03-01
    }
    expect(generateDates(3000, 5)).toEqual(dates);
    expect(generateDates(10, 6)).not.toEqual(dates.slice(0, 10));
    expect(generateDates(73049, 1)).toContain('2000-02-29');
    expect(generateDates(73049, 1)).not.toContain('1900-02-29');
  });

  it('sums are distinct and correct, and repeat by seed', () => {
    const sums = generateArithmetic(2000, 9);
    expect(new Set(sums).size).toBe(2000);
    for (const s of sums) {
      const [, a, b, c] = s.match(/^(\d{1,2})\+(\d{1,2})=(\d{1,3})$/)!.map(Number);
      expect(a + b).toBe(c);
    }
    expect(generateArithmetic(2000, 9)).toEqual(sums);
    expect(() => generateArithmetic(10_001, 1)).toThrow(/Only 10000 distinct sums/);
  });
});

import { describe, expect, it } from 'vitest';
import { formatPeftLine } from '../../../engine/peftLine';
import { parseMilestones } from '../../storage/milestones';
import { PATH } from './pathSteps';
import { feedback, pick, stepDone, withPathReturn } from './progress';

it('every step has a valid answer and a unique id', () => {
  expect(new Set(PATH.map((s) => s.id)).size).toBe(PATH.length);
  for (const s of PATH) expect(s.answer).toBeLessThan(s.choices.length);
});

it('the numbers in the answers are the computed ones', () => {
  expect(8 * (4096 + 4096)).toBe(65_536);
  const params = PATH.find((s) => s.id === 'params')!;
  const trainable = 12 * 8 * (768 + 2304);
  expect(params.choices[params.answer]).toBe(trainable.toLocaleString('en-US'));
  expect(params.why).toContain(
    formatPeftLine(trainable, 124_439_808 + trainable)
      .split('|| all params: ')[1]
      .split(' ')[0],
  );
});

describe('answers, hints and ticks', () => {
  const rank = PATH[0];
  const wrong = (rank.answer + 1) % rank.choices.length;
  it('a first wrong answer gives a hint, a second the answer; asking shows it at once', () => {
    const first = pick(rank, undefined, wrong);
    expect(feedback(first)).toBe('hint');
    expect(feedback(pick(rank, first, wrong))).toBe('answer');
    expect(feedback({ ...first, revealed: true })).toBe('answer');
    expect(feedback(pick(rank, first, rank.answer))).toBe('right');
    // Saves from before tries were counted read as one try.
    expect(feedback({ answered: wrong, correct: false })).toBe('hint');
  });
  it('train and download tick only once they really happened, not on a right answer alone', () => {
    const acts = PATH.filter((s) => s.action).map((s) => [s.id, s.action!.milestone]);
    expect(acts).toEqual([
      ['train', 'trained'],
      ['export', 'downloaded'],
    ]);
    const train = PATH.find((s) => s.id === 'train')!;
    const progress = { train: { answered: train.answer, correct: true } };
    expect(stepDone(train, progress, {})).toBe(false);
    expect(stepDone(train, progress, { trained: { at: 1, detail: '30 LoRA steps' } })).toBe(true);
    expect(stepDone(train, {}, { trained: { at: 1, detail: '30 LoRA steps' } })).toBe(false);
    expect(stepDone(rank, { rank: { answered: rank.answer, correct: true } }, {})).toBe(true);
  });
  it('every step has a hint, a summary line and a link text that reads on its own', () => {
    for (const s of PATH) {
      expect(s.hint.length, s.id).toBeGreaterThan(20);
      expect(s.learned.length, s.id).toBeGreaterThan(20);
      expect(s.linkText, s.id).toMatch(/^[A-Z][a-z]+ .* page$/);
      expect(s.hint, s.id).not.toContain(s.choices[s.answer]);
    }
  });
  it('links carry the step to come back to', () => {
    expect(withPathReturn('#/learn/rank', 1)).toBe('#/learn/rank?path=1');
    expect(withPathReturn('#/learn/svd?k=1', 2)).toBe('#/learn/svd?k=1&path=2');
  });
});

describe('stored milestones', () => {
  it('keep only well-formed records (storage is editable by anyone)', () => {
    expect(parseMilestones(null)).toEqual({});
    expect(parseMilestones('not json')).toEqual({});
    expect(parseMilestones('{"trained":{"at":5,"detail":"x"},"downloaded":{"at":"no"},"other":1}')).toEqual({
      trained: { at: 5, detail: 'x' },
    });
  });
});

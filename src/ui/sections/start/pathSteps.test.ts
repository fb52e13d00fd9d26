import { expect, it } from 'vitest';
import { formatPeftLine } from '../../../engine/peftLine';
import { PATH } from './pathSteps';

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

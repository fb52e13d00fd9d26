import { expect, it } from 'vitest';
import { formatPeftLine, withCommas } from './peftLine';

it('reproduces PEFT’s line for GPT-2 small, r = 8 on c_attn', () => {
  // c_attn: 12 layers × r·(d_in + d_out) = 12 × 8 × (768 + 2304) = 294,912
  expect(formatPeftLine(294_912, 124_439_808 + 294_912)).toBe(
    'trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364',
  );
});

it('groups thousands like Python', () => {
  expect(withCommas(0)).toBe('0');
  expect(withCommas(999)).toBe('999');
  expect(withCommas(1000)).toBe('1,000');
  expect(withCommas(3_005_015_040)).toBe('3,005,015,040');
});

import { describe, expect, it } from 'vitest';
import { decodeSequence, DEFAULT_SEQUENCE, encodeSequence, stepIndexOf } from './presenter';

describe('presenter sequences', () => {
  it('round-trip through their URL encoding, titles with any characters included', () => {
    const steps = [
      { route: 'learn/svd', params: 'k=2&preset=image', title: 'Rank 2 ~ of 3! (σ₁ ≥ σ₂)' },
      { route: '', params: '', title: 'Start' },
    ];
    expect(decodeSequence(encodeSequence(steps))).toEqual(steps);
    expect(decodeSequence(encodeSequence(DEFAULT_SEQUENCE))).toEqual(DEFAULT_SEQUENCE);
  });
  it('reject malformed links instead of guessing', () => {
    expect(decodeSequence('')).toBeNull();
    expect(decodeSequence('a!b')).toBeNull();
    expect(decodeSequence('%E0%A4%A!x!y')).toBeNull();
    expect(decodeSequence('javascript:alert(1)!!x')).toBeNull();
  });
  it('find the step a view belongs to, whatever the param order', () => {
    const steps = [{ route: 'learn/svd', params: 'k=2&preset=image', title: '' }];
    expect(stepIndexOf(steps, 'learn/svd', 'preset=image&k=2')).toBe(0);
    expect(stepIndexOf(steps, 'learn/svd', 'k=3')).toBe(-1);
  });
});

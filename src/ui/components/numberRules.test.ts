import { describe, expect, it } from 'vitest';
import { numberProblem, parseNumberText, stepNumber, type NumberRule } from './numberRules';

const steps: NumberRule = { min: 1, max: 5000, integer: true };
const alpha: NumberRule = { min: 0.01, max: 4096, integer: false };
const weight: NumberRule = { min: -Infinity, max: Infinity, integer: false };

describe('number fields', () => {
  it('accept only what the rule allows', () => {
    expect(parseNumberText(' 50 ', steps)).toBe(50);
    expect(parseNumberText('2.5', steps)).toBeNull();
    expect(parseNumberText('1e3', steps)).toBeNull(); // a whole number is typed as digits
    expect(parseNumberText('0', steps)).toBeNull();
    expect(parseNumberText('2.5', alpha)).toBe(2.5);
    expect(parseNumberText('1e3', alpha)).toBe(1000);
    expect(parseNumberText('', alpha)).toBeNull();
    expect(parseNumberText('-0.5', weight)).toBe(-0.5);
    expect(parseNumberText('Infinity', weight)).toBeNull();
  });

  it('say why a text is refused, in the words of the 2-D lab', () => {
    expect(numberProblem('abc', 'steps', steps)).toBe('steps must be a whole number');
    expect(numberProblem('9000', 'steps', steps)).toBe('steps must be between 1 and 5000');
    expect(numberProblem('x', 'alpha α', alpha)).toBe('alpha α must be a number');
    expect(numberProblem('-1', 'seed', { min: 0, max: Infinity, integer: true })).toBe('seed must be at least 0');
    expect(numberProblem('12', 'steps', steps)).toBeNull();
    expect(numberProblem('-3', 'weight', weight)).toBeNull();
  });

  it('step with the keyboard within the bounds, without float noise', () => {
    expect(stepNumber(0.2, 1, 0.1, weight)).toBe(0.3);
    expect(stepNumber(0.3, -3, 0.1, weight)).toBe(0);
    expect(stepNumber(5000, 1, 1, steps)).toBe(5000);
    expect(stepNumber(3, -10, 1, steps)).toBe(1);
    expect(stepNumber(16, 10, 1, alpha)).toBe(26);
    expect(stepNumber(0.01, -1, 1, alpha)).toBe(0.01);
    expect(stepNumber(1e-7, 1, 1e-7, weight)).toBe(2e-7);
  });
});

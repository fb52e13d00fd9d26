import { describe, expect, it } from 'vitest';
import { formatNum, formatSci } from './format';
import { formatMatrix, parseMatrix, parseNumber } from './matrixText';

describe('formatNum', () => {
  it('hides binary float noise', () => {
    expect(2.1 * 2.2).not.toBe(4.62);
    expect(formatNum(2.1 * 2.2)).toBe('4.62');
    expect(formatNum(0.1 + 0.2)).toBe('0.3');
    expect(formatNum(-0)).toBe('0');
    expect(formatNum(-1.5)).toBe('-1.5');
    expect(formatNum(1e-20)).toBe('1e-20');
    expect(formatNum(123456789012)).toBe('123456789012');
  });
  it('formatSci', () => {
    expect(formatSci(0)).toBe('0');
    expect(formatSci(3.56e-15)).toBe('3.6e-15');
  });
});

describe('matrix text', () => {
  it('round-trips', () => {
    const p = parseMatrix('2,4,6;3,6,9;4,8,12');
    expect(p).toEqual({
      ok: true,
      value: [
        [2, 4, 6],
        [3, 6, 9],
        [4, 8, 12],
      ],
    });
    if (p.ok) expect(formatMatrix(p.value)).toBe('2,4,6;3,6,9;4,8,12');
  });
  it('says what is wrong and where', () => {
    expect(parseMatrix('1,2;3')).toEqual({ ok: false, message: 'Row 2 has 1 entries, row 1 has 2.' });
    expect(parseMatrix('1,x')).toEqual({ ok: false, message: 'Row 1, column 2: “x” is not a number.' });
    expect(parseMatrix('1,2,3', 2).ok).toBe(false);
  });
  it('parseNumber accepts people’s numbers only', () => {
    expect(parseNumber(' -0.5 ')).toBe(-0.5);
    expect(parseNumber('1e-3')).toBe(0.001);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('2.')).toBe(2);
    for (const bad of ['', '-', 'abc', '0x10', 'Infinity', '1e999', '1,5']) expect(parseNumber(bad)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { CLASS_COLORS, probabilityColor } from './boundary';

const lightness = ([r, g, b]: number[]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

describe('boundary colours', () => {
  it('class 0 is orange, class 1 blue, 0.5 near white; colour fades toward the boundary', () => {
    const [r0, , b0] = probabilityColor(0);
    const [r1, , b1] = probabilityColor(1);
    expect(r0).toBeGreaterThan(b0); // orange
    expect(b1).toBeGreaterThan(r1); // blue
    const mid = probabilityColor(0.5);
    expect(Math.min(...mid)).toBeGreaterThan(240);
    expect(lightness(probabilityColor(0.25))).toBeGreaterThan(lightness(probabilityColor(0)));
    expect(lightness(probabilityColor(0.75))).toBeGreaterThan(lightness(probabilityColor(1)));
    expect(probabilityColor(2)).toEqual(probabilityColor(1)); // clamped
    expect(probabilityColor(NaN)).toEqual([160, 160, 160]);
  });

  it('point colours are the Okabe–Ito vermilion and blue', () => {
    expect(CLASS_COLORS).toEqual(['#d55e00', '#0072b2']);
  });
});

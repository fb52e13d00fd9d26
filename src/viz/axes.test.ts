import { describe, expect, it } from 'vitest';
import { GiB, KiB, MiB } from '../engine/format/bytes';
import { bandCut, byteTicks, indexAxis, indexBands } from './axes';

describe('axis helpers', () => {
  it('label a bar per index 1…n, thinned to about 16 labels', () => {
    const x = indexBands(8, 0, 800);
    expect(indexAxis(x).tickValues()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(indexAxis(x).tickFormat()!(0, 0)).toBe('1');
    const many = indexAxis(indexBands(96, 0, 960)).tickValues() as number[];
    expect(many[0]).toBe(0);
    expect(many.slice(1).every((i) => (i + 1) % 6 === 0)).toBe(true); // ⌈96 / 16⌉ = 6
    expect(many.length).toBe(17);
  });

  it('cut between two bars, halfway through the gap', () => {
    const x = indexBands(4, 0, 400);
    const cut = bandCut(x, 2, 0);
    expect(cut).toBeGreaterThan(x(1)! + x.bandwidth());
    expect(cut).toBeLessThan(x(2)!);
    expect(cut - (x(1)! + x.bandwidth())).toBeCloseTo(x(2)! - cut, 9);
  });

  it('put byte ticks on round numbers of one binary unit, the domain ending on a tick', () => {
    const t = byteTicks(1.85 * GiB);
    expect(t.ticks.map(t.format)).toEqual(['0 GiB', '0.5 GiB', '1 GiB', '1.5 GiB', '2 GiB']);
    expect(t.domain).toEqual([0, 2 * GiB]);
    const small = byteTicks(300 * KiB);
    expect(small.ticks.map(small.format)).toEqual([
      '0 KiB',
      '50 KiB',
      '100 KiB',
      '150 KiB',
      '200 KiB',
      '250 KiB',
      '300 KiB',
    ]);
    expect(byteTicks(5 * MiB).domain[1]).toBe(5 * MiB);
    expect(byteTicks(0).domain).toEqual([0, 1]);
  });
});

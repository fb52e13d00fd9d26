import { describe, expect, it } from 'vitest';
import { LEGEND, layoutLegend } from './lossChart';

/** The Train page's four entries with values, as wide as they render at 13 px (≈ 7 px a character). */
const LABELS = ['train (raw): 2.345', 'train (smoothed): 2.301', 'validation: 2.412', 'base model (val.): 2.334'];
const widths = LABELS.map((l) => 7 * l.length);

describe('loss chart legend', () => {
  it('keeps every entry inside the chart at every width the page draws, phone to desktop', () => {
    for (let width = 300; width <= 900; width += 10) {
      const { x, y, rows } = layoutLegend(widths, width, 58, 16);
      x.forEach((left, i) => {
        expect(left, `entry ${i} at width ${width}`).toBeGreaterThanOrEqual(0);
        expect(left + LEGEND.swatch + widths[i], `entry ${i} at width ${width}`).toBeLessThanOrEqual(width);
      });
      // Entries in one row never overlap.
      for (let i = 1; i < x.length; i++) {
        if (y[i] === y[i - 1]) expect(x[i]).toBeGreaterThanOrEqual(x[i - 1] + LEGEND.swatch + widths[i - 1]);
      }
      expect(rows).toBe(new Set(y).size);
    }
  });

  it('uses one row when it fits and wraps when it does not', () => {
    expect(layoutLegend(widths, 1400, 58, 16).rows).toBe(1);
    expect(layoutLegend(widths, 620, 58, 16).rows).toBeGreaterThan(1);
    const narrow = layoutLegend(widths, 320, 58, 16);
    expect(narrow.rows).toBe(4);
    expect(layoutLegend([], 320, 58, 16).rows).toBe(0);
  });

  it('shifts an entry wider than a row towards the edge instead of letting it run out', () => {
    const { x } = layoutLegend([250], 320, 58, 16);
    expect(x[0]).toBe(320 - LEGEND.edge - LEGEND.swatch - 250);
  });
});

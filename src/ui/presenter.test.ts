import { describe, expect, it } from 'vitest';
import { decodeSequence, DEFAULT_SEQUENCE, encodeSequence, figureOf, stepIndexOf } from './presenter';
import { fitBox, untransformed } from './presenterFit';

describe('presenter sequences', () => {
  it('round-trip through their URL encoding, titles with any characters included', () => {
    const steps = [
      { route: 'learn/svd', params: 'k=2&preset=image', title: 'Rank 2 ~ of 3! (σ₁ ≥ σ₂)' },
      { route: '', params: '', title: 'Start' },
    ];
    expect(decodeSequence(encodeSequence(steps))).toEqual(steps);
    const views = DEFAULT_SEQUENCE.map(({ route, params, title }) => ({ route, params, title }));
    expect(decodeSequence(encodeSequence(DEFAULT_SEQUENCE))).toEqual(views);
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
  it('the default talk opens on a title card, and every other step names its figure and has notes', () => {
    expect(DEFAULT_SEQUENCE[0].card).toBeTruthy();
    expect(figureOf(DEFAULT_SEQUENCE[0])).toBe('title-card');
    for (const s of DEFAULT_SEQUENCE) {
      expect(figureOf(s), s.title).toBeTruthy();
      expect(s.notes, s.title).toBeTruthy();
    }
    // Every step is a distinct view, or → could never reach the second of two equal ones.
    const keys = DEFAULT_SEQUENCE.map((s) => stepIndexOf(DEFAULT_SEQUENCE, s.route, s.params));
    expect(keys).toEqual(DEFAULT_SEQUENCE.map((_, i) => i));
  });
  it('a recorded view takes its figure from its fig param, else from its route', () => {
    expect(figureOf({ route: 'learn/adam', params: 'fig=adam-state', title: '' })).toBe('adam-state');
    expect(figureOf({ route: 'learn/svd', params: 'k=2', title: '' })).toBe('svd-maps');
    expect(figureOf({ route: '', params: '', title: '' })).toBeUndefined();
  });
});

describe('presenter zoom', () => {
  const area = { left: 10, top: 10, width: 1000, height: 500 };
  it('scales a wide figure to the width and a tall one to the height, centred', () => {
    const wide = fitBox({ left: 300, top: 900, width: 500, height: 100 }, area);
    expect(wide.scale).toBe(2);
    // New box: left 300 + x, top 900 + y, size 1000 × 200, centred vertically in the area.
    expect(300 + wide.x).toBeCloseTo(10);
    expect(900 + wide.y).toBeCloseTo(10 + 150);
    const tall = fitBox({ left: 0, top: 0, width: 400, height: 1000 }, area);
    expect(tall.scale).toBe(0.5);
    expect(tall.x).toBeCloseTo(10 + 400);
  });
  it('does not blow a tiny figure up past the cap, and leaves an empty one alone', () => {
    expect(fitBox({ left: 0, top: 0, width: 10, height: 10 }, area, 2.5).scale).toBe(2.5);
    expect(fitBox({ left: 0, top: 0, width: 0, height: 10 }, area)).toEqual({ scale: 1, x: 0, y: 0 });
  });
  it('recovers the natural box from a transformed one', () => {
    const box = { left: 40, top: 700, width: 300, height: 120 };
    const fit = fitBox(box, area);
    const seen = {
      left: box.left + fit.x,
      top: box.top + fit.y,
      width: box.width * fit.scale,
      height: box.height * fit.scale,
    };
    const back = untransformed(seen, fit);
    expect(back.left).toBeCloseTo(box.left);
    expect(back.top).toBeCloseTo(box.top);
    expect(back.width).toBeCloseTo(box.width);
    expect(back.height).toBeCloseTo(box.height);
  });
});

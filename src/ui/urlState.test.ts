import { describe, expect, it } from 'vitest';
import { boolCodec, enumCodec, formatHash, numberCodec, parseHash } from './urlState';

describe('hash state', () => {
  it('round-trips a route with params', () => {
    const s = parseHash('#/learn/svd?k=3&preset=image');
    expect(s.route).toBe('learn/svd');
    expect(s.params.get('k')).toBe('3');
    expect(formatHash(s.route, s.params)).toBe('#/learn/svd?k=3&preset=image');
  });
  it('treats an empty hash as the home route', () => {
    expect(parseHash('').route).toBe('');
    expect(parseHash('#/').route).toBe('');
    expect(formatHash('', new URLSearchParams())).toBe('#/');
  });
  it('codecs reject garbage and clamp numbers', () => {
    const n = numberCodec(1, 64);
    expect(n.parse('8')).toBe(8);
    expect(n.parse('1000')).toBe(64);
    expect(n.parse('abc')).toBeUndefined();
    expect(n.parse('')).toBeUndefined();
    expect(boolCodec.parse('1')).toBe(true);
    expect(boolCodec.parse('x')).toBeUndefined();
    expect(enumCodec(['cat', 'svd'] as const).parse('linear')).toBeUndefined();
  });
});

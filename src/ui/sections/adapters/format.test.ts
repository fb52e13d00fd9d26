import { describe, expect, it } from 'vitest';
import { formatMix, nameProblem, parseMix, shortTargets, tiny } from './format';

describe('adapter page formatting', () => {
  it('validates new adapter names like the engine does', () => {
    expect(nameProblem('names-v2', ['names'])).toBeNull();
    expect(nameProblem('  ', [])).toBe('Give the adapter a name.');
    expect(nameProblem('my adapter', [])).toMatch(/letters, digits/);
    expect(nameProblem('x'.repeat(65), [])).toMatch(/at most 64/);
    expect(nameProblem('names', ['names'])).toBe('An adapter named "names" already exists.');
    expect(nameProblem('names', ['names'], 'names')).toBeNull();
  });
  it('reads and writes mix weights for the URL, skipping malformed parts', () => {
    const m = parseMix('names:0.5,dates:-1,bad,x:,y:abc');
    expect([...m]).toEqual([
      ['names', 0.5],
      ['dates', -1],
    ]);
    expect(formatMix(m)).toBe('names:0.5,dates:-1');
  });
  it('shortens full module paths to the distinct layer kinds', () => {
    expect(shortTargets(['c_attn', 'c_proj'])).toEqual(['c_attn', 'c_proj']);
    expect(
      shortTargets(['transformer.h.0.attn.c_attn', 'transformer.h.1.attn.c_attn', 'transformer.h.1.mlp.c_proj']),
    ).toEqual(['attn.c_attn', 'mlp.c_proj']);
  });
  it('prints tiny differences readably', () => {
    expect(tiny(0)).toBe('0');
    expect(tiny(3.14e-7)).toBe('3.1e-7');
  });
});

import { describe, expect, it } from 'vitest';
import { Args, parseTargets } from './args';

describe('CLI flags', () => {
  it('reads --flag value and --flag=value, with typed checks naming the flag', () => {
    const a = new Args(['--r', '8', '--target=c_attn,c_proj', '--lr', '3e-3']);
    expect(a.num('r', 4, { integer: true, min: 1 })).toBe(8);
    expect(a.str('target')).toBe('c_attn,c_proj');
    expect(a.num('lr', 1)).toBe(0.003);
    expect(a.num('steps', 300)).toBe(300);
    expect(() => a.done()).not.toThrow();
    expect(() => new Args(['--r', 'x']).num('r', 1)).toThrow(/--r must be a number, got "x"/);
    expect(() => new Args(['--r', '2.5']).num('r', 1, { integer: true })).toThrow(/--r must be an integer/);
    expect(() => new Args(['--out'])).toThrow(/--out needs a value/);
    expect(() => new Args(['oops'])).toThrow(/unexpected argument "oops"/);
    expect(() => new Args(['--colour', 'red']).done()).toThrow(/unknown flag: --colour/);
    expect(() => new Args([]).required('text', 'a text file')).toThrow(/--text is required \(a text file\)/);
  });

  it('targets: comma list, all-linear, or a regex', () => {
    expect(parseTargets('c_attn, c_proj')).toEqual(['c_attn', 'c_proj']);
    expect(parseTargets('all-linear')).toBe('all-linear');
    expect(parseTargets('.*\\.h\\.0\\..*')).toBe('.*\\.h\\.0\\..*');
  });
});

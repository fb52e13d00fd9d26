import { describe, expect, it } from 'vitest';
import { Args, commandUsage, parseTargets, wantsHelp, type CommandSpec } from './args';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'a command for the tests',
  flags: [
    { name: 'text', value: 'file', help: 'a text file', required: true },
    { name: 'r', value: 'N', help: 'rank', default: 4 },
    { name: 'target', value: 'list', help: 'modules', default: 'c_attn' },
    { name: 'lr', value: 'x', help: 'learning rate', defaultText: 'depends' },
    { name: 'mode', value: 'a|b', help: 'mode' },
  ],
};

describe('CLI flags', () => {
  it('reads --flag value and --flag=value, with defaults from the spec and typed checks naming the flag', () => {
    const a = new Args(['--text', 't.txt', '--r', '8', '--target=c_attn,c_proj', '--lr', '3e-3'], spec);
    expect(a.required('text')).toBe('t.txt');
    expect(a.num('r', { integer: true, min: 1 })).toBe(8);
    expect(a.str('target')).toBe('c_attn,c_proj');
    expect(a.num('lr')).toBe(0.003);
    const d = new Args(['--text', 't'], spec);
    expect(d.num('r')).toBe(4);
    expect(d.str('target')).toBe('c_attn');
    expect(d.num('lr')).toBeUndefined();
    expect(d.choice('mode', ['a', 'b'], 'b')).toBe('b');
    expect(() => new Args(['--text', 't', '--mode', 'c'], spec).choice('mode', ['a', 'b'], 'a')).toThrow(
      /--mode must be a or b, got "c"/,
    );
    expect(() => new Args(['--text', 't', '--r', 'x'], spec).num('r')).toThrow(/--r must be a number, got "x"/);
    expect(() => new Args(['--text', 't', '--r', '2.5'], spec).num('r', { integer: true })).toThrow(
      /--r must be an integer/,
    );
    expect(() => new Args(['--text'], spec)).toThrow(/--text needs a value/);
    expect(() => new Args(['oops'], spec)).toThrow(/unexpected argument "oops"/);
    expect(() => new Args(['--colour', 'red'], spec)).toThrow(/unknown flag --colour for demo/);
    expect(() => new Args([], spec)).toThrow(/--text is required \(a text file\)/);
  });

  it('--help and -h anywhere ask for help; the usage lists every flag with its default', () => {
    expect(wantsHelp(['--text', 'x', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['--text', 'x'])).toBe(false);
    const usage = commandUsage(spec);
    expect(usage).toMatch(/^usage: npm run cli -- demo --text file \[--r N\] \[--target list\]/);
    expect(usage).toMatch(/--text file\s+a text file \(required\)/);
    expect(usage).toMatch(/--r N\s+rank \(default 4\)/);
    expect(usage).toMatch(/--lr x\s+learning rate \(default depends\)/);
  });

  it('targets: comma list, all-linear, or a regex', () => {
    expect(parseTargets('c_attn, c_proj')).toEqual(['c_attn', 'c_proj']);
    expect(parseTargets('all-linear')).toBe('all-linear');
    expect(parseTargets('.*\\.h\\.0\\..*')).toBe('.*\\.h\\.0\\..*');
  });
});

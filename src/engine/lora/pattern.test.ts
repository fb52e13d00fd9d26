import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../types';
import { checkPattern, fullMatch, matchGroup1, simpleFullMatch, simplePattern, simpleSuffixMatch } from './pattern';
import { patternValue } from './match';

const names = Array.from({ length: 12 }, (_, i) =>
  ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc'].map((m) => `transformer.h.${i}.${m}`),
).flat();

function refuses(pattern: string, message: RegExp): void {
  let error: unknown;
  try {
    checkPattern(pattern, 'target_modules');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserFacingError);
  expect((error as Error).message).toMatch(message);
}

describe("PEFT's regexes on a linear-time engine (RE2)", () => {
  it('has re.fullmatch semantics: the whole name, not a search', () => {
    expect(fullMatch('.*c_attn', 'transformer.h.0.attn.c_attn', 'x')).toBe(true);
    expect(fullMatch('c_attn', 'transformer.h.0.attn.c_attn', 'x')).toBe(false);
    expect(fullMatch('transformer\\.h\\.(0|11)\\..*', 'transformer.h.11.mlp.c_fc', 'x')).toBe(true);
    expect(fullMatch('a|b', 'ab', 'x')).toBe(false); // the alternation stays inside the full match
    expect(fullMatch('(?i)C_ATTN', 'c_attn', 'x')).toBe(true);
  });

  it('patterns that backtrack exponentially in a JavaScript RegExp stay linear', () => {
    const long = 'transformer.h.0.'.repeat(2000); // 32,000 characters
    for (const p of ['(.|.)*X', '.*.*.*.*.*.*.*.*.*.*X', '(?:.|.|.)*X', '(.*)*x', '((a|b)*)*c', '(\\w+)*c_attnX']) {
      expect(names.some((n) => fullMatch(p, n, 'x'))).toBe(false);
      expect(fullMatch(p, long, 'x')).toBe(false);
    }
  });

  it('refuses what RE2 cannot express, naming the construct and what to write instead', () => {
    refuses('^(?!.*mlp).*c_attn', /uses a lookahead .* which a linear-time matcher cannot run; list the module names/);
    refuses('(?<=attn\\.)c_proj', /uses a lookbehind/);
    refuses('(c_attn)\\1', /uses a backreference/);
    refuses('(?P<m>c)(?P=m)', /named backreference/);
    refuses('(?>.*)c_attn', /atomic group/);
    refuses('.*c_at++n', /possessive quantifier/);
    refuses('.*c_attn\\Z', /uses Python's "\\Z", .*; write "\$"/);
    refuses('a{1001}', /not a regular expression this app can match in linear time \(invalid repeat count/);
    refuses('((', /not a regular expression/);
    refuses('x'.repeat(501), /501 characters long \(at most 500\)/);
    // inside a character class these characters are literal
    expect(() => checkPattern('[(?!]c_attn', 'x')).not.toThrow();
  });

  it('simple patterns (literals and "." only) match without an engine, exactly as the regex would', () => {
    const p = simplePattern('transformer.h.1.attn.c_attn')!;
    expect(p).not.toBeNull();
    expect(simpleFullMatch(p, 'transformer.h.1.attn.c_attn')).toBe(true);
    expect(simpleFullMatch(p, 'transformerXhX1XattnXc_attn')).toBe(true); // "." is a wildcard, as in re
    expect(simpleFullMatch(simplePattern('transformer\\.h\\.1\\.attn')!, 'transformerXh.1.attn')).toBe(false);
    expect(simplePattern('c_(attn|fc)')).toBeNull();
    expect(simplePattern('\\d')).toBeNull();
    for (const key of ['c_fc', 'mlp.c_fc', 'h.1.mlp.c_fc', 'fc', '.c_fc', 'transformer.h.1.mlp.c_fc']) {
      for (const n of names) {
        expect(simpleSuffixMatch(simplePattern(key)!, n), `${key} on ${n}`).toBe(
          fullMatch(`(?:.*\\.)?(?:${key})`, n, 'x'),
        );
      }
    }
  });

  it("rank_pattern keys follow PEFT's get_pattern_key: first key matching the end at a '.' boundary", () => {
    expect(patternValue('transformer.h.1.mlp.c_fc', { 'h\\.1\\..*': 2, c_fc: 4 }, 8)).toBe(2);
    expect(patternValue('transformer.h.1.mlp.c_fc', { c_fc: 4, 'h\\.1\\..*': 2 }, 8)).toBe(4);
    expect(patternValue('transformer.h.11.mlp.c_fc', { 'h.1.mlp.c_fc': 2 }, 8)).toBe(8);
    expect(patternValue('transformer.h.1.mlp.c_fc', { '(.|.)*X': 2 }, 8)).toBe(8);
  });

  it("reads PEFT's layer index group with lazy, leftmost-first submatches", () => {
    expect(matchGroup1('.*?\\.[^.]*\\.(\\d+)\\.', '', 'transformer.h.11.attn.c_attn', 'x')).toBe('11');
    expect(matchGroup1('.*?\\.h\\.(\\d+)\\.', 'h', 'model.h.3.experts.5.c_fc', 'x')).toBe('3');
    expect(matchGroup1('.*?\\.layers\\.(\\d+)\\.', 'layers', 'transformer.h.3.mlp.c_fc', 'x')).toBeNull();
  });
});

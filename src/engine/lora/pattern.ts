/**
 * PEFT's regular expressions (Python `re`) matched in linear time with RE2 (re2js): an uploaded
 * config cannot make a match backtrack. What RE2 cannot express (lookaround, backreferences,
 * atomic groups, possessive quantifiers) is refused with a message that says so, before any
 * matching; every compiled pattern is cached, so a config's patterns compile once.
 */
import { RE2JS } from 're2js';
import { UserFacingError, errorMessage } from '../types';

/** Longest pattern accepted: PEFT's real ones are under 100 characters. */
export const MAX_PATTERN_CHARS = 500;

/** Python-only constructs that RE2 refuses: [pattern, what it is, what to write instead]. */
const LIST_INSTEAD = 'list the module names, or leave some out with exclude_modules';
const UNSUPPORTED: [RegExp, string, string][] = [
  [/^\(\?[=!]/, 'a lookahead "(?=…)" / "(?!…)"', LIST_INSTEAD],
  [/^\(\?<[=!]/, 'a lookbehind "(?<=…)" / "(?<!…)"', LIST_INSTEAD],
  [/^\\[1-9]/, 'a backreference ("\\1"…)', LIST_INSTEAD],
  [/^\(\?P=/, 'a named backreference "(?P=name)"', LIST_INSTEAD],
  [/^\(\?>/, 'an atomic group "(?>…)"', 'write it as a plain group "(?:…)"'],
  [/^\(\?\(/, 'a conditional group "(?(…)…)"', LIST_INSTEAD],
  [/^[*+?}][+]/, 'a possessive quantifier ("*+", "++", "?+")', 'drop the second "+"'],
  [/^\\Z/, 'Python\'s "\\Z"', 'write "$" (or nothing: the whole name must match anyway)'],
];

/** The first construct RE2 cannot run, scanning outside character classes; null when none. */
function unsupportedConstruct(pattern: string): string | null {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (inClass) {
      if (c === '\\') i++;
      else if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === ']') i++; // "[]…]": a leading "]" is literal
      continue;
    }
    const rest = pattern.slice(i, i + 4);
    for (const [re, what, instead] of UNSUPPORTED)
      if (re.test(rest)) return `uses ${what}, which a linear-time matcher cannot run; ${instead}`;
    if (c === '\\') i++;
  }
  return null;
}

type Compiled = { re: RE2JS } | { reason: string };
const cache = new Map<string, Compiled>();
const MAX_CACHED = 2048;

function compileOnce(source: string, userPattern: string): Compiled {
  const hit = cache.get(source);
  if (hit) return hit;
  let out: Compiled;
  const construct = unsupportedConstruct(userPattern);
  if (userPattern.length > MAX_PATTERN_CHARS) {
    out = { reason: `is ${userPattern.length} characters long (at most ${MAX_PATTERN_CHARS})` };
  } else if (construct) {
    out = { reason: construct };
  } else {
    try {
      out = { re: RE2JS.compile(source) };
    } catch (e) {
      const why = errorMessage(e).replace(/^error parsing regexp: /, '');
      out = { reason: `is not a regular expression this app can match in linear time (${why.slice(0, 120)})` };
    }
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(source, out);
  return out;
}

const shown = (p: string): string => JSON.stringify(p.length > 60 ? `${p.slice(0, 60)}…` : p);

/**
 * Compiles `source` (a wrapper around the user's `pattern`, e.g. "(?:.*\.)?(?:key)") or throws a
 * UserFacingError that names the field (`what`) and the user's pattern.
 */
function compile(source: string, pattern: string, what: string): RE2JS {
  const c = compileOnce(source, pattern);
  if ('reason' in c) throw new UserFacingError(`${what} ${shown(pattern)} ${c.reason}`);
  return c.re;
}

/** Checks a pattern without matching anything (config validation). @throws UserFacingError */
export function checkPattern(pattern: string, what: string): void {
  compile(pattern, pattern, what);
}

/** Python `re.fullmatch(pattern, text)` is not None. Linear in the text's length. */
export function fullMatch(pattern: string, text: string, what: string): boolean {
  return compile(pattern, pattern, what).matches(text);
}

/**
 * Python `re.match(source, text)` (anchored at the start only) and its first group; null when it
 * does not match. `source` must embed `pattern` (used for the message and the checks).
 */
export function matchGroup1(source: string, pattern: string, text: string, what: string): string | null {
  const m = compile(source, pattern, what).matcher(text);
  if (!m.lookingAt()) return null;
  return m.group(1) ?? null;
}

/** Python `re.match(source, text)` is not None (anchored at the start only). */
export function matchesAtStart(source: string, pattern: string, text: string, what: string): boolean {
  return compile(source, pattern, what).matcher(text).lookingAt();
}

/**
 * A pattern of literal characters, escaped punctuation and "." wildcards only (PEFT's usual
 * "model.layers.0.q_proj" keys), as character codes with -1 for ".": matched without a regex
 * engine, so thousands of such keys cost nothing to compile. null for anything else.
 */
export function simplePattern(pattern: string): Int32Array | null {
  return isSimplePattern(pattern) ? parseSimple(pattern) : null;
}

/** A metacharacter other than ".", or a backslash before anything but ASCII punctuation. */
const NOT_SIMPLE = /[[\]{}()*+?^$|]|\\(?![!-/:-@[-`{-~])/;

/** simplePattern(p) !== null, in one native scan and without allocating. */
export function isSimplePattern(pattern: string): boolean {
  return pattern.length <= MAX_PATTERN_CHARS && !NOT_SIMPLE.test(pattern);
}

const META = new Set([...'.[]{}()*+?^$|\\'].map((c) => c.charCodeAt(0)));
/** After a backslash, ASCII punctuation stands for itself, in Python and in RE2 alike. */
const isEscapable = (c: number): boolean =>
  (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);

function parseSimple(pattern: string): Int32Array | null {
  const out = new Int32Array(pattern.length);
  let n = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 0x5c /* \\ */) {
      const next = pattern.charCodeAt(i + 1);
      if (!isEscapable(next)) return null;
      out[n++] = next;
      i++;
    } else if (c === 0x2e /* . */) {
      out[n++] = -1;
    } else if (META.has(c)) {
      return null;
    } else {
      out[n++] = c;
    }
  }
  return out.slice(0, n);
}

function simpleAt(p: Int32Array, text: string, start: number): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = text.charCodeAt(start + i);
    if (p[i] === -1 ? c === 0x0a : c !== p[i]) return false; // "." is any character but a newline
  }
  return true;
}

/** `re.fullmatch(p, text)` for a simple pattern. */
export function simpleFullMatch(p: Int32Array, text: string): boolean {
  return text.length === p.length && simpleAt(p, text, 0);
}

/**
 * `re.match(r"(.*\.)?(p)$", text)` for a simple pattern (PEFT's rank_pattern lookup): p fills the
 * end of the text, which it starts or follows a ".".
 */
export function simpleSuffixMatch(p: Int32Array, text: string): boolean {
  const start = text.length - p.length;
  if (start < 0 || (start > 0 && text.charCodeAt(start - 1) !== 0x2e)) return false;
  return simpleAt(p, text, start);
}

/** PEFT's frame around a rank_pattern / alpha_pattern key: `re.match(rf"(.*\.)?({key})$", name)`. */
const KEY_PREFIX = '(?:.*\\.)?';

/**
 * A matcher for one rank_pattern / alpha_pattern key (PEFT's get_pattern_key), compiled once:
 * simple keys without an engine, others with RE2 in the same frame the match uses.
 * @throws UserFacingError when the key cannot be matched in linear time.
 */
export function keyMatcher(key: string, what: string): (name: string) => boolean {
  const simple = simplePattern(key);
  if (simple) return (name) => simpleSuffixMatch(simple, name);
  const re = compile(`${KEY_PREFIX}(?:${key})`, key, what);
  return (name) => re.matches(name);
}

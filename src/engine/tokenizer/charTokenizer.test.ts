import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './charTokenizer';
import { encodePrompt } from './types';

describe('CharTokenizer', () => {
  const tok = CharTokenizer.fromCorpus(['hello', 'world'], ' !');

  it('builds a sorted, deterministic vocabulary with <|endoftext|> at id 0 and <unk> at id 1', () => {
    expect(tok.vocabulary()).toEqual(['<|endoftext|>', '<unk>', ' ', '!', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(tok.endOfTextId).toBe(0);
    expect(tok.unkId).toBe(1);
    expect(tok.vocabSize).toBe(11);
    expect(CharTokenizer.fromCorpus(['world', 'hello'], '! ').vocabulary()).toEqual(tok.vocabulary());
  });

  it('round-trips text made of known characters', () => {
    const ids = tok.encode('hello world!');
    expect(ids).toBeInstanceOf(Int32Array);
    expect(ids.length).toBe(12);
    expect(tok.decode(ids)).toBe('hello world!');
  });

  it('maps unknown characters to <unk> and counts them, most frequent first', () => {
    const { ids, unknown } = tok.encodeWithReport('héllo ñoño');
    expect(Array.from(ids).filter((id) => id === tok.unkId)).toHaveLength(3);
    expect(unknown).toEqual({
      count: 3,
      chars: [
        { char: 'ñ', count: 2 },
        { char: 'é', count: 1 },
      ],
    });
    expect(tok.decode(ids)).toBe('h<unk>llo <unk>o<unk>o');
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('hllo oo');
  });

  it('treats a character outside the Basic Multilingual Plane as one character', () => {
    const emoji = CharTokenizer.fromCorpus(['a😀b']);
    expect(emoji.encode('😀')).toEqual(Int32Array.from([emoji.tokenToId('😀')!]));
    expect(emoji.decode(emoji.encode('b😀a'))).toBe('b😀a');
  });

  it('maps literal special-token text to the special ids', () => {
    expect(Array.from(tok.encode('hi<|endoftext|>oh<unk>'))).toEqual([6, 1, 0, 8, 6, 1]);
  });

  it('prompts start with the end-of-text id (BOS)', () => {
    expect(Array.from(encodePrompt(tok, ''))).toEqual([0]);
    expect(Array.from(encodePrompt(tok, 'he'))).toEqual([0, 6, 5]);
  });

  it('rejects ids outside the vocabulary with a RangeError', () => {
    expect(() => tok.decode([3, 11])).toThrow(/Token id 11 at position 1 is outside the vocabulary \[0, 11\)/);
    expect(() => tok.decode([-1])).toThrow(RangeError);
  });

  it('rejects malformed vocabularies with specific messages', () => {
    expect(() => new CharTokenizer(['<unk>', 'a'])).toThrow(/no <\|endoftext\|> token/);
    expect(() => new CharTokenizer(['<|endoftext|>', 'a'])).toThrow(/no <unk> token/);
    expect(() => new CharTokenizer(['<|endoftext|>', '<unk>', 'ab'])).toThrow(/not a single character/);
    expect(() => new CharTokenizer(['<|endoftext|>', '<unk>', 'a', 'a'])).toThrow(/appears twice/);
  });

  it('coversChar is false for unknown characters and for the special tokens', () => {
    expect(tok.coversChar('h')).toBe(true);
    expect(tok.coversChar('é')).toBe(false);
    expect(tok.coversChar('<unk>')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../types';
import { CharTokenizer } from './charTokenizer';
import { loadHfTokenizer, MAX_TOKENIZER_JSON_BYTES } from './hfTokenizer';
import { tinyByteLevelBpe } from './tinyBpe';
import { charTokenizerJsonText } from './tokenizerJson';

const tinyGpt2Tokenizer = () => tinyByteLevelBpe();

const bytes = (s: string) => new TextEncoder().encode(s);

describe('loadHfTokenizer with a tiny byte-level BPE', () => {
  const json = tinyGpt2Tokenizer();
  const tok = loadHfTokenizer(bytes(JSON.stringify(json)));

  it('reads the vocabulary size, the end-of-text id and the byte-level pre-tokenizer', () => {
    expect(tok.kind).toBe('bpe');
    expect(tok.vocabSize).toBe(261);
    expect(tok.endOfTextId).toBe(260);
    expect(tok.unkId).toBeNull();
    expect(tok.byteLevel).toBe(true);
  });

  it('applies the merges and round-trips text, including bytes of non-ASCII characters', () => {
    const ids = Array.from(tok.encode('the the'));
    expect(ids.map((id) => tok.idToToken(id))).toEqual(['the', 'Ġthe']);
    for (const text of ['the the', 'héllo wörld ✓ 😀', ' leading and  double spaces ', 'a<|endoftext|>b']) {
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
    expect(Array.from(tok.encode('a<|endoftext|>b'))).toContain(260);
    expect(tok.decode(tok.encode('a<|endoftext|>b'), { skipSpecialTokens: true })).toBe('ab');
    expect(tok.coversChar('é')).toBe(true);
  });

  it('handles empty input and rejects out-of-range ids', () => {
    expect(tok.encode('')).toEqual(new Int32Array(0));
    expect(tok.decode([])).toBe('');
    expect(() => tok.decode([261])).toThrow(RangeError);
  });

  it('accepts merges as pairs (the newer format) and takes the eos_token from tokenizer_config.json', () => {
    const pairs = { ...json, model: { ...json.model, merges: json.model.merges.map((m) => m.split(' ')) } };
    expect(loadHfTokenizer(JSON.stringify(pairs)).encode('the the')).toEqual(tok.encode('the the'));
    const renamed = JSON.parse(JSON.stringify(json).replaceAll('<|endoftext|>', '<|stop|>'));
    expect(loadHfTokenizer(JSON.stringify(renamed), JSON.stringify({ eos_token: '<|stop|>' })).endOfTextId).toBe(260);
  });

  it('also reads the shipped character tokenizer.json, with <unk> for unknown characters', () => {
    const chars = CharTokenizer.fromCorpus(['abc ']);
    const viaHf = loadHfTokenizer(charTokenizerJsonText(chars));
    expect(viaHf.encode('cab é')).toEqual(chars.encode('cab é'));
    expect(viaHf.coversChar('é')).toBe(false);
    expect(viaHf.coversChar('a')).toBe(true);
  });
});

describe('loadHfTokenizer gives clear messages for bad files', () => {
  const json = tinyGpt2Tokenizer();
  const cases: [string, () => unknown, RegExp][] = [
    [
      'not UTF-8',
      () => loadHfTokenizer(Uint8Array.from([0x7b, 0xff, 0x7d])),
      /tokenizer.json is not UTF-8 text: byte 1/,
    ],
    ['bad JSON', () => loadHfTokenizer('{"model": {'), /tokenizer.json is not valid JSON/],
    ['a list', () => loadHfTokenizer('[1,2]'), /must hold a JSON object, not a list/],
    ['no model', () => loadHfTokenizer('{"version": "1.0"}'), /no "model" object/],
    [
      'WordPiece',
      () => loadHfTokenizer(JSON.stringify({ model: { type: 'WordPiece', vocab: { a: 0 } } })),
      /model type is "WordPiece"; only BPE/,
    ],
    [
      'Unigram',
      () => loadHfTokenizer(JSON.stringify({ model: { type: 'Unigram', vocab: [['a', 0]] } })),
      /model type is "Unigram"/,
    ],
    [
      'a bad id',
      () => loadHfTokenizer(JSON.stringify({ ...json, model: { ...json.model, vocab: { a: 1.5 } } })),
      /gives "a" the id 1.5/,
    ],
    [
      'duplicate ids',
      () => loadHfTokenizer(JSON.stringify({ ...json, model: { ...json.model, vocab: { a: 0, b: 0 } } })),
      /gives id 0 to both "a" and "b"/,
    ],
    [
      'bad merges',
      () => loadHfTokenizer(JSON.stringify({ ...json, model: { ...json.model, merges: ['abc'] } })),
      /Merge 0 \("abc"\)/,
    ],
    [
      'no end-of-text',
      () => loadHfTokenizer(JSON.stringify({ ...json, added_tokens: [], model: { ...json.model, vocab: { a: 0 } } })),
      /no end-of-text token/,
    ],
    ['a bad config', () => loadHfTokenizer(JSON.stringify(json), 'nope'), /tokenizer_config.json is not valid JSON/],
  ];
  for (const [name, load, message] of cases) {
    it(name, () => {
      expect(load).toThrow(UserFacingError);
      expect(load).toThrow(message);
    });
  }

  it('refuses a file over 50 MiB before parsing it', () => {
    const huge = new Uint8Array(MAX_TOKENIZER_JSON_BYTES + 1);
    expect(() => loadHfTokenizer(huge)).toThrow(/tokenizer.json is 52,428,801 bytes, over the 52,428,800 bytes limit/);
  });
});

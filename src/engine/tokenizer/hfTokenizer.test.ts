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
      'an unknown model type',
      () => loadHfTokenizer(JSON.stringify({ model: { type: 'CharLevel', vocab: { a: 0 } } })),
      /model type is "CharLevel"; supported: BPE, Unigram, WordPiece/,
    ],
    [
      'a bad Unigram vocabulary',
      () => loadHfTokenizer(JSON.stringify({ model: { type: 'Unigram', vocab: [['a', 'x']] } })),
      /Unigram vocabulary entry 0 \(\["a","x"\]\) must be \[token, score\]/,
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

/** A tiny Llama-2 / TinyLlama-style tokenizer.json: SentencePiece BPE with byte fallback. */
function tinyLlama2Tokenizer(style: 'normalizer' | 'metaspace') {
  const vocab: Record<string, number> = { '<unk>': 0, '<s>': 1, '</s>': 2 };
  for (let b = 0; b < 256; b++) vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`] = 3 + b;
  for (const piece of ['▁', 'h', 'e', 'l', 'o', 'w', 'r', 'd', '▁h', 'll', '▁he', '▁hell'])
    vocab[piece] = Object.keys(vocab).length;
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const metaspace = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
    normalizer:
      style === 'normalizer'
        ? {
            type: 'Sequence',
            normalizers: [
              { type: 'Prepend', prepend: '▁' },
              { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
            ],
          }
        : null,
    pre_tokenizer: style === 'metaspace' ? metaspace : null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: ['▁ h', 'l l', '▁h e', '▁he ll'],
    },
  };
}

describe('loadHfTokenizer with Llama-2-style SentencePiece BPE (byte fallback)', () => {
  const config = JSON.stringify({ bos_token: '<s>', eos_token: { __type: 'AddedToken', content: '</s>' } });
  it.each(['normalizer', 'metaspace'] as const)(
    '%s: merges, byte fallback, round trip, eos </s> joins documents',
    (style) => {
      const tok = loadHfTokenizer(JSON.stringify(tinyLlama2Tokenizer(style)), config);
      expect(tok.model).toBe('BPE');
      const ids = Array.from(tok.encode('hello world'));
      expect(ids.map((i) => tok.idToToken(i))).toEqual(['▁hell', 'o', '▁', 'w', 'o', 'r', 'l', 'd']);
      // é is not in the vocabulary: its UTF-8 bytes C3 A9 become byte tokens, and decode back
      expect(Array.from(tok.encode('hé')).map((i) => tok.idToToken(i))).toEqual(['▁h', '<0xC3>', '<0xA9>']);
      for (const text of ['hello world', 'hé wörld ✓', 'dd ll']) expect(tok.decode(tok.encode(text))).toBe(text);
      expect([tok.endOfTextId, tok.eosId, tok.bosId, tok.unkId]).toEqual([2, 2, 1, 0]);
      expect(tok.byteLevel).toBe(true); // every byte has a token
      expect(tok.coversChar('😀')).toBe(true);
      expect(tok.vocabSize).toBe(271);
    },
  );

  it('without tokenizer_config.json: </s> and <s> by their usual names', () => {
    const tok = loadHfTokenizer(JSON.stringify(tinyLlama2Tokenizer('normalizer')));
    expect([tok.endOfTextId, tok.bosId]).toEqual([2, 1]);
  });

  it('<|endoftext|> is preferred over the eos token when the vocabulary has both', () => {
    const json = tinyLlama2Tokenizer('normalizer');
    json.model.vocab['<|endoftext|>'] = 271;
    const tok = loadHfTokenizer(JSON.stringify(json), config);
    expect([tok.endOfTextId, tok.eosId]).toEqual([271, 2]);
  });
});

describe('loadHfTokenizer with other models the library reads', () => {
  it('GPT-2-style byte-level BPE with an empty merge list: one token per byte, exact round trip', () => {
    const json = tinyGpt2Tokenizer();
    const noMerges = { ...json, model: { ...json.model, merges: [] } };
    const tok = loadHfTokenizer(JSON.stringify(noMerges));
    expect(tok.encode('the').length).toBe(3);
    expect(tok.decode(tok.encode('héllo ✓'))).toBe('héllo ✓');
    expect(tok.byteLevel).toBe(true);
  });

  it('Unigram (vocabulary as [token, score] pairs)', () => {
    const metaspace = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true };
    const json = {
      model: {
        type: 'Unigram',
        unk_id: 0,
        vocab: [
          ['<unk>', 0],
          ['<s>', 0],
          ['</s>', 0],
          ['▁', -2],
          ['a', -3],
          ['b', -3],
          ['▁ab', -1],
          ['ab', -1.5],
        ],
      },
      pre_tokenizer: metaspace,
      decoder: metaspace,
    };
    const tok = loadHfTokenizer(JSON.stringify(json));
    expect(tok.model).toBe('Unigram');
    expect(Array.from(tok.encode('ab ab')).map((i) => tok.idToToken(i))).toEqual(['▁ab', '▁ab']);
    expect(tok.decode(tok.encode('ab ab'))).toBe('ab ab');
    expect([tok.vocabSize, tok.endOfTextId, tok.unkId]).toEqual([8, 2, 0]);
  });

  it('WordPiece, with the eos token named by tokenizer_config.json', () => {
    const json = {
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        vocab: { '[UNK]': 0, '[CLS]': 1, '[SEP]': 2, hello: 3, world: 4, '##s': 5 },
      },
      pre_tokenizer: { type: 'Whitespace' },
    };
    const tok = loadHfTokenizer(JSON.stringify(json), JSON.stringify({ eos_token: '[SEP]' }));
    expect(tok.model).toBe('WordPiece');
    expect(Array.from(tok.encode('hello worlds'))).toEqual([3, 4, 5]);
    expect(tok.endOfTextId).toBe(2);
    expect(() => loadHfTokenizer(JSON.stringify(json))).toThrow(/no end-of-text token/);
  });
});

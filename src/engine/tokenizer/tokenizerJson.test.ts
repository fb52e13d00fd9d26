import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './charTokenizer';
import { charTokenizerFromJson, charTokenizerJsonText, charTokenizerToJson } from './tokenizerJson';

const tok = CharTokenizer.fromCorpus(["it's a test", 'Names: Ada, Bob.'], '0123456789-+=');

describe('charTokenizerToJson', () => {
  const json = charTokenizerToJson(tok);

  it('writes every top-level field of the "1.0" format, in Hugging Face order', () => {
    expect(Object.keys(json)).toEqual([
      'version',
      'truncation',
      'padding',
      'added_tokens',
      'normalizer',
      'pre_tokenizer',
      'post_processor',
      'decoder',
      'model',
    ]);
    expect(Object.keys(json.model)).toEqual([
      'type',
      'dropout',
      'unk_token',
      'continuing_subword_prefix',
      'end_of_word_suffix',
      'fuse_unk',
      'byte_fallback',
      'ignore_merges',
      'vocab',
      'merges',
    ]);
    expect(json.model.merges).toEqual([]);
    expect(json.added_tokens.map((t) => [t.id, t.content, t.special])).toEqual([
      [0, '<|endoftext|>', true],
      [1, '<unk>', true],
    ]);
    expect(Object.values(json.model.vocab).sort((a, b) => a - b)).toEqual([...Array(tok.vocabSize).keys()]);
  });

  it('writes the vocabulary in id order and parses back to the same object', () => {
    const text = charTokenizerJsonText(tok);
    expect(JSON.parse(text)).toEqual(json);
    const vocabLines = text
      .slice(text.indexOf('"vocab"'))
      .split('\n')
      .filter((line) => /^ {6}".*": \d+,?$/.test(line));
    expect(vocabLines.map((line) => Number(line.replace(/.*: (\d+),?$/, '$1')))).toEqual([
      ...Array(tok.vocabSize).keys(),
    ]);
  });

  it('loads in @huggingface/tokenizers and gives the same ids both ways', () => {
    const hf = new Tokenizer(JSON.parse(JSON.stringify(json)), { clean_up_tokenization_spaces: false });
    const text = "Ada's 12+35=47. <|endoftext|>Bob - it's é";
    const ours = Array.from(tok.encode(text));
    const theirs = hf.encode(text, { add_special_tokens: false }).ids;
    expect(theirs).toEqual(ours);
    expect(ours).toContain(tok.unkId); // 'é' is not in the vocabulary
    expect(hf.decode(ours)).toBe(tok.decode(ours));
    expect(hf.decode(ours, { skip_special_tokens: true })).toBe(tok.decode(ours, { skipSpecialTokens: true }));
    expect(hf.get_vocab().size).toBe(tok.vocabSize);
  });

  it('round-trips through JSON text back into an identical character tokenizer', () => {
    const back = charTokenizerFromJson(JSON.stringify(json));
    expect(back.vocabulary()).toEqual(tok.vocabulary());
    expect(back.encode('Ada 42')).toEqual(tok.encode('Ada 42'));
  });
});

describe('charTokenizerFromJson rejects what is not a character tokenizer', () => {
  const good = () => JSON.parse(JSON.stringify(charTokenizerToJson(tok)));
  const cases: [string, (j: ReturnType<typeof good>) => unknown, RegExp][] = [
    ['bad JSON', () => '{"model": ', /not valid JSON/],
    ['an array', () => [], /must hold a JSON object/],
    ['another version', (j) => ({ ...j, version: '2.0' }), /format version "2.0"/],
    ['no model', (j) => ({ ...j, model: undefined }), /no "model" object/],
    ['WordPiece', (j) => ({ ...j, model: { ...j.model, type: 'WordPiece' } }), /model type is "WordPiece"/],
    ['merges', (j) => ({ ...j, model: { ...j.model, merges: ['a b'] } }), /1 entries: this is a subword BPE tokenizer/],
    ['a normalizer', (j) => ({ ...j, normalizer: { type: 'Lowercase' } }), /has a normalizer \("Lowercase"\)/],
    ['a pre-tokenizer', (j) => ({ ...j, pre_tokenizer: { type: 'ByteLevel' } }), /needs no pre-tokenizer/],
    ['a byte-level decoder', (j) => ({ ...j, decoder: { type: 'ByteLevel' } }), /must concatenate tokens/],
    [
      'duplicate ids',
      (j) => ({ ...j, model: { ...j.model, vocab: { ...j.model.vocab, a: 0 } } }),
      /gives id 0 to both/,
    ],
    [
      'an id out of range',
      (j) => ({ ...j, model: { ...j.model, vocab: { ...j.model.vocab, a: 999 } } }),
      /ids must be 0\.\./,
    ],
    [
      'a multi-character token',
      (j) => ({ ...j, model: { ...j.model, vocab: { ...j.model.vocab, ab: tok.vocabSize } } }),
      /not a single character/,
    ],
    ['another unk token', (j) => ({ ...j, model: { ...j.model, unk_token: '[UNK]' } }), /unk_token must be "<unk>"/],
    [
      'added tokens that disagree',
      (j) => ({ ...j, added_tokens: [{ ...j.added_tokens[0], id: 5 }] }),
      /does not match model.vocab/,
    ],
  ];
  for (const [name, mutate, message] of cases) {
    it(name, () => {
      const input = mutate(good());
      expect(() => charTokenizerFromJson(input)).toThrow(message);
    });
  }
});

/**
 * A tiny GPT-2-style byte-level BPE tokenizer.json, generated (never shipped): 256 byte tokens,
 * a few merges and `<|endoftext|>` last. Tests and generated test checkpoints
 * (scripts/make-tiny-gpt2.ts --tokenizer bpe) use it to exercise the BPE path end to end.
 */

/** GPT-2's byte → printable character table (every byte gets a visible stand-in; space is 'Ġ'). */
export function bytesToUnicode(): string[] {
  const table: string[] = [];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    table[b] = String.fromCodePoint(printable ? b : 256 + n++);
  }
  return table;
}

/** The default merges: " t", "he", " the", "the" (vocabulary 261, end-of-text id 260). */
export const TINY_BPE_MERGES: readonly (readonly [string, string])[] = [
  ['Ġ', 't'],
  ['h', 'e'],
  ['Ġt', 'he'],
  ['t', 'he'],
];

/** The tokenizer.json object (JSON.stringify it for a file). */
export function tinyByteLevelBpe(merges: readonly (readonly [string, string])[] = TINY_BPE_MERGES) {
  const vocab: Record<string, number> = {};
  bytesToUnicode().forEach((ch, i) => (vocab[ch] = i));
  for (const [a, b] of merges) vocab[a + b] = Object.keys(vocab).length;
  const eot = Object.keys(vocab).length;
  vocab['<|endoftext|>'] = eot;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: eot,
        content: '<|endoftext|>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: true,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: merges.map((m) => m.join(' ')),
    },
  };
}

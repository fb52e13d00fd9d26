import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../tokenizer/charTokenizer';
import { buildTokenStream, TrainBatcher, validationBatches, type MaskedBatch } from './batcher';

/** How many targets the batches score (Σ mask). */
const scoredTokens = (batches: readonly MaskedBatch[]) =>
  batches.reduce((n, b) => n + b.mask.reduce((a, m) => a + m, 0), 0);

const docs = ['apple', 'fig', 'banana', 'kiwi', 'cherry', 'plum', 'grape', 'lime', 'mango', 'pear'];
const tok = CharTokenizer.fromCorpus(docs);
const stream = buildTokenStream(docs, tok);
const EOT = tok.endOfTextId;

/** One row's input, target and mask as plain arrays. */
function rowTokens(b: MaskedBatch, row: number) {
  const s = b.seq;
  return {
    input: Array.from(b.input.slice(row * s, row * s + s)),
    target: Array.from(b.target.slice(row * s, row * s + s)),
    mask: Array.from(b.mask.slice(row * s, row * s + s)),
  };
}

describe('buildTokenStream', () => {
  it('joins documents with <|endoftext|>, which also opens and closes the stream', () => {
    expect(tok.decode(stream.ids)).toBe('<|endoftext|>' + docs.join('<|endoftext|>') + '<|endoftext|>');
    expect(stream.ids.length).toBe(docs.join('').length + docs.length + 1);
    expect(Array.from(stream.documentStarts).every((p) => stream.ids[p] === EOT)).toBe(true);
    expect(tok.decode(stream.ids.slice(stream.documentStarts[2] + 1, stream.documentStarts[3]))).toBe('banana');
  });
});

describe('TrainBatcher', () => {
  for (const alignToDocuments of [false, true]) {
    const batcher = new TrainBatcher(stream, { batch: 4, seq: 8, seed: 42, alignToDocuments });

    it(`gives fixed shapes, target = input shifted by one, ids in range (aligned: ${alignToDocuments})`, () => {
      for (let step = 0; step < 20; step++) {
        const b = batcher.batchAt(step);
        expect(b).toMatchObject({ batch: 4, seq: 8 });
        for (const arr of [b.input, b.target, b.mask]) expect(arr.length).toBe(32);
        expect(b.input.every((id) => id >= 0 && id < tok.vocabSize)).toBe(true);
        expect(b.target.every((id) => id >= 0 && id < tok.vocabSize)).toBe(true);
        expect(b.mask.every((m) => m === 1)).toBe(true);
        for (let row = 0; row < 4; row++) {
          const { input, target } = rowTokens(b, row);
          expect(input.slice(1)).toEqual(target.slice(0, -1));
          // The row is a real slice of the stream.
          const text = tok.decode([input[0], ...target]);
          expect(tok.decode(stream.ids)).toContain(text);
          if (alignToDocuments) expect(input[0]).toBe(EOT);
        }
      }
    });

    it(`is a pure function of (seed, step) (aligned: ${alignToDocuments})`, () => {
      const again = new TrainBatcher(stream, { batch: 4, seq: 8, seed: 42, alignToDocuments });
      expect(again.batchAt(5)).toEqual(batcher.batchAt(5));
      expect(batcher.batchAt(5)).toEqual(batcher.batchAt(5));
      expect(batcher.batchAt(6).input).not.toEqual(batcher.batchAt(5).input);
      expect(new TrainBatcher(stream, { batch: 4, seq: 8, seed: 43, alignToDocuments }).batchAt(5).input).not.toEqual(
        batcher.batchAt(5).input,
      );
    });
  }

  it('pads a stream shorter than one window and masks the padding', () => {
    const short = buildTokenStream(['fig'], tok); // EOT f i g EOT: 5 tokens, 4 targets
    const b = new TrainBatcher(short, { batch: 2, seq: 8, seed: 1, alignToDocuments: true }).batchAt(0);
    const row = rowTokens(b, 1);
    expect(row.mask).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    expect(tok.decode(row.target.slice(0, 4))).toBe('fig<|endoftext|>');
  });

  it('rejects bad shapes', () => {
    expect(() => new TrainBatcher(stream, { batch: 0, seq: 8, seed: 1, alignToDocuments: false })).toThrow(
      /batch must be/,
    );
    expect(() => new TrainBatcher(stream, { batch: 2, seq: 2.5, seed: 1, alignToDocuments: false })).toThrow(
      /seq must be/,
    );
  });
});

describe('validationBatches', () => {
  for (const alignToDocuments of [false, true]) {
    it(`scores every target of the stream exactly once (aligned: ${alignToDocuments})`, () => {
      const batches = validationBatches(stream, { batch: 3, seq: 8, alignToDocuments });
      expect(scoredTokens(batches)).toBe(stream.ids.length - 1);
      // Rebuild the scored targets in order: they must be the stream without its first token.
      const scored: number[] = [];
      for (const b of batches) for (let i = 0; i < b.mask.length; i++) if (b.mask[i] === 1) scored.push(b.target[i]);
      expect(scored).toEqual(Array.from(stream.ids.slice(1)));
      for (const b of batches) {
        expect(b.input.length).toBe(24);
        for (let row = 0; row < 3; row++) {
          const { input, target, mask } = rowTokens(b, row);
          expect(input.slice(1)).toEqual(target.slice(0, -1));
          if (alignToDocuments && mask.some((m) => m === 1)) expect(input[0]).toBe(EOT);
        }
      }
      expect(validationBatches(stream, { batch: 3, seq: 8, alignToDocuments })).toEqual(batches);
    });
  }

  it('falls back to a mid-document start when a document is longer than seq, leaving no gap', () => {
    const long = buildTokenStream(['abcdefghijklmnopqrst', 'uv'], CharTokenizer.fromCorpus(['abcdefghijklmnopqrstuv']));
    const batches = validationBatches(long, { batch: 2, seq: 6, alignToDocuments: true });
    expect(scoredTokens(batches)).toBe(long.ids.length - 1);
  });

  it('keeps only maxBatches batches', () => {
    const batches = validationBatches(stream, { batch: 2, seq: 4, alignToDocuments: false, maxBatches: 3 });
    expect(batches).toHaveLength(3);
    expect(scoredTokens(batches)).toBe(24);
  });
});

/**
 * Documents → one token stream → fixed-shape batches for the trainer. Shapes never change
 * (WebGPU keeps buffers per shape), training batches are a pure function of (seed, step), and the
 * validation set is a fixed list of batches that scores every validation token exactly once.
 */
import type { TextTokenizer } from '../tokenizer/types';
import type { TokenBatch } from '../types';
import { mixSeed, mulberry32, randomInt } from '../rng';

/**
 * What the batcher makes: a TokenBatch whose mask is always there. input/target/mask are
 * [batch*seq] row-major; target is input shifted by one (target[b, t] = the token after
 * input[b, t]); mask is 1 where the target counts and 0 on padding and on targets already scored
 * by an earlier validation window. The loss is Σ mask·CE / Σ mask.
 */
export interface MaskedBatch extends TokenBatch {
  mask: Float32Array;
}

/** Documents joined as [EOT d1 EOT d2 … EOT dn EOT]. */
export interface TokenStream {
  ids: Int32Array;
  /** Position of the EOT in front of each document: a window starting there begins with BOS. */
  documentStarts: Int32Array;
  /** The separator id, also used to pad. */
  endOfTextId: number;
}

/** Encodes documents and joins them with the end-of-text token, which also opens and closes the stream. */
export function buildTokenStream(documents: readonly string[], tokenizer: TextTokenizer): TokenStream {
  const encoded = documents.map((d) => tokenizer.encode(d));
  const ids = new Int32Array(encoded.reduce((n, e) => n + e.length + 1, 1));
  const documentStarts = new Int32Array(documents.length);
  const eot = tokenizer.endOfTextId;
  let at = 0;
  encoded.forEach((e, i) => {
    documentStarts[i] = at;
    ids[at++] = eot;
    ids.set(e, at);
    at += e.length;
  });
  ids[at] = eot;
  return { ids, documentStarts, endOfTextId: eot };
}

export interface BatchShape {
  /** Rows per batch. */
  batch: number;
  /** Tokens per row (the model's context length or less). */
  seq: number;
}

export interface TrainBatchOptions extends BatchShape {
  seed: number;
  /** Start every window at a document start (for short, line-structured documents). */
  alignToDocuments: boolean;
}

/** Random training windows: `batchAt(step)` always returns the same batch for the same seed and step. */
export class TrainBatcher {
  private readonly stream: TokenStream;
  private readonly options: TrainBatchOptions;
  /** Candidate window starts (aligned), or null when any start in [0, lastStart] will do. */
  private readonly starts: Int32Array | null;
  private readonly lastStart: number;

  constructor(stream: TokenStream, options: TrainBatchOptions) {
    checkShape(options);
    if (stream.ids.length < 2)
      throw new RangeError('The token stream needs at least 2 tokens to make one (input, target) pair.');
    this.stream = stream;
    this.options = options;
    // A window needs seq + 1 tokens; a stream shorter than that gets one padded window at 0.
    this.lastStart = Math.max(0, stream.ids.length - options.seq - 1);
    if (options.alignToDocuments) {
      const fitting = stream.documentStarts.filter((p) => p <= this.lastStart);
      this.starts = fitting.length > 0 ? fitting : Int32Array.of(0);
    } else {
      this.starts = null;
    }
  }

  /** Batch number `step` (0, 1, 2, …): [batch, seq] windows drawn with replacement. */
  batchAt(step: number): MaskedBatch {
    const { batch, seq, seed } = this.options;
    const random = mulberry32(mixSeed(seed, step));
    const out = emptyBatch(batch, seq, this.stream.endOfTextId);
    for (let row = 0; row < batch; row++) {
      const start = this.starts
        ? this.starts[randomInt(random, this.starts.length)]
        : randomInt(random, this.lastStart + 1);
      fillRow(out, row, this.stream.ids, start, 0);
    }
    return out;
  }
}

export interface ValidationOptions extends BatchShape {
  /** Prefer windows that start at document starts. */
  alignToDocuments: boolean;
  /** Keep only the first this many batches (the stream is already in shuffled document order). */
  maxBatches?: number;
}

/**
 * Fixed validation batches covering the stream from its start: each target token is scored
 * exactly once (mask 1 on exactly one row), windows start at the latest document start that
 * leaves no gap, and the last batch is padded with rows whose mask is all 0.
 */
export function validationBatches(stream: TokenStream, options: ValidationOptions): MaskedBatch[] {
  checkShape(options);
  const { batch, seq, alignToDocuments, maxBatches = Infinity } = options;
  const last = stream.ids.length - 1; // highest target position
  const starts = stream.documentStarts;
  const windows: { start: number; scoredUpTo: number }[] = [];
  let covered = 0; // every target at a position ≤ covered is scored
  let start = 0;
  let s = 0; // index into documentStarts
  while (covered < last && windows.length < maxBatches * batch) {
    windows.push({ start, scoredUpTo: covered });
    covered = Math.min(start + seq, last);
    let next = covered;
    if (alignToDocuments) {
      while (s + 1 < starts.length && starts[s + 1] <= covered) s++;
      if (starts[s] > start) next = starts[s];
    }
    start = next;
  }
  const batches: MaskedBatch[] = [];
  for (let i = 0; i < windows.length; i += batch) {
    const out = emptyBatch(batch, seq, stream.endOfTextId);
    windows.slice(i, i + batch).forEach((w, row) => fillRow(out, row, stream.ids, w.start, w.scoredUpTo));
    batches.push(out);
  }
  return batches;
}

function emptyBatch(batch: number, seq: number, pad: number): MaskedBatch {
  const n = batch * seq;
  return {
    input: new Int32Array(n).fill(pad),
    target: new Int32Array(n).fill(pad),
    mask: new Float32Array(n),
    batch,
    seq,
  };
}

/** Row `row` ← stream[start … start+seq]; targets at stream positions ≤ alreadyScored or past the end stay masked. */
function fillRow(out: MaskedBatch, row: number, ids: Int32Array, start: number, alreadyScored: number): void {
  const { seq } = out;
  for (let t = 0; t < seq; t++) {
    const at = start + t;
    if (at + 1 >= ids.length) break;
    out.input[row * seq + t] = ids[at];
    out.target[row * seq + t] = ids[at + 1];
    out.mask[row * seq + t] = at + 1 > alreadyScored ? 1 : 0;
  }
}

function checkShape({ batch, seq }: BatchShape): void {
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batch must be a whole number ≥ 1, got ${batch}.`);
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`seq must be a whole number ≥ 1, got ${seq}.`);
}

/**
 * train_lora.py's plain-Python half against the TypeScript it reimplements: the same token
 * stream, the same training windows at every step, the same validation batches, the same
 * learning rate at every step and the same initial adapter, value for value.
 */
import { describe, expect, it } from 'vitest';
import { buildTokenStream, TrainBatcher, validationBatches } from '../data/batcher';
import type { TokenBatch } from '../types';
import { mixSeed, mulberry32 } from '../rng';
import { initLoraFactors } from '../lora/init';
import type { InitLoraWeights } from '../lora/types';
import { Rng } from '../rng';
import { CharTokenizer } from '../tokenizer/charTokenizer';
import { learningRateAt } from '../train/schedule';
import { python3Available, runWithScript, writeScript } from './pythonTestUtil';
import { buildRecipe } from './recipe';
import { parseGpt2Config } from '../gpt2/config';
import { gpt2Linears } from '../gpt2/params';

const rng = mulberry32(99);
const letters = 'abcdefghijklmnopqrstuvwxyz ';
/** Documents from 1 to 70 characters: some longer than a window, so windows cross documents. */
const docs = Array.from({ length: 40 }, () =>
  Array.from({ length: 1 + Math.floor(rng() * 70) }, () => letters[Math.floor(rng() * 27)]).join(''),
);
const tokenizer = CharTokenizer.fromCorpus(docs);
const encoded = docs.map((d) => Array.from(tokenizer.encode(d)));
const eot = tokenizer.endOfTextId;

const script = (() => {
  const r = buildRecipe({
    settings: {
      mode: 'lora',
      adapterName: 'parity',
      lora: {},
      learningRate: 4e-3,
      totalSteps: 50,
      warmupSteps: 7,
      batch: 4,
      seq: 16,
      seed: 5,
      evalBatches: 2,
    },
    dataset: { label: 'letters', train: docs, validation: docs.slice(0, 5), alignToDocuments: true },
    base: { kind: 'hub', repoId: 'openai-community/gpt2', revision: 'main' },
    architecture: 'gpt2',
    modules: gpt2Linears(parseGpt2Config({ vocab_size: 40, n_positions: 32, n_embd: 16, n_layer: 1, n_head: 2 })),
    contextLength: 32,
    endOfText: { token: '<|endoftext|>', id: eot },
  });
  return r.files['train_lora.py'] as string;
})();

const plain = (b: TokenBatch) => ({
  input: Array.from(b.input),
  target: Array.from(b.target),
  mask: Array.from(b.mask!),
});

describe.runIf(python3Available())('train_lora.py reproduces the app’s data pipeline, RNG and schedule', () => {
  const path = writeScript(script);

  it('mulberry32 and mixSeed give the same numbers', () => {
    const seeds = [0, 1, 42, 4294967295, 123456789];
    const py = runWithScript<{ m: number[][]; x: number[] }>(
      path,
      'print(json.dumps({"m": [[f() for f in [t.mulberry32(s)] for _ in range(5)] for s in data], "x": [t.mix_seed(s, k) for s in data for k in range(4)]}))',
      seeds,
    );
    expect(py.m).toEqual(
      seeds.map((s) => {
        const f = mulberry32(s);
        return Array.from({ length: 5 }, () => f());
      }),
    );
    expect(py.x).toEqual(seeds.flatMap((s) => [0, 1, 2, 3].map((k) => mixSeed(s, k))));
  });

  it('the token stream, every training batch (aligned or not) and the validation batches are identical', () => {
    const stream = buildTokenStream(docs, tokenizer);
    const py = runWithScript<{
      ids: number[];
      starts: number[];
      train: Record<string, ReturnType<typeof plain>[]>;
      val: Record<string, ReturnType<typeof plain>[]>;
    }>(
      path,
      [
        'ids, starts = t.build_token_stream(data["encoded"], data["eot"])',
        'train = {str(a): [t.train_batch(ids, starts, data["eot"], 4, 16, 5, a, k) for k in range(12)] for a in (True, False)}',
        'val = {f"{a}-{m}": t.validation_batches(ids, starts, data["eot"], 4, 16, a, m) for a in (True, False) for m in (2, 10**9)}',
        'print(json.dumps({"ids": ids, "starts": starts, "train": train, "val": val}))',
      ].join('\n'),
      { encoded, eot },
    );
    expect(py.ids).toEqual(Array.from(stream.ids));
    expect(py.starts).toEqual(Array.from(stream.documentStarts));
    for (const align of [true, false]) {
      const batcher = new TrainBatcher(stream, { batch: 4, seq: 16, seed: 5, alignToDocuments: align });
      expect(py.train[align ? 'True' : 'False']).toEqual(
        Array.from({ length: 12 }, (_, k) => plain(batcher.batchAt(k))),
      );
      for (const max of [2, 10 ** 9]) {
        const ts = validationBatches(stream, { batch: 4, seq: 16, alignToDocuments: align, maxBatches: max });
        expect(py.val[`${align ? 'True' : 'False'}-${max}`]).toEqual(ts.map(plain));
      }
    }
  });

  it('a stream shorter than one window gives the same padded batch', () => {
    const short = buildTokenStream(['ab'], tokenizer);
    const py = runWithScript<ReturnType<typeof plain>>(
      path,
      'ids, starts = t.build_token_stream(data["enc"], data["eot"]); print(json.dumps(t.train_batch(ids, starts, data["eot"], 2, 8, 3, True, 0)))',
      { enc: [Array.from(tokenizer.encode('ab'))], eot },
    );
    expect(py).toEqual(
      plain(new TrainBatcher(short, { batch: 2, seq: 8, seed: 3, alignToDocuments: true }).batchAt(0)),
    );
  });

  it('the learning rate of every step, warm-up and cosine', () => {
    const o = { learningRate: 4e-3, warmupSteps: 7, totalSteps: 50, minLearningRate: 0 };
    const py = runWithScript<number[]>(
      path,
      'tt = {"learning_rate": 4e-3, "warmup_steps": 7, "steps": 50, "min_learning_rate": 0}\nprint(json.dumps([t.learning_rate_at(k, tt) for k in range(55)]))',
      null,
    );
    py.forEach((lr, k) => expect(lr).toBeCloseTo(learningRateAt(k, o), 15));
    expect(py[0]).toBe(4e-3 / 7);
  });

  it.each([true, false, 'gaussian'] as InitLoraWeights[])(
    'init_lora_weights %s: the same initial A and B, module after module',
    (init) => {
      const shapes = [
        [16, 48, 4],
        [16, 16, 4],
        [64, 16, 2],
      ];
      const ts = new Rng(5);
      const expected = shapes.map(([dIn, dOut, r]) => initLoraFactors(init, dIn, dOut, r, 2, ts));
      const py = runWithScript<[number[], number[]][]>(
        path,
        'rng = t.AppRng(5)\nprint(json.dumps([t.app_init_factors(data["init"], a, b, r, rng) for a, b, r in data["shapes"]]))',
        { init, shapes },
      );
      py.forEach(([A, B], i) => {
        const a = Float32Array.from(A);
        const b = Float32Array.from(B);
        if (init === 'gaussian') {
          // Box–Muller goes through log/sin/cos, whose last bit may differ between V8 and libm.
          a.forEach((v, k) => expect(Math.abs(v - expected[i].A[k])).toBeLessThanOrEqual(Math.abs(v) * 2 ** -22));
        } else {
          expect(a).toEqual(expected[i].A);
        }
        expect(b).toEqual(expected[i].B);
      });
    },
  );
});

describe.skipIf(python3Available())('train_lora.py parity (python3 missing)', () => {
  it('is skipped', () => console.log('skip: python3 is not installed, so the Python half was not checked'));
});

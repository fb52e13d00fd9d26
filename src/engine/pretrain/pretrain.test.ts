import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { parseDocuments } from '../data/tasks';
import { loadGpt2 } from '../gpt2/io';
import { charTokenizerFromJson } from '../tokenizer/tokenizerJson';
import { pretrainCorpus } from './corpus';
import {
  heldOutBatches,
  heldOutLoss,
  PRETRAIN_DEFAULTS,
  pretrain,
  QUICK_SETTINGS,
  type PretrainData,
} from './pretrain';
import { shippedConfigJson } from './shipped';

const require = createRequire(import.meta.url);
const publicData = join(dirname(require.resolve('../../../package.json')), 'public', 'data');
const read = (f: string) => readFileSync(join(publicData, f), 'utf8');
// The real corpus, cut down so the toy run's final full held-out pass stays quick.
const corpus = pretrainCorpus({
  train: parseDocuments(read('words.train.txt')),
  validation: parseDocuments(read('words.validation.txt')),
});
const data: PretrainData = {
  tokenizer: charTokenizerFromJson(read('tokenizer.json')),
  train: corpus.train,
  validation: corpus.validation.slice(0, 400),
};
const quick = (seed: number) => ({ ...PRETRAIN_DEFAULTS, ...QUICK_SETTINGS, seed });

describe('pretrain --quick (wasm)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('same seed ⇒ identical loss sequence and weights; another seed ⇒ different; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const a = await pretrain(data, quick(7));
    const b = await pretrain(data, quick(7));
    const c = await pretrain(data, quick(8));
    expect(tf.memory().numTensors).toBe(before);
    expect(a.trainLosses).toHaveLength(30);
    expect(b.trainLosses).toEqual(a.trainLosses);
    expect(b.heldOutLoss).toBe(a.heldOutLoss);
    expect(Buffer.from(b.safetensors).equals(Buffer.from(a.safetensors))).toBe(true);
    expect(c.trainLosses).not.toEqual(a.trainLosses);
    // it learns: from ≈ ln 97 = 4.57 towards the character frequencies
    expect(a.trainLosses[0]).toBeGreaterThan(4.3);
    expect(a.heldOutLoss).toBeLessThan(a.trainLosses[0] - 0.5);
    expect(a.evals.map((e) => e.step)).toEqual([10, 20, 30]);
  }, 60_000);

  it('writes files the engine loads back to the same held-out loss', async () => {
    const r = await pretrain(data, quick(3));
    const model = loadGpt2(r.safetensors, shippedConfigJson(r.config));
    const again = await heldOutLoss(model, heldOutBatches(data, r.settings));
    model.dispose();
    expect(again.tokens).toBe(r.heldOutTokens);
    expect(again.loss).toBeCloseTo(r.heldOutLoss, 5);
    expect(JSON.parse(shippedConfigJson(r.config))).toMatchObject({
      bos_token_id: 0,
      eos_token_id: 0,
      model_type: 'gpt2',
      n_layer: 1,
    });
  }, 60_000);
});
